from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """The periods an assessment runs on (seed 000: 月考核、季评比; plus half-year and year)."""

    MONTH = "month", _("月考核")
    QUARTER = "quarter", _("季评比")
    HALF = "half", _("半年考核")
    YEAR = "year", _("年度考核")


class ItemKind(models.TextChoices):
    """Whether an item's points make the basic score, or are added or deducted on top."""

    BASIC = "basic", _("基本指标")
    BONUS = "bonus", _("加分项")
    DEDUCTION = "deduction", _("扣分项")


class ScoringRule(models.TextChoices):
    """How an item turns a measured value into points.

    - 完成率对序时进度: 分值 × min(完成率 ÷ 序时进度, 封顶系数), 完成率 = 完成值 ÷ 全年目标;
    - 按名次计分: first place gets the full 分值, each place below loses 每降一名扣分 (not below 0);
      a unit with nothing done gets 0;
    - 按个数计分: 每个分值 × 完成值, at most 分值 when one is set (e.g. 2 points per 10亿元 project);
    - 功效系数法 (三明, 高安): 60% × 分值 + 40% × 分值 × (完成值 − 最低值) ÷ (最高值 − 最低值), the lowest
      and highest value among the units assessed by the scheme. When every unit has the same value
      the quotient is undefined: each unit is then at the best value and gets the full 分值 — unless
      that value is 0 (nobody did anything), where nobody reached the best value either and each gets
      the 60% base. Both keep equal units equal, which is all the formula says about them.
    """

    COMPLETION = "completion", _("完成率对序时进度计分(封顶)")
    RANK_POINTS = "rank_points", _("按名次计分")
    PER_ITEM = "per_item", _("按个数计分")
    EFFICACY = "efficacy", _("功效系数法")


class VetoRule(models.TextChoices):
    """一票否决: a vetoed unit ranks after every unit not vetoed, whatever its score."""

    NONE = "none", _("不否决")
    OCCURRED = "occurred", _("发生即否决(完成值≥1)")
    TARGET_MISSED = "target_missed", _("年度未完成目标即否决")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class FindingKind(models.TextChoices):
    """What the bureau found when checking a unit's work (防水分)."""

    FALSIFIED = "falsified", _("项目弄虚作假")
    VETO = "veto", _("其他一票否决事项")
