"""The one home of the counting rules (SPEC §3). Pages, reports, the assessment and the API all
measure through ``measure`` / ``measure_by_unit``; no page computes its own "signed this year".

Each indicator is registered once with its code, Chinese name, unit and definition (口径). The
definition is what the 口径 page shows users, word for word.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import ReviewStatus
from zhaoshang.metrics import options
from zhaoshang.metrics.periods import Period
from zhaoshang.projects.choices import EVENT_RECOGNITION, EXPANSION_KINDS, Stage


class Basis(models.TextChoices):
    """口径: as reported by units, or as recognised by the bureau (SPEC §3)."""

    RECOGNISED = "recognised", _("认定口径")
    REPORTED = "reported", _("上报口径")


def basis_filter(basis: str, prefix: str = "") -> Q:
    """上报: submitted, under review or recognised (drafts and returned records excluded);
    认定: recognised records only."""
    if basis == Basis.RECOGNISED:
        return Q(**{f"{prefix}review_status": ReviewStatus.RECOGNISED})
    return Q(**{f"{prefix}review_status__in": [ReviewStatus.SUBMITTED, ReviewStatus.RECOGNISED]})


# Not a basis: the rows that count on either basis, for a pass that computes both at once with
# each basis's rows picked by ``basis_rows`` (the monthly summary's first build, metrics.rollup).
EITHER_BASIS = "either"


def counted_rows(model: type[models.Model], basis: str) -> models.QuerySet:
    """The rows of ``model`` that count on ``basis``. A record whose change is under review keeps
    counting at its last recognised version (SPEC §3): on the 认定 basis its recognised copy counts
    (core.models.KeepsRecognisedVersion), on the 上报 basis the record as changed. ``EITHER_BASIS``:
    the rows counting on one basis or the other (``basis_rows`` then tells them apart)."""
    if hasattr(model, "all_rows"):
        qs = model.all_rows.filter(basis_filter(basis))
        if basis not in (Basis.RECOGNISED, EITHER_BASIS):
            qs = qs.filter(recognised_version_of__isnull=True)
        return qs
    return model._default_manager.filter(basis_filter(basis))


def basis_rows(model: type[models.Model], basis: str) -> Q | None:
    """Which of ``counted_rows(model, EITHER_BASIS)`` count on ``basis`` (None: all of them), so
    that ``counted_rows(model, basis)`` is exactly ``counted_rows(model, EITHER_BASIS)`` filtered
    by it: 认定 the recognised rows (copies included), 上报 every row but the recognised copies."""
    if basis == Basis.RECOGNISED:
        return basis_filter(basis)
    if hasattr(model, "all_rows"):
        return Q(recognised_version_of__isnull=True)
    return None


# The amount a signing counts: an expansion (增资/扩建) counts its added investment (新增投资).
COUNTED_INVESTMENT = Case(
    When(kind__in=EXPANSION_KINDS, added_investment_wan__isnull=False, then=F("added_investment_wan")),
    default=F("total_investment_wan"),
    output_field=models.DecimalField(max_digits=18, decimal_places=4),
)

YI = Decimal(10000)  # 1亿元 = 10 000 万元

# The release of the definitions below, hashed into the monthly summary's signature (rollup): bump it
# whenever a summed indicator's definition changes, or existing databases keep the old counts.
# 2 (issue 13): commencements count an expansion's 新增投资; an intention agreement is never signed.
# (Counting a record under review at its recognised version needed no bump: no copy existed before it,
# and each copy's insert marks its cells like any other write.)
DEFINITIONS = 2

# 防水分 (SPEC §3): "A record held in the possible-duplicate pool counts on neither basis until
# resolved" — a held project, and the funds in place reported on it.
DUPLICATE_HOLD_PATHS = {
    "projects.Project": "duplicate_hold",
    "projects.FundsRecord": "project__duplicate_hold",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    model: str
    date_field: str
    unit_path: str | None
    region_path: str
    definition: str
    value: Callable[[Period, str], models.Aggregate] = lambda period, basis: Count("pk")
    refine: Callable[[models.QuerySet], models.QuerySet] = lambda qs: qs
    # Which rows count, beyond basis, liveness and dates, as a condition rather than a ``refine``:
    # the monthly summary's build then counts every indicator of a table in one pass (rollup).
    where: Q | None = None
    partner_path: str | None = None  # joint activities count once for each unit taking part
    basis_aware: bool = True
    alive_path: str | None = "is_deleted"
    overlaps: bool = False  # period test on [started_on, ended_on] overlap (days away)
    money: bool = False  # 万元 amounts, written in 亿元
    inclusive_days: bool = False  # value is a summed duration; +1 day per record (both ends count)
    aliases: tuple[str, ...] = field(default=())
    # 按比例计入 (issue 13): a project's credit shared by its introducing unit and its landing unit
    # by the year's ``landing_share`` (``engine.split_by_unit``); None, or "count" / "amount".
    split_credit: str | None = None

    def queryset(self, period: Period, basis: str) -> models.QuerySet:
        model = apps.get_model(self.model)
        qs = counted_rows(model, basis) if self.basis_aware else model._default_manager.all()
        if self.alive_path:  # records without soft deletion (督办单) have none
            qs = qs.filter(**{self.alive_path: False})
        if self.model in DUPLICATE_HOLD_PATHS:
            # A record held in the possible-duplicate pool counts on neither basis until resolved.
            qs = qs.filter(**{DUPLICATE_HOLD_PATHS[self.model]: False})
        if self.overlaps:
            qs = qs.filter(started_on__lte=period.end).filter(
                Q(ended_on__gte=period.start) | Q(ended_on__isnull=True, started_on__gte=period.start)
            )
        else:
            qs = qs.filter(**{f"{self.date_field}__gte": period.start, f"{self.date_field}__lte": period.end})
        if self.where is not None:
            qs = qs.filter(self.where)
        return self.refine(qs)


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    REGISTRY[indicator.code] = indicator
    return indicator


# 日期口径 (issue 13): a deployment may count signings and commencements by the day the bureau
# recognised them (``Project.signing_recognised_on`` / ``commencement_recognised_on``: the first
# recognition of that event, which later corrections do not move) rather than by their own date. Each project indicator dated by
# an event has a twin dated by recognition (``RECOGNITION_TWINS``, built at the end of this module,
# kept out of the registry so that no list offers them); the twins are not summed monthly, so a
# period whose year counts by recognition reads the records.
RECOGNITION_TWINS: dict[str, Indicator] = {}


def effective(code: str, period: Period) -> Indicator:
    """The indicator that counts ``code`` in ``period``: its recognition-dated twin where the options
    of the period's last year count by recognition date, else itself."""
    twin = RECOGNITION_TWINS.get(code)
    if twin is not None and options.recognition_dated(period.end.year):
        return twin
    return REGISTRY[code]


