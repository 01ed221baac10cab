from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """A project's lifecycle: 洽谈 → 预审通过 → 签约 → 开工(入库) → 投产 → 达效; or 终止 / 退库."""

    NEGOTIATING = "negotiating", _("洽谈")
    PREREVIEWED = "prereviewed", _("预审通过")
    SIGNED = "signed", _("签约")
    COMMENCED = "commenced", _("开工")
    IN_PRODUCTION = "in_production", _("投产")
    EFFECTIVE = "effective", _("达效")
    TERMINATED = "terminated", _("终止")
    WITHDRAWN = "withdrawn", _("退库")


# Each forward stage and the date field that records reaching it.
STAGE_DATE_FIELDS = {
    Stage.NEGOTIATING: "negotiated_on",
    Stage.PREREVIEWED: "prereview_passed_on",
    Stage.SIGNED: "signed_on",
    Stage.COMMENCED: "commenced_on",
    Stage.IN_PRODUCTION: "in_production_on",
    Stage.EFFECTIVE: "effective_on",
}
# Dates that must be in this order wherever both are filled in.
ORDERED_DATE_FIELDS = ["negotiated_on", "signed_on", "commenced_on", "in_production_on", "effective_on"]


class ProjectKind(models.TextChoices):
    NEW = "new", _("新建")
    CONTINUED = "continued", _("续建")
    EXPANSION = "expansion", _("扩建")
    CAPITAL_INCREASE = "capital_increase", _("增资")


EXPANSION_KINDS = (ProjectKind.EXPANSION, ProjectKind.CAPITAL_INCREASE)


class LandMode(models.TextChoices):
    ACQUISITION = "acquisition", _("征地")
    LEASED = "leased", _("租赁厂房")
    OWN = "own", _("自有")


class Sector(models.TextChoices):
    PRIMARY = "primary", _("第一产业")
    SECONDARY = "secondary", _("第二产业")
    TERTIARY = "tertiary", _("第三产业")


class Verdict(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("不通过")
    DEFERRED = "deferred", _("暂缓")
