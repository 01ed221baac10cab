"""Reads built on the engine: the units × indicators table (target, completion, 序时进度, YoY)."""

from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.core.formatting import plain
from zhaoshang.metrics.engine import ZERO, measure_by_unit, yoy_growth
from zhaoshang.metrics.indicators import REGISTRY, Indicator
from zhaoshang.metrics.periods import Period

DEFAULT_TABLE_CODES = [
    "signed_projects_100m",
    "signed_amount_100m_wan",
    "commenced_projects",
    "funds_wan",
    "leads",
    "valuable_leads",
    "trips",
    "visits",
    "inspections",
]


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal
    previous: Decimal
    target: Decimal | None

    @property
    def growth(self) -> Decimal | None:
        return yoy_growth(self.value, self.previous)

    @property
    def completion(self) -> Decimal | None:
        return self.value / self.target if self.target else None


@dataclass
class Row:
    unit: object
    cells: list[Cell] = field(default_factory=list)


def indicator_table(
    *, units, codes: list[str], period: Period, basis: str, by_unit=None
) -> tuple[list[Indicator], list[Row]]:
    """One query per indicator for the period, one for the year before, one for all targets —
    whatever the number of units. ``by_unit(code, period)``, where given, gives each unit's value
    for (at least) these units, measured on ``basis``: a report with many such tables measures
    all its units once (``measure_by_unit`` of a unit does not depend on the others measured)."""
    from zhaoshang.targets.models import Target

    units = list(units)
    ids = [u.pk for u in units]
    indicators = [REGISTRY[c] for c in codes]
    if by_unit is None:

        def by_unit(code, p):
            return measure_by_unit(code, period=p, basis=basis, unit_ids=ids)

    now = {c: by_unit(c, period) for c in codes}
    then = {c: by_unit(c, period.previous_year()) for c in codes}
    targets: dict[tuple[int, str], Decimal] = {}
    target_rows = Target.objects.filter(unit_id__in=ids, indicator__in=codes)
    if period.campaign_id is not None:
        target_rows = target_rows.filter(campaign_id=period.campaign_id)
    else:
        target_rows = target_rows.filter(campaign__isnull=True, year=period.year)
    for unit_id, code, value in target_rows.values_list("unit_id", "indicator", "value"):
        targets[(unit_id, code)] = value
    rows = []
    for unit in units:
        row = Row(unit)
        for indicator in indicators:
            c = indicator.code
            row.cells.append(
                Cell(
                    indicator,
                    now[c].get(unit.pk, ZERO),
                    then[c].get(unit.pk, ZERO),
                    targets.get((unit.pk, c)),
                )
            )
        rows.append(row)
    return indicators, rows


# --- counting options in force (口径选项) -----------------------------------------------------------


@dataclass(frozen=True)
class OptionInForce:
    """One counting option of a year as the 口径 page lists it: its name, its value, the rule."""

    name: str
    value: str
    rule: str
    is_default: bool


def pct_text(share: Decimal) -> str:
    """A share (0.6) as the percentage it is (60%), exact: shares have at most four decimals."""
    return f"{plain(share * 100)}%"