def by_name(name: str) -> Indicator | None:
    """Look an indicator up by its Chinese name or an alias (the targets template uses names)."""
    name = name.strip()
    for indicator in REGISTRY.values():
        if name == indicator.name or name in indicator.aliases or name == indicator.code:
            return indicator
    return None


# --- projects -------------------------------------------------------------------------------------


def _signed(qs):
    # A withdrawn (退库) project never counts; a terminated one still counted as signed then. An
    # intention agreement (意向协议) is never a signing, whatever date it carries (the database
    # refuses one; this keeps the rule here too).
    qs = qs.exclude(stage=Stage.WITHDRAWN).exclude(is_intention_agreement=True)
    return qs.alias(counted=COUNTED_INVESTMENT)


def _signed_band(low: int | None, high: int | None):
    def refine(qs):
        qs = _signed(qs)
        if low is not None:
            qs = qs.filter(counted__gte=low)
        if high is not None:
            qs = qs.filter(counted__lt=high)
        return qs

    return refine


def _signed_100m(qs):
    # 亿元以上 by the options of the signing's year (default ≥ 10 000万元; or 外资 ≥ a USD threshold).
    return _signed(qs).filter(options.hundred_million("signed_on"))


def _sum_counted(period, basis):
    return Sum(COUNTED_INVESTMENT)


