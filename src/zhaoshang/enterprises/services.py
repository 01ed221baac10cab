from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core.services import record_create, record_update
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.validators import normalise_credit_code


def enterprise_resolve(*, user, name: str, credit_code: str = "") -> Enterprise:
    """The enterprise an investor name (and credit code) refers to, created if new.

    A credit code identifies an enterprise: a known code wins over the name typed (names are
    written many ways). Without a code, an exact name match is used.
    """
    name = " ".join(name.split())
    code = normalise_credit_code(credit_code)
    with transaction.atomic():
        if code:
            found = Enterprise.objects.filter(credit_code=code, is_deleted=False).first()
            if found:
                return found
        found = Enterprise.objects.filter(name=name, is_deleted=False).first()
        if found:
            if code and not found.credit_code:
                before = snapshot(found)
                found.credit_code = code
                found.full_clean()
                found.save(update_fields=["credit_code", "updated_at"])
                audit_record(
                    action=AuditAction.UPDATE, obj=found, before=before, after=snapshot(found), user=user
                )
            elif code and found.credit_code != code:
                raise ValidationError(
                    {
                        "investor_credit_code": _(
                            "企业“{name}”已登记的统一社会信用代码为{code},与填写的不一致。"
                        ).format(name=name, code=found.credit_code)
                    }
                )
            return found
        enterprise = Enterprise(name=name, credit_code=code)
        return record_create(user=user, instance=enterprise)


def enterprise_create(*, user, form, submit: bool = False) -> Enterprise:
    return record_create(user=user, instance=form.instance, m2m=lambda obj: form.save_relations())


def enterprise_update(*, user, form, read_version: int | None) -> Enterprise:
    return record_update(
        user=user, instance=form.instance, read_version=read_version, m2m=lambda obj: form.save_relations()
    )
