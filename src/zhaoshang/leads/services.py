from zhaoshang.core.services import record_create, record_update
from zhaoshang.leads.models import Lead


def lead_create(*, user, form, submit: bool = False) -> Lead:
    return record_create(user=user, instance=form.instance, submit=submit)


def lead_update(*, user, form, read_version: int | None) -> Lead:
    return record_update(user=user, instance=form.instance, read_version=read_version)