PROJECT = {"model": "projects.Project", "unit_path": "introducing_unit", "region_path": "region"}
SIGNED_RULE = _(
    "签约日期在期间内的项目(不论现处何阶段;终止的项目仍计入签约当期,退库项目不计,意向协议不算签约);"
    "扩建、增资项目按新增投资计。"
)

register(
    Indicator(
        "signed_projects",
        _("签约项目"),
        _("个"),
        date_field="signed_on",
        refine=_signed,
        definition=SIGNED_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_amount_wan",
        _("签约额(万元)"),
        _("万元"),
        date_field="signed_on",
        refine=_signed,
        value=_sum_counted,
        money=True,
        aliases=("签约额", "签约金额(万元)"),
        definition=_("签约项目的总投资之和。") + SIGNED_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_projects_100m",
        _("签约亿元以上项目"),
        _("个"),
        date_field="signed_on",
        refine=_signed_100m,
        aliases=("亿元以上项目",),
        definition=_("签约项目中计入投资额≥1亿元(含1亿元)的项目个数。") + SIGNED_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_amount_100m_wan",
        _("签约亿元以上项目签约额(万元)"),
        _("万元"),
        date_field="signed_on",
        refine=_signed_100m,
        value=_sum_counted,
        money=True,
        definition=_("只合计亿元以上项目的投资额(“签约亿元以上项目66个,签约额345.7亿元”)。"),
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_projects_1b",
        _("签约10亿元以上项目"),
        _("个"),
        date_field="signed_on",
        refine=_signed_band(100000, None),
        definition=_("计入投资额≥10亿元的签约项目。"),
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_projects_20b",
        _("签约20亿元以上项目"),
        _("个"),
        date_field="signed_on",
        refine=_signed_band(200000, None),
        definition=_("计入投资额≥20亿元的签约项目。"),
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_projects_10_20b",
        _("签约10–20亿元项目"),
        _("个"),
        date_field="signed_on",
        refine=_signed_band(100000, 200000),
        definition=_("计入投资额≥10亿元且<20亿元(不含20亿元)的签约项目。"),
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_projects_5_10b",
        _("签约5–10亿元项目"),
        _("个"),
        date_field="signed_on",
        refine=_signed_band(50000, 100000),
        definition=_("计入投资额≥5亿元且<10亿元(不含10亿元)的签约项目。"),
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_projects_1_5b",
        _("签约1–5亿元项目"),
        _("个"),
        date_field="signed_on",
        refine=_signed_band(10000, 50000),
        definition=_("计入投资额≥1亿元且<5亿元(不含5亿元)的签约项目。"),
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_industrial_50m",
        _("签约5000万元以上工业项目"),
        _("个"),
        date_field="signed_on",
        refine=lambda qs: _signed_band(5000, None)(qs).filter(is_industrial=True),
        definition=_("计入投资额≥5000万元的工业项目。") + SIGNED_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "signed_industrial_100m",
        _("签约亿元以上工业项目"),
        _("个"),
        date_field="signed_on",
        refine=lambda qs: _signed_100m(qs).filter(is_industrial=True),
        definition=_("计入投资额≥1亿元(含1亿元)的工业项目;开工率以此为基数。") + SIGNED_RULE,
        **PROJECT,
    )
)


def _commenced(qs):
    return qs.exclude(stage=Stage.WITHDRAWN)


def _commenced_counted(qs):
    # The amount a commencement counts is the signing's (SPEC §3): an expansion its 新增投资.
    return _commenced(qs).alias(counted=COUNTED_INVESTMENT)


COMMENCED_RULE = _("开工(入库)日期在期间内的项目,退库项目不计;扩建、增资项目按新增投资计。")


