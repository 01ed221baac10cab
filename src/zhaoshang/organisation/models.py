from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.fields import EncryptedCharField
from zhaoshang.organisation.choices import IndustryKind, RegionLevel, Role, UnitKind


class Region(models.Model):
    """行政区划: a tree (province › city › county › town) keyed by GB/T 2260 codes.

    ``path`` holds the codes from the root down ("/420000/421000/421003/") so that a whole subtree
    is one indexed ``startswith`` query: a city bureau sees every county in it.
    """

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("区划名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    # Seed 004 counts the projects landing in the city's central urban area (中心城区): the districts
    # the city designates as such. A region inside a central one is central too (``central_paths``).
    is_central_urban = models.BooleanField(
        _("中心城区"),
        default=False,
        help_text=_("市级部署中属于中心城区的区(其下的乡镇街道随之计入),年度总结据此统计中心城区项目占比。"),
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.code.isdigit():
            raise ValidationError({"code": _("区划代码应为数字(GB/T 2260)。")})

    def subtree(self) -> models.QuerySet["Region"]:
        return Region.objects.filter(path__startswith=self.path)


class Division(models.Model):
    """The national administrative-division catalogue (GB/T 2260: province, prefecture, county),
    shipped with the product (``organisation/data/divisions.csv``) and loaded by ``migrate``.

    A reference list, not the deployment's tree: a deployment's ``Region`` rows are taken from it
    when it is set up (its home region, the ancestors and the counties below) or when an import
    names a division not yet in its tree.
    """

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("区划名称"), max_length=60, db_index=True)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    parent_code = models.CharField(_("上级区划代码"), max_length=6, blank=True, db_index=True)

    class Meta:
        verbose_name = _("全国行政区划")
        verbose_name_plural = _("全国行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Deployment(models.Model):
    """This deployment's own facts, one row (pk 1): where it is (its home region) and when it was
    set up. Kept in the database so that it holds without ``ZHAOSHANG_HOME_REGION``."""

    home_region = models.ForeignKey(
        Region,
        verbose_name=_("本地区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_up_at = models.DateTimeField(_("初始化时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("部署信息")
        verbose_name_plural = _("部署信息")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="deployment_singleton",
                violation_error_message=_("部署信息只有一行。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.home_region or _("未设置本地区划"))


class AssessmentGroup(models.Model):
    """考核组别: units are ranked within their group (seed 000 ranks 任务单位 and 专班 separately)."""

    name = models.CharField(_("组别名称"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("排序号"), default=0)

    class Meta:
        verbose_name = _("考核组别")
        verbose_name_plural = _("考核组别")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """任务单位: who carries a target and reports records."""

    name = models.CharField(_("单位名称"), max_length=80, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    assessment_group = models.ForeignKey(
        AssessmentGroup, verbose_name=_("考核组别"), null=True, blank=True, on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="units"
    )
    order = models.PositiveIntegerField(_("排序号"), default=0, help_text=_("通报中列出单位的官方顺序"))
    chain_leader = models.CharField(_("链长/团长"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("任务单位")
        verbose_name_plural = _("任务单位")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """One node of the deployment's industry taxonomy (主导产业, 产业链, 战略性新兴产业, 国民经济行业)."""

    kind = models.CharField(_("分类体系"), max_length=12, choices=IndustryKind.choices)
    code = models.CharField(_("代码"), max_length=20, blank=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("排序号"), default=0)

    class Meta:
        verbose_name = _("产业")
        verbose_name_plural = _("产业")
        ordering = ["kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="industry_unique_name_per_kind",
                violation_error_message=_("同一分类体系下产业名称不能重复。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. Its role decides what it may do; its unit or region decides what it may see."""

    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.REPORTER)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("管辖区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = EncryptedCharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["reporter", "unit_head"])
                | Q(unit__isnull=False)
                | Q(is_superuser=True),
                name="user_unit_role_has_unit",
                violation_error_message=_("填报员和单位负责人必须属于一个任务单位。"),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Chinese names: family name first, no space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def scope_region(self) -> Region | None:
        """The region whose records this user may see: their own, or their unit's."""
        if self.region_id:
            return self.region
        if self.unit_id:
            return self.unit.region
        return None
