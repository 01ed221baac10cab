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


class ProblemStatus(models.TextChoices):
    """A problem raised on a project (项目问题): open until its owner unit resolves it."""

    OPEN = "open", _("待解决")
    RESOLVED = "resolved", _("已解决")


class ComplaintStatus(models.TextChoices):
    """An investor complaint (客商投诉): received → answered by the owner unit → closed by the bureau
    after it has checked back with the investor ("件件有着落、事事有回音")."""

    OPEN = "open", _("待办理")
    RESPONDED = "responded", _("已答复")
    CLOSED = "closed", _("已办结")


class DuplicateStatus(models.TextChoices):
    """A pair in the possible-duplicate pool (防水分) and how the bureau resolved it."""

    OPEN = "open", _("待核查")
    SAME = "same", _("同一项目(已合并)")
    DIFFERENT = "different", _("不同项目(已放行)")


# 日期口径 (issue 13): each event date → the project field holding the day its recognition was first
# given (the workflow and the import set it; ``metrics.indicators`` counts by it where chosen).
EVENT_RECOGNITION = {"signed_on": "signing_recognised_on", "commenced_on": "commencement_recognised_on"}