register(
    Indicator(
        "commenced_projects",
        _("新开工项目"),
        _("个"),
        date_field="commenced_on",
        refine=_commenced,
        aliases=("新增开工入库项目", "开工项目"),
        definition=_("开工(入库)日期在期间内的项目,退库项目不计。"),
        **PROJECT,
    )
)
register(
    Indicator(
        "commenced_amount_wan",
        _("新开工项目计划总投资(万元)"),
        _("万元"),
        date_field="commenced_on",
        refine=_commenced,
        value=_sum_counted,
        money=True,
        definition=_("新开工项目的计划总投资之和。") + COMMENCED_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "commenced_projects_1b",
        _("新开工10亿元以上项目"),
        _("个"),
        date_field="commenced_on",
        refine=lambda qs: _commenced_counted(qs).filter(counted__gte=100000),
        definition=_("新开工项目中计入投资额≥10亿元(含10亿元)的项目。") + COMMENCED_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "in_production_projects",
        _("投产项目"),
        _("个"),
        date_field="in_production_on",
        refine=_commenced,
        definition=_("投产日期在期间内的项目,退库项目不计。"),
        **PROJECT,
    )
)

# 按比例计入 (苏州's rule): the same signings, each credited to its introducing unit (引荐单位) and its
# landing unit (落户单位) by the share the year's counting options give the landing unit.
SPLIT_RULE = _(
    "口径选项设定落户单位分成比例时,项目由落户单位按该比例、引进单位按其余比例分享(如0.6个、0.4个);"
    "未设定或未填落户单位时全部计入引进单位。区划合计仍为一个项目。"
)
register(
    Indicator(
        "credited_signed_projects",
        _("签约项目(按比例计入)"),
        _("个"),
        date_field="signed_on",
        refine=_signed,
        split_credit="count",
        definition=SIGNED_RULE + SPLIT_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "credited_signed_projects_100m",
        _("签约亿元以上项目(按比例计入)"),
        _("个"),
        date_field="signed_on",
        refine=_signed_100m,
        split_credit="count",
        definition=_("签约项目中计入投资额≥1亿元(含1亿元)的项目个数。") + SPLIT_RULE,
        **PROJECT,
    )
)
register(
    Indicator(
        "credited_signed_amount_wan",
        _("签约额(按比例计入,万元)"),
        _("万元"),
        date_field="signed_on",
        refine=_signed,
        value=_sum_counted,
        money=True,
        split_credit="amount",
        definition=_("签约项目的总投资之和。") + SIGNED_RULE + SPLIT_RULE,
        **PROJECT,
    )
)

# --- funds in place -------------------------------------------------------------------------------

FUNDS = {
    "model": "projects.FundsRecord",
    "unit_path": "project__introducing_unit",
    "region_path": "project__region",
    "date_field": "month",
    "money": True,
}


def _funds_amount(period, basis):
    # On the recognised basis the bureau may have recognised less than reported.
    if basis == Basis.RECOGNISED:
        return Sum(Coalesce("recognised_amount_wan", "amount_wan"))
    return Sum("amount_wan")


def _alive_project(qs):
    return qs.filter(project__is_deleted=False).exclude(project__stage=Stage.WITHDRAWN)


register(
    Indicator(
        "funds_wan",
        _("实际到位资金(万元)"),
        _("万元"),
        value=_funds_amount,
        refine=_alive_project,
        aliases=("到位资金", "实际到位资金"),
        definition=_("项目按月填报的到位资金;认定口径取局认定金额(认定少于上报时)。"),
        **FUNDS,
    )
)
register(
    Indicator(
        "funds_outside_province_wan",
        _("省外资金(万元)"),
        _("万元"),
        refine=_alive_project,
        value=lambda p, b: Sum("outside_province_wan"),
        definition=_("到位资金中来自省外的部分。"),
        **FUNDS,
    )
)
register(
    Indicator(
        "funds_outside_city_wan",
        _("市外资金(万元)"),
        _("万元"),
        refine=_alive_project,
        value=lambda p, b: Sum("outside_city_wan"),
        definition=_("到位资金中来自市外的部分。"),
        **FUNDS,
    )
)
register(
    Indicator(
        "foreign_usd_wan",
        _("实际利用外资(万美元)"),
        _("万美元"),
        refine=_alive_project,
        value=lambda p, b: Sum("foreign_usd_wan"),
        aliases=("外资到位(万美元)",),
        definition=_("外资到位金额,万美元。"),
        **FUNDS,
    )
)
register(
    Indicator(
        "foreign_cash_usd_wan",
        _("现汇进资(万美元)"),
        _("万美元"),
        refine=_alive_project,
        value=lambda p, b: Sum("foreign_cash_usd_wan"),
        definition=_("外资到位中的现汇部分,万美元。"),
        **FUNDS,
    )
)

