from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import DELETE, Scope, register_scope
from zhaoshang.core.fields import EncryptedCharField
from zhaoshang.core.models import ActiveQuerySet, TimeStamped
from zhaoshang.enterprises.choices import EnterpriseTag
from zhaoshang.enterprises.validators import validate_credit_code
from zhaoshang.organisation.choices import Role


class Enterprise(TimeStamped):
    """企业/客商: an investor or a target company.

    Enterprises are shared across units (two units may court the same investor); what each unit did
    with it lives on the unit's own leads, activities and projects.
    """

    name = models.CharField(_("企业名称"), max_length=120, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    location = models.CharField(_("所在地"), max_length=120, blank=True)
    tags = models.ManyToManyField("Tag", verbose_name=_("企业标签"), blank=True, related_name="enterprises")
    stock_code = models.CharField(_("股票代码"), max_length=20, blank=True)
    note = models.TextField(_("备注"), blank=True)
    is_deleted = models.BooleanField(_("已删除"), default=False, editable=False)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="enterprise_unique_credit_code",
                violation_error_message=_("该统一社会信用代码已登记为另一家企业。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])


class Tag(models.Model):
    """An investor tag (世界500强, 上市公司 …); rows are the codes of ``EnterpriseTag``."""

    code = models.CharField(_("代码"), max_length=20, primary_key=True, choices=EnterpriseTag.choices)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Contact(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("企业")
    )
    name = models.CharField(_("联系人"), max_length=40)
    title = models.CharField(_("职务"), max_length=40, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")

    def __str__(self) -> str:
        return self.name


# Enterprises are shared master data: every unit may look an investor up and add one; only the
# bureau deletes (a deleted investor would orphan other units' projects).
register_scope(
    Enterprise,
    Scope(
        unit=None,
        region=None,
        writers={
            "add": (Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU),
            "change": (Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU),
            DELETE: (Role.BUREAU,),
        },
    ),
)