def options_in_force(year: int) -> list[OptionInForce]:
    """The counting options of ``year`` with the rule each implements (SPEC §3 where not set)."""
    from django.utils.translation import gettext as _

    from zhaoshang.core.formatting import wan_to_yi
    from zhaoshang.metrics import options
    from zhaoshang.metrics.models import DEFAULT_BAND_EDGES, DEFAULT_THRESHOLD_WAN, DateBasis

    rules = options.rules_for(year)
    excluded = [label for label, _condition in options.ineligibility_conditions(rules)]
    share = rules.landing_share
    threshold = _("{v}万元").format(v=plain(rules.threshold_wan))
    usd = rules.foreign_threshold_usd_wan
    bands = "、".join(label for _edge, label in reversed(options.band_labels(rules.edges_wan())))
    return [
        OptionInForce(
            _("亿元以上门槛"),
            threshold,
            _(
                "“亿元以上项目”指计入投资额(扩建、增资项目按新增投资)≥{v}亿元的签约项目,含本数;"
                "签约亿元以上项目个数、签约额和开工率的基数都按此计。"
            ).format(v=wan_to_yi(rules.threshold_wan)),
            rules.threshold_wan == DEFAULT_THRESHOLD_WAN,
        ),
        OptionInForce(
            _("外资项目门槛"),
            _("{v}万美元").format(v=plain(usd)) if usd is not None else _("不启用"),
            _(
                "外资额达到{v}万美元的项目,投资额不足门槛也计为亿元以上项目(亿元以上或外资{v}万美元以上)。"
            ).format(v=plain(usd))
            if usd is not None
            else _("只按人民币计入投资额判断是否亿元以上。"),
            usd is None,
        ),
        OptionInForce(
            _("规模分档"),
            bands,
            _("按计入投资额分档,每档含下限、不含上限;各项目按其签约年度的分档计。"),
            rules.band_edges == DEFAULT_BAND_EDGES,
        ),
        OptionInForce(
            _("日期口径"),
            str(DateBasis(rules.date_basis).label),
            _(
                "签约、开工项目按局首次认定该签约、开工的日期计入期间(此后更正再认定不改变该日期);"
                "尚未认定的不计入(上报口径同样)。期间跨年度时按期间末所在年度的日期口径。"
            )
            if rules.date_basis == DateBasis.RECOGNISED
            else _("签约、开工项目按签约日期、开工日期计入期间(SPEC默认)。"),
            rules.date_basis == DateBasis.EVENT,
        ),
        OptionInForce(
            _("不予认定"),
            _("启用{n}项").format(n=len(excluded)) if excluded else _("不启用"),
            "；".join(excluded)
            + _("。不予认定的项目不计入项目和到位资金的各项数字,逐个列在“不予认定的项目”中。")
            if excluded
            else _("所有签约、开工项目均计入(SPEC默认)。"),
            not excluded,
        ),
        OptionInForce(
            _("按比例分成"),
            _("落户单位{a}、引进单位{b}").format(a=pct_text(share), b=pct_text(1 - share))
            if share is not None
            else _("不启用"),
            _(
                "“按比例计入”的指标(签约项目、签约亿元以上项目、签约额)中,填有落户单位的项目由落户单位计入{a}、"
                "引进单位计入{b};区划合计仍为一个项目。"
            ).format(a=pct_text(share), b=pct_text(1 - share))
            if share is not None
            else _("项目全部计入引进单位(SPEC默认:引进单位一个项目只有一个,协助单位不计)。"),
            share is None,
        ),
        OptionInForce(
            _("一个项目、一个首报单位"),
            _("启用") if rules.first_introducer else _("不启用"),
            _("几个单位报送的同一项目,经核查为同一项目后只保留最先报送(上报时间最早)的单位的记录,其余退库。")
            if rules.first_introducer
            else _("几个单位报送的同一项目,经核查后由招商局选定保留哪一条记录。"),
            not rules.first_introducer,
        ),
    ]


# --- 不予认定: the projects the eligibility rules exclude, each with its rule ----------------------------


@dataclass(frozen=True)
class ExcludedProject:
    project: object
    rules: list[str]


def ineligible_projects(*, user, year: int) -> list[ExcludedProject]:
    """The projects signed or commenced in ``year`` (reported or recognised, not withdrawn) that the
    不予认定 rules of ``year`` leave out of the figures, each with the rules that exclude it — what
    the figures do not count is listed, never silently dropped (issue 13)."""
    from django.db.models import BooleanField, Case, Q, Value, When

    from zhaoshang.core import access
    from zhaoshang.metrics import options
    from zhaoshang.metrics.indicators import Basis, basis_filter
    from zhaoshang.projects.choices import Stage
    from zhaoshang.projects.models import Project

    conditions = options.ineligibility_conditions(options.rules_for(year))
    if not conditions:
        return []
    qs = access.restrict(Project.objects.select_related("introducing_unit", "region", "investor"), user)
    qs = (
        qs.filter(Q(signed_on__year=year) | Q(commenced_on__year=year))
        .filter(basis_filter(Basis.REPORTED), duplicate_hold=False)
        .exclude(stage=Stage.WITHDRAWN)
        .alias(**{options.SIZE_ALIAS: options.counted_investment()})
    )
    either = Q()
    flags = {}
    for index, (_label, condition) in enumerate(conditions):
        either |= condition
        flags[f"_rule{index}"] = Case(
            When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    rows = qs.filter(either).annotate(**flags).order_by("introducing_unit__order", "signed_on", "pk")
    return [
        ExcludedProject(p, [label for i, (label, _c) in enumerate(conditions) if getattr(p, f"_rule{i}")])
        for p in rows
    ]