# --- leads ----------------------------------------------------------------------------------------

LEADS = {
    "model": "leads.Lead",
    "unit_path": "unit",
    "region_path": "unit__region",
    "date_field": "reported_on",
}
register(
    Indicator(
        "leads",
        _("招商信息"),
        _("条"),
        aliases=("新信息", "招商信息(条)"),
        definition=_("上报日期在期间内的招商信息条数。"),
        **LEADS,
    )
)
register(
    Indicator(
        "valuable_leads",
        _("有价值信息"),
        _("条"),
        where=Q(is_valuable=True),
        definition=_("经局研判为有价值的招商信息条数。"),
        **LEADS,
    )
)

# --- activities -----------------------------------------------------------------------------------

ACTIVITY = {
    "model": "activities.Activity",
    "unit_path": "unit",
    "region_path": "unit__region",
    "partner_path": "partner_units",
    "date_field": "started_on",
}
JOINT = _("联合开展的活动,每个参加单位各计一次,全区只计一次。")


def _kind(kind: str, **extra) -> Q:
    return Q(kind=kind, **extra)


def _bound(day):
    """A period bound as an expression: a date, or a column (the monthly summary's build splits every
    trip at the bounds of the months it is joined to in one statement, ``rollup``)."""
    return day if hasattr(day, "resolve_expression") else Value(day)


class _DaysBetween(ExpressionWrapper):
    """``last − first`` of two dates as a duration. On SQLite in SQL (``julianday``: whole days, so
    the difference is exact) rather than through Django's Python function called once per row,
    which was most of the time of counting days away over a province's trips."""

    def as_sqlite(self, compiler, connection, **extra_context):
        last, lp = compiler.compile(self.expression.lhs)
        first, fp = compiler.compile(self.expression.rhs)
        return f"CAST((julianday({last}) - julianday({first})) * 86400000000 AS INTEGER)", (*lp, *fp)


def _days_away(period: Period, basis: str):
    # Calendar days away, inclusive, split at the period bounds: Σ(min(end, P.end) − max(start, P.start)) + n.
    last = Least(Coalesce("ended_on", "started_on"), _bound(period.end), output_field=models.DateField())
    first = Greatest("started_on", _bound(period.start), output_field=models.DateField())
    return Sum(_DaysBetween(last - first, output_field=DurationField()))


register(
    Indicator(
        "trips",
        _("外出招商"),
        _("次"),
        where=_kind("trip"),
        aliases=("外出招商(次)",),
        definition=_("开始日期在期间内的外出招商次数。") + JOINT,
        **ACTIVITY,
    )
)
register(
    Indicator(
        "out_of_province_trips",
        _("出省招商"),
        _("次"),
        where=_kind("trip", out_of_province=True),
        definition=_("外出招商中目的地在省外的次数。") + JOINT,
        **ACTIVITY,
    )
)
register(
    Indicator(
        "days_away",
        _("外出天数"),
        _("天"),
        where=_kind("trip"),
        value=_days_away,
        overlaps=True,
        inclusive_days=True,
        definition=_("外出招商的自然日数,首尾两天都算;跨期间的按期间界限拆分。") + JOINT,
        **ACTIVITY,
    )
)
register(
    Indicator(
        "visits",
        _("拜访企业"),
        _("家"),
        where=_kind("visit"),
        value=lambda p, b: Sum("enterprise_count"),
        aliases=("走访企业",),
        definition=_("拜访企业按家数计,一次拜访可覆盖多家企业。") + JOINT,
        **ACTIVITY,
    )
)
register(
    Indicator(
        "inspections",
        _("来访考察"),
        _("批次"),
        where=_kind("inspection"),
        value=lambda p, b: Sum("batches"),
        aliases=("邀请来访考察",),
        definition=_("企业来我方考察,按批次计。") + JOINT,
        **ACTIVITY,
    )
)
register(
    Indicator(
        "promotions",
        _("招商推介会"),
        _("场"),
        where=_kind("promotion"),
        definition=_("举办或参加的招商推介会场次。") + JOINT,
        **ACTIVITY,
    )
)
register(
    Indicator(
        "online_meetings",
        _("线上洽谈企业"),
        _("家"),
        where=_kind("online"),
        value=lambda p, b: Sum("enterprise_count"),
        definition=_("线上洽谈、视频会议对接的企业家数。") + JOINT,
        **ACTIVITY,
    )
)
register(
    Indicator(
        "signing_ceremonies",
        _("集中签约活动"),
        _("场"),
        where=_kind("signing"),
        definition=_("集中签约(含云签约)活动场次。") + JOINT,
        **ACTIVITY,
    )
)

# --- pre-review -----------------------------------------------------------------------------------

register(
    Indicator(
        "prereview_meetings",
        _("预审会"),
        _("次"),
        model="projects.PreReviewMeeting",
        date_field="held_on",
        unit_path=None,
        region_path="region",
        basis_aware=False,
        definition=_("召开日期在期间内的项目预审会次数。"),
    )
)
VERDICTS = {
    "model": "projects.PreReviewVerdict",
    "date_field": "meeting__held_on",
    "unit_path": "project__introducing_unit",
    "region_path": "meeting__region",
    "basis_aware": False,
    "alive_path": "meeting__is_deleted",
}
register(
    Indicator(
        "prereview_judged",
        _("预审研判项目"),
        _("个"),
        value=lambda p, b: Count("project", distinct=True),
        definition=_("期间内预审会研判的项目个数,同一项目多次研判计一个。"),
        **VERDICTS,
    )
)
register(
    Indicator(
        "prereview_passed",
        _("通过预审项目"),
        _("个"),
        refine=lambda qs: qs.filter(verdict="passed"),
        value=lambda p, b: Count("project", distinct=True),
        definition=_("期间内预审结论为通过的项目个数。"),
        **VERDICTS,
    )
)


# --- recognition-dated twins (日期口径) -------------------------------------------------------------


def _register_recognition_twins() -> None:
    from dataclasses import replace

    for code, indicator in list(REGISTRY.items()):
        recognised_on = EVENT_RECOGNITION.get(indicator.date_field)
        if indicator.model == "projects.Project" and recognised_on:
            RECOGNITION_TWINS[code] = replace(
                indicator, date_field=recognised_on, refine=_dated(indicator.refine, indicator.date_field)
            )


def _dated(refine, event_field: str):
    # Counted by recognition date, a project still needs the event itself (signed, commenced).
    return lambda qs: refine(qs.filter(**{f"{event_field}__isnull": False}))


# 不予认定 (issue 13): the project indicators (and funds in place, by their project) leave out the
# projects the eligibility rules of the record's year exclude (``options.exclude_ineligible``).
ELIGIBILITY_PREFIX = {"projects.Project": "", "projects.FundsRecord": "project__"}


@functools.cache
def _eligible(refine, date_field: str, prefix: str):
    # One wrapper for each rule: indicators that shared a rule still share it (``rollup.COUNTED_AS``
    # tells the indicators that count the same records apart by their rules).
    return lambda qs: options.exclude_ineligible(refine(qs), date_field, prefix)


def _apply_eligibility() -> None:
    from dataclasses import replace

    for code, indicator in list(REGISTRY.items()):
        if indicator.model in ELIGIBILITY_PREFIX:
            prefix = ELIGIBILITY_PREFIX[indicator.model]
            REGISTRY[code] = replace(
                indicator, refine=_eligible(indicator.refine, indicator.date_field, prefix)
            )


_apply_eligibility()
_register_recognition_twins()
