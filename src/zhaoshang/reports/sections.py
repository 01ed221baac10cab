"""Paragraphs and tables shared by several kinds of report, written the way seed 000 writes them.

Every figure comes from ``ReportContext`` (the metrics engine); every sentence names its period;
each figure links to the records it counts.
"""

from decimal import Decimal

from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.formatting import wan_to_yi
from zhaoshang.metrics.engine import ZERO, Figure, measure
from zhaoshang.metrics.formatting import yoy_text
from zhaoshang.metrics.indicators import REGISTRY, Basis
from zhaoshang.metrics.periods import Period, gap_points, month_end, month_range
from zhaoshang.metrics.selectors import indicator_table
from zhaoshang.organisation.choices import IndustryKind, UnitKind
from zhaoshang.organisation.models import Industry
from zhaoshang.reports import links, rules
from zhaoshang.reports.document import Doc
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.ranking import GroupRanking
from zhaoshang.reports.text import (
    clauses,
    completion,
    count_share,
    days,
    difference,
    link,
    md,
    names,
    num,
    ordinal,
    percent,
    period_in_sentence,
    progress_gap,
    ratio,
    scope_word,
    share,
    share_places,
    yi,
)

TASK_FORCE_KINDS = (UnitKind.TASK_FORCE,)

# How a sentence names an indicator, and its unit ("" for money, written in 亿元). Each amount says
# what it sums: the all-projects amount is never written bare "签约额" beside a 亿元以上 count.
PHRASES = {
    "signed_projects": (gettext_lazy("签约项目"), gettext_lazy("个")),
    "signed_projects_100m": (gettext_lazy("签约亿元以上项目"), gettext_lazy("个")),
    "signed_amount_wan": (gettext_lazy("全部签约项目签约额"), ""),
    "signed_amount_100m_wan": (gettext_lazy("亿元以上项目签约额"), ""),
    "signed_projects_1b": (gettext_lazy("签约10亿元以上项目"), gettext_lazy("个")),
    "signed_industrial_50m": (gettext_lazy("签约5000万元以上工业项目"), gettext_lazy("个")),
    "commenced_projects": (gettext_lazy("新开工项目"), gettext_lazy("个")),
    "commenced_amount_wan": (gettext_lazy("新开工项目计划总投资"), ""),
    "in_production_projects": (gettext_lazy("投产项目"), gettext_lazy("个")),
    "funds_wan": (gettext_lazy("实际到位资金"), ""),
    "foreign_usd_wan": (gettext_lazy("实际利用外资"), gettext_lazy("万美元")),
    "foreign_cash_usd_wan": (gettext_lazy("现汇进资"), gettext_lazy("万美元")),
    "leads": (gettext_lazy("招商信息"), gettext_lazy("条")),
    "valuable_leads": (gettext_lazy("有价值信息"), gettext_lazy("条")),
    "trips": (gettext_lazy("外出招商"), gettext_lazy("次")),
    "out_of_province_trips": (gettext_lazy("出省招商"), gettext_lazy("次")),
    "days_away": (gettext_lazy("外出天数"), gettext_lazy("天")),
    "visits": (gettext_lazy("拜访企业"), gettext_lazy("家")),
    "inspections": (gettext_lazy("来访考察"), gettext_lazy("批次")),
}
# The order in which target completion is reported.
TARGET_ORDER = [
    "signed_projects_100m",
    "signed_amount_100m_wan",
    "signed_amount_wan",
    "signed_projects_1b",
    "signed_projects",
    "signed_industrial_50m",
    "commenced_projects",
    "in_production_projects",
    "funds_wan",
    "foreign_usd_wan",
    "foreign_cash_usd_wan",
    "leads",
    "valuable_leads",
    "trips",
    "out_of_province_trips",
    "days_away",
    "visits",
    "inspections",
]
# The columns of the units' completion table (value and completion of each).
UNIT_TABLE_CODES = ["signed_projects_100m", "signed_amount_wan", "commenced_projects", "funds_wan", "leads"]


def phrase(code: str) -> tuple[str, str]:
    if code in PHRASES:
        name, unit = PHRASES[code]
        return str(name), str(unit)
    indicator = REGISTRY[code]
    name = str(indicator.name).split("(")[0]
    return name, "" if indicator.money and str(indicator.unit) == "万元" else str(indicator.unit)


def value_text(code: str, value: Decimal) -> str:
    """66个 / 345.7亿元 / 16天."""
    _name, unit = phrase(code)
    indicator = REGISTRY[code]
    if indicator.money and str(indicator.unit) == "万元":
        return yi(value)
    if code == "days_away":
        return f"{days(value, 0)}{unit}"
    return f"{num(value)}{unit}"


def header_unit(code: str) -> str:
    """The unit as a table header writes it: （个） / （亿元）."""
    _name, unit = phrase(code)
    return f"（{unit or _('亿元')}）"


def cell_value(code: str, value: Decimal) -> str:
    indicator = REGISTRY[code]
    if indicator.money and str(indicator.unit) == "万元":
        return wan_to_yi(value)
    return num(value)


def figure_link(ctx: ReportContext, code: str, value: Decimal, period: Period | None = None, **kw) -> str:
    return link(value_text(code, value), ctx.url(code, period, **kw))


def commencement_period(period: Period) -> Period:
    """The period new commencements (新增开工入库) are reported for in a 工作情况汇报.

    Seed 000's 1–7月 report gives 1–6月 commencements: 开工入库 is confirmed by the statistics office
    only after the month closes, so the report's last month is not yet known. We follow it: for a
    period of two months or more ending at a month's end, commencements are counted up to the end
    of the previous month; a single month, a week or a campaign counts its own period.
    """
    start, end = period.start, period.end
    if period.campaign_id is not None or (start.year, start.month) == (end.year, end.month):
        return period
    if end != month_end(end.year, end.month):
        return period
    year, month = (end.year, end.month - 1) if end.month > 1 else (end.year - 1, 12)
    return month_range(start.year, start.month, year, month)


def ytd(period: Period) -> bool:
    """Whether the period runs from 1 January (so that "完成全年任务" makes sense)."""
    return period.start.month == 1 and period.start.day == 1 and period.start.year == period.end.year


# --- the opening paragraph (seed 000) ------------------------------------------------------------------


def headline(ctx: ReportContext, doc: Doc, *, year: int, lag_commencement: bool = True) -> None:
    """ "1至7月，全区签约亿元以上招商引资项目66个，同比增长40.4%，签约额345.7亿元，同比增长92.5%。其中
    20亿元以上项目3个，10-20亿元（不含20亿元）项目6个，5-10亿元（不含10亿元）项目27个。1至6月新增开工入库
    招商引资项目51个，同比增长18.6%，计划总投资126.93亿元，同比增长46.1%，其中10亿元以上重大项目2个。"

    Signed: 亿元以上 = counted investment ≥ 1亿元, the amount sums those projects only (SPEC §3).
    Commenced: see ``commencement_period``."""
    period = ctx.period
    ps = period_in_sentence(period, year)
    count = ctx.figure("signed_projects_100m")
    amount = ctx.figure("signed_amount_100m_wan")
    text = _("{p}，{scope}签约亿元以上招商引资项目{n}，{g1}，签约额{a}，{g2}。").format(
        p=ps,
        scope=ctx_scope(ctx),
        n=figure_link(ctx, "signed_projects_100m", count.value),
        g1=yoy_text(count.growth),
        a=figure_link(ctx, "signed_amount_100m_wan", amount.value),
        g2=yoy_text(amount.growth),
    )
    bands = [
        ("signed_projects_20b", _("20亿元以上项目")),
        ("signed_projects_10_20b", _("10-20亿元（不含20亿元）项目")),
        ("signed_projects_5_10b", _("5-10亿元（不含10亿元）项目")),
    ]
    text += _("其中{bands}。").format(
        bands="，".join(f"{label}{figure_link(ctx, code, ctx.measure(code))}" for code, label in bands)
    )
    cp = commencement_period(period) if lag_commencement else period
    cps = period_in_sentence(cp, year)
    started = ctx.figure("commenced_projects", cp)
    planned = ctx.figure("commenced_amount_wan", cp)
    major = ctx.measure("commenced_projects_1b", cp)
    text += _(
        "{p}新增开工入库招商引资项目{n}，{g1}，计划总投资{a}，{g2}，其中10亿元以上重大项目{m}。"
    ).format(
        p=cps,
        n=figure_link(ctx, "commenced_projects", started.value, cp),
        g1=yoy_text(started.growth),
        a=figure_link(ctx, "commenced_amount_wan", planned.value, cp),
        g2=yoy_text(planned.growth),
        m=figure_link(ctx, "commenced_projects_1b", major, cp),
    )
    doc.p(text)


def ctx_scope(ctx: ReportContext) -> str:
    return scope_word(ctx.region)


# --- rankings by assessment group -----------------------------------------------------------------------


def ranking_remark(line) -> str:
    parts = []
    if line.vetoed:
        reasons = names(line.veto_reasons)
        parts.append(_("一票否决（{r}）").format(r=reasons) if reasons else _("一票否决"))
    if line.bottom_streak >= 2:
        parts.append(_("连续{n}期末位").format(n=line.bottom_streak))
    elif line.is_bottom:
        parts.append(_("末位"))
    return "；".join(parts)


def ranking_tables(
    ctx: ReportContext,
    doc: Doc,
    rankings: list[GroupRanking],
    *,
    ps: str,
    headings: bool = True,
    areas: list | None = None,
) -> None:
    """（一）任务单位排位情况 … : the first and last three named, then the table.

    With ``areas`` (a city's counties, a province's cities: a multi-level deployment, whose counties
    are ranked before this), a group's table is not one long list of every unit: it shows the first
    ``levels.UNITS_SHOWN`` across the deployment, each with its county, and names the last."""
    from zhaoshang.reports import levels

    many = bool(areas) and len(areas) >= 2
    # Each unit's county from the context's units (their regions already loaded): no query per line.
    area_by_unit = {u.pk: levels.area_name(areas, u) for u in ctx.units} if many else {}

    def area(unit) -> str:
        return area_by_unit.get(unit.pk) or levels.area_name(areas, unit)

    for index, ranking in enumerate(rankings, start=1):
        if not ranking.lines:
            continue
        if headings:
            doc.h2(_("（{n}）{group}排位情况").format(n=ordinal(index), group=md(ranking.name)))
        lines = ranking.lines

        def named(line) -> str:
            if not many:
                return md(line.unit.name)
            return f"{md(line.unit.name)}（{md(area(line.unit))}）"

        unit_names = [named(line) for line in lines]
        if len(lines) >= 6:
            doc.p(
                _("{p}，排名前三位：{top}；排名后三位：{bottom}。").format(
                    p=ps, top=names(unit_names[:3]), bottom=names(unit_names[-3:])
                )
            )
        else:
            doc.p(_("{p}，排名依次为：{all}。").format(p=ps, all=names(unit_names)))
        shown = lines[: levels.UNITS_SHOWN] if many else lines
        if ranking.by_assessment:
            header = [_("排名"), _("单位"), _("基本分"), _("加分"), _("扣分"), _("得分"), _("备注")]
            rows = [
                [
                    str(line.rank),
                    md(line.unit.name),
                    num(line.basic),
                    num(line.bonus),
                    num(line.deduction),
                    num(line.score),
                    ranking_remark(line),
                ]
                for line in shown
            ]
            align = ["c", "l", "r", "r", "r", "r", "l"]
        else:
            header = [
                _("排名"),
                _("单位"),
                _("签约亿元以上项目（个）"),
                _("全年目标（个）"),
                _("完成率"),
                _("亿元以上项目签约额（亿元）"),
            ]
            rows = [
                [
                    str(line.rank),
                    md(line.unit.name),
                    link(num(line.value), ctx.url("signed_projects_100m", unit_id=line.unit.pk)),
                    num(line.target) if line.target is not None else "—",
                    percent(line.completion),
                    link(
                        cell_value("signed_amount_100m_wan", line.amount),
                        ctx.url("signed_amount_100m_wan", unit_id=line.unit.pk),
                    ),
                ]
                for line in shown
            ]
            align = ["c", "l", "r", "r", "r", "r"]
        if many:
            for row, line in zip(rows, shown, strict=True):
                row.insert(2, md(area(line.unit)))
            header.insert(2, _("所属地区"))
            align.insert(2, "l")
        if many and len(lines) > len(shown):
            caption = _("{p}{group}排名前{n}位").format(p=ps, group=md(ranking.name), n=len(shown))
        else:
            caption = _("{p}{group}排名").format(p=ps, group=md(ranking.name))
        doc.table(caption, header, rows, align=align)
        if many and len(lines) > len(shown):
            doc.p(
                _("其余{n}个单位的完成情况按所属地区列于“各单位目标任务完成情况”。").format(
                    n=len(lines) - len(shown)
                )
            )
        doc.note(ranking.note(ps))


# --- activities (招商氛围) -------------------------------------------------------------------------------


def activities_paragraph(ctx: ReportContext, doc: Doc, *, ps: str) -> None:
    """Trips (of them out of the province), days away, visits (家), inspections (批次), promotion
    events, online meetings (家), signing ceremonies; a joint activity counts once for the region."""
    values = {
        code: ctx.measure(code)
        for code in (
            "trips",
            "out_of_province_trips",
            "days_away",
            "visits",
            "inspections",
            "promotions",
            "online_meetings",
            "signing_ceremonies",
        )
    }

    def f(code: str, unit: str) -> str:
        return link(f"{num(values[code])}{unit}", ctx.url(code))

    parts = [
        _("共开展外出招商{t}（其中出省招商{o}），累计外出{d}").format(
            t=f("trips", _("次")), o=f("out_of_province_trips", _("次")), d=f("days_away", _("天"))
        )
    ]
    optional = [
        ("visits", _("拜访企业{v}"), _("家")),
        ("inspections", _("邀请企业来访考察{v}"), _("批次")),
        ("promotions", _("举办招商推介会{v}"), _("场")),
        ("online_meetings", _("线上洽谈对接企业{v}"), _("家")),
        ("signing_ceremonies", _("举办集中签约活动{v}"), _("场")),
    ]
    for code, template, unit in optional:
        if values[code]:
            parts.append(template.format(v=f(code, unit)))
    doc.p(_("{p}，{scope}{parts}。").format(p=ps, scope=ctx_scope(ctx), parts=clauses(parts)))


# --- quality and structure (招商质效) ------------------------------------------------------------------


def structure_counts(ctx: ReportContext, period: Period | None = None) -> dict[str, Decimal]:
    """Among the signed 亿元以上 projects: chain, leading-industry, manufacturing, strategic
    emerging, listed-or-leading investor, high-tech investor, acquired land, leased plant."""
    code = "signed_projects_100m"
    land = ctx.land_modes(code, period)
    return {
        "total": ctx.measure(code, period),
        "chain": ctx.flag_count(code, "is_chain", period),
        "leading": ctx.flag_count(code, "is_leading_industry", period),
        "manufacturing": ctx.flag_count(code, "is_manufacturing", period),
        "strategic": ctx.flag_count(code, "is_strategic_emerging", period),
        "listed": ctx.tagged_count(code, rules.LISTED_OR_LEADER_TAGS, period),
        "high_tech": ctx.tagged_count(code, rules.HIGH_TECH_TAGS, period),
        "acquisition": land.get("acquisition", ZERO),
        "leased": land.get("leased", ZERO),
    }


def quality_paragraphs(ctx: ReportContext, doc: Doc, *, ps: str, counts: dict[str, Decimal]) -> None:
    big = ctx.figure("signed_projects_1b")
    text = _("{p}，{scope}签约引进10亿元以上项目{n}，{d}").format(
        p=ps,
        scope=ctx_scope(ctx),
        n=figure_link(ctx, "signed_projects_1b", big.value),
        d=difference(big.value, big.previous, _("个")),
    )
    if big.target and ytd(ctx.period):
        if big.value >= big.target:
            text += _("，已完成全年10亿元以上项目引进目标（{t}个）").format(t=num(big.target))
        else:
            text += "，" + completion(big.value, big.target)
    doc.p(text + "。")
    total = counts["total"]
    if not total:
        return
    url = ctx.url("signed_projects_100m")
    leading_url = ctx.url("signed_projects_100m", extra={"is_leading_industry": "true"})
    items = [
        (_("产业链项目"), counts["chain"], url),
        (_("主导产业项目"), counts["leading"], leading_url),
        (_("制造业项目"), counts["manufacturing"], url),
        (_("战略性新兴产业项目"), counts["strategic"], url),
        (_("上市公司、头部企业投资项目"), counts["listed"], url),
        (_("高新技术企业投资项目"), counts["high_tech"], url),
    ]
    doc.p(
        _("从项目结构看，{p}签约的{n}亿元以上项目中，{items}。").format(
            p=ps,
            n=link(_("{n}个").format(n=num(total)), url),
            items=clauses(
                f"{label}{link(_('{n}个').format(n=num(v)), u)}，{share(v, total)}"
                if v
                else _("无{label}").format(label=label)
                for label, v, u in items
            ),
        )
    )
    if counts["acquisition"] or counts["leased"]:
        doc.p(
            _("从用地方式看，征地项目{a}个，{sa}；租赁厂房项目{b}个，{sb}。").format(
                a=num(counts["acquisition"]),
                sa=share(counts["acquisition"], total),
                b=num(counts["leased"]),
                sb=share(counts["leased"], total),
            )
        )


def industry_table(ctx: ReportContext, doc: Doc, *, ps: str) -> dict[str, Decimal]:
    """Signed 亿元以上 projects by leading industry (主导产业): number, amount and their shares."""
    counts = ctx.grouped("signed_projects_100m", "industry__name")
    amounts = ctx.grouped("signed_amount_100m_wan", "industry__name")
    total_n = sum(counts.values(), ZERO)
    total_a = sum(amounts.values(), ZERO)
    if not total_n:
        return {}
    order = list(
        Industry.objects.filter(kind=IndustryKind.LEADING)
        .order_by("order", "name")
        .values_list("name", flat=True)
    )
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order and k)
    if None in counts:
        keys.append(None)
    rows = []
    for key in keys:
        label = md(key) if key else _("其他")
        rows.append(
            [
                label,
                num(counts.get(key, ZERO)),
                percent(ratio(counts.get(key, ZERO), total_n)),
                cell_value("signed_amount_100m_wan", amounts.get(key, ZERO)),
                percent(ratio(amounts.get(key, ZERO), total_a)),
            ]
        )
    rows.append(
        [
            _("合计"),
            link(num(total_n), ctx.url("signed_projects_100m")),
            "100%",
            link(cell_value("signed_amount_100m_wan", total_a), ctx.url("signed_amount_100m_wan")),
            "100%",
        ]
    )
    doc.table(
        _("{p}签约亿元以上项目分产业情况").format(p=ps),
        [_("产业"), _("项目（个）"), _("占比"), _("签约额（亿元）"), _("占比")],
        rows,
        align=["l", "r", "r", "r", "r"],
    )
    return {(k or _("其他")): amounts.get(k, ZERO) for k in keys}


def charts(ctx: ReportContext, doc: Doc, *, ps: str, year: int, by_industry: dict | None = None) -> None:
    """Monthly trend with the previous year, amount by industry, number by size band."""
    period = ctx.period
    if period.start.year == period.end.year and period.end.month > period.start.month:
        months = list(range(period.start.month, period.end.month + 1))
        series = []
        for p in (period, period.previous_year()):
            values = ctx.grouped("signed_amount_100m_wan", TruncMonth("signed_on"), p)
            per_month = {k.month: v for k, v in values.items() if k is not None}
            series.append(
                {
                    "name": _("{y}年").format(y=p.start.year),
                    "values": [float(per_month.get(m, ZERO) / 10000) for m in months],
                }
            )
        doc.chart(
            "trend",
            _("{p}签约亿元以上项目签约额逐月对比（亿元）").format(p=ps),
            {
                "type": "bar",
                "categories": [_("{m}月").format(m=m) for m in months],
                "series": series,
                "unit": _("亿元"),
            },
        )
    if by_industry:
        other = _("其他")
        items = sorted(by_industry.items(), key=lambda kv: (kv[0] != other, kv[1]))
        doc.chart(
            "industry",
            _("{p}签约亿元以上项目分产业签约额（亿元）").format(p=ps),
            {
                "type": "barh",
                "categories": [k for k, _v in items],
                "series": [{"name": _("签约额"), "values": [float(v / 10000) for _k, v in items]}],
                "unit": _("亿元"),
            },
        )
    bands = [
        ("signed_projects_20b", _("20亿元以上")),
        ("signed_projects_10_20b", _("10-20亿元")),
        ("signed_projects_5_10b", _("5-10亿元")),
        ("signed_projects_1_5b", _("1-5亿元")),
    ]
    values = [(label, ctx.measure(code)) for code, label in bands]
    if any(v for _l, v in values):
        doc.chart(
            "bands",
            _("{p}签约亿元以上项目规模分布（个）").format(p=ps),
            {
                "type": "bar",
                "categories": [label for label, _v in values],
                "series": [{"name": _("项目数"), "values": [float(v) for _l, v in values]}],
                "unit": _("个"),
            },
        )


# --- dispatch (招商调度): pre-review, leads, funds ----------------------------------------------------


def dispatch_paragraphs(ctx: ReportContext, doc: Doc, *, ps: str) -> None:
    meetings = ctx.measure("prereview_meetings")
    judged = ctx.measure("prereview_judged")
    passed = ctx.measure("prereview_passed")
    if meetings:
        doc.p(
            _("{p}共召开项目预审会{m}，研判项目{j}，通过项目预审{k}。").format(
                p=ps,
                m=figure_link(ctx, "prereview_meetings", meetings),
                j=figure_link(ctx, "prereview_judged", judged),
                k=figure_link(ctx, "prereview_passed", passed),
            )
        )
    leads = ctx.measure("leads")
    valuable = ctx.measure("valuable_leads")
    if leads:
        doc.p(
            _("{p}各单位共上报招商信息{n}，其中有价值信息{v}，{s}。").format(
                p=ps,
                n=figure_link(ctx, "leads", leads),
                v=figure_link(ctx, "valuable_leads", valuable),
                s=share(valuable, leads),
            )
        )
    funds_paragraph(ctx, doc, ps=ps)


def _against_target(ctx: ReportContext, figure: Figure) -> list[str]:
    """ "完成全年任务的46.5%", "低于序时进度11.9个百分点" for a year-to-date figure with a target."""
    if not figure.target or not ytd(ctx.period):
        return []
    return [
        part
        for part in (
            completion(figure.value, figure.target),
            progress_gap(figure.value, figure.target, figure.time_progress),
        )
        if part
    ]


def funds_paragraph(ctx: ReportContext, doc: Doc, *, ps: str) -> None:
    """到位资金 split as seeds 001 and 002 write it: 内资 (RMB in place) with its 省外 and 市外 parts,
    外资 (万美元) with its 现汇 part, each against its annual target where there is one."""
    funds = ctx.figure("funds_wan")
    foreign = ctx.figure("foreign_usd_wan")
    if not (funds.value or funds.previous or foreign.value):
        return
    parts = [
        _("{p}实际到位资金（内资）{v}").format(p=ps, v=figure_link(ctx, "funds_wan", funds.value)),
        yoy_text(funds.growth),
        *_against_target(ctx, funds),
    ]
    text = "，".join(parts)
    outside = [
        (code, label, ctx.measure(code))
        for code, label in (
            ("funds_outside_province_wan", _("省外资金")),
            ("funds_outside_city_wan", _("市外资金")),
        )
    ]
    if any(v for _c, _l, v in outside):
        text += _("，其中{items}").format(
            items="，".join(f"{label}{figure_link(ctx, code, v)}" for code, label, v in outside)
        )
    text += upper_platform_funds(ctx) + "。"
    if foreign.value or foreign.target:
        cash = ctx.figure("foreign_cash_usd_wan")
        parts = [
            _("实际利用外资{v}").format(v=figure_link(ctx, "foreign_usd_wan", foreign.value)),
            *_against_target(ctx, foreign),
        ]
        if cash.value or cash.target:
            parts.append(_("其中现汇进资{v}").format(v=figure_link(ctx, "foreign_cash_usd_wan", cash.value)))
            parts += _against_target(ctx, cash)
        text += "，".join(parts) + "。"
    doc.p(text)


# The upper platforms' recognised funds (zhaoshang.upward), stated beside ours where they were imported:
# seed 001 sets the district's reported figure against the city's recognised one.
UPPER_FUNDS = (
    ("province_funds_wan", gettext_lazy("省平台认定")),
    ("city_funds_wan", gettext_lazy("市平台认定")),
)


def upper_platform_funds(ctx: ReportContext) -> str:
    """ "（省平台认定5.3亿元）" for each platform that recognised funds in the period; "" otherwise."""
    parts = [
        f"{label}{value_text(code, value)}"
        for code, label in UPPER_FUNDS
        if code in REGISTRY and (value := ctx.measure(code))
    ]
    return _("（{parts}）").format(parts="，".join(parts)) if parts else ""


# The indicators compared on both bases (seeds 001, 002: "上报…，市里通报认定…").
BASIS_CODES = [
    "signed_projects",
    "signed_projects_100m",
    "signed_amount_wan",
    "commenced_projects",
    "funds_wan",
    "funds_outside_province_wan",
    "funds_outside_city_wan",
    "foreign_usd_wan",
    "foreign_cash_usd_wan",
]
BASIS_LABELS = {
    "funds_wan": gettext_lazy("实际到位资金（内资）"),
    "funds_outside_province_wan": gettext_lazy("其中：省外资金"),
    "funds_outside_city_wan": gettext_lazy("其中：市外资金"),
    "foreign_cash_usd_wan": gettext_lazy("其中：现汇进资"),
}


def basis_table(ctx: ReportContext, doc: Doc, *, ps: str, period: Period | None = None) -> None:
    """上报口径 and 认定口径 side by side for the main indicators, with what recognition took off
    (核减 = reported − recognised); each figure measured by the engine on its own basis."""
    period = period or ctx.period
    rows = []
    for code in BASIS_CODES:
        if code not in REGISTRY:
            continue
        values = {
            basis: measure(code, period=period, basis=basis, region=ctx.region)
            for basis in (Basis.REPORTED, Basis.RECOGNISED)
        }
        reported, recognised = values[Basis.REPORTED], values[Basis.RECOGNISED]
        if not reported and not recognised:
            continue
        name = str(BASIS_LABELS.get(code) or phrase(code)[0])
        rows.append(
            [
                f"{name}{header_unit(code)}",
                link(
                    cell_value(code, reported), links.records_url(code, period=period, basis=Basis.REPORTED)
                ),
                link(
                    cell_value(code, recognised),
                    links.records_url(code, period=period, basis=Basis.RECOGNISED),
                ),
                cell_value(code, reported - recognised),
                percent(ratio(recognised, reported)),
            ]
        )
    doc.table(
        _("{p}{scope}主要指标上报与认定口径对照").format(p=ps, scope=ctx_scope(ctx)),
        [_("指标"), _("上报口径"), _("认定口径"), _("核减"), _("认定占上报")],
        rows,
        align=["l", "r", "r", "r", "r"],
    )


# --- problems (存在的问题), driven by the data ---------------------------------------------------------


def _leading_band(ctx: ReportContext, code: str, label: str, ps: str) -> str:
    total = ctx.measure(code)
    if not total:
        return ""
    leading = ctx.records(code).filter(is_leading_industry=True).order_by("-total_investment_wan", "name")
    leading_names = [md(p.name) for p in leading]
    n = len(leading_names)
    # A band whose leading share meets the floor says nothing about weakness: it is left out.
    if ratio(n, total) >= rules.LEADING_SHARE_FLOOR:
        return ""
    if not n:
        return _("{p}新签约{label}{t}个，无主导产业项目").format(p=ps, label=label, t=num(total))
    named = _("（{names}）").format(names=names(leading_names)) if n <= 3 else ""
    return _("{p}新签约{label}{t}个，主导产业项目仅{n}个{named}，{s}").format(
        p=ps, label=label, t=num(total), n=n, named=named, s=share(n, total)
    )


def quality_problems(ctx: ReportContext, *, ps: str, counts: dict[str, Decimal]) -> list[str]:
    """一是主导产业支撑力不强 (share of leading-industry projects below the floor); 二是项目结构不优
    (listed/leading or high-tech investors below the floor); 三是项目质量不高 (more leased plants
    than acquired land)."""
    total = counts["total"]
    out = []
    if not total:
        return out
    if ratio(counts["leading"], total) < rules.LEADING_SHARE_FLOOR:
        bands = [
            _leading_band(ctx, "signed_projects_20b", _("20亿元以上项目"), ps),
            _leading_band(ctx, "signed_projects_10_20b", _("10-20亿元（不含20亿元）项目"), ps),
        ]
        bands = [b for b in bands if b]
        bands.append(
            _("{p}新签约亿元以上项目{t}个，{c}").format(
                p="" if bands else ps,
                t=num(total),
                c=count_share(_("主导产业项目"), counts["leading"], total, only=True),
            )
        )
        out.append(_("主导产业支撑力不强。") + clauses(bands) + "。")
    weak = [
        (label, counts[key])
        for key, label in (
            ("listed", _("上市公司、头部企业投资项目")),
            ("high_tech", _("高新技术企业投资项目")),
        )
        if ratio(counts[key], total) < rules.STRUCTURE_SHARE_FLOOR
    ]
    if weak:
        # Only the shares below the floor are called weak ("仅"); none at all is "无…".
        context = [
            f"{label}{share(counts[key], total)}"
            for key, label in (("manufacturing", _("制造业项目")), ("strategic", _("战略性新兴产业项目")))
            if counts[key]
        ]
        low = [
            _("{label}仅{s}").format(label=label, s=share(v, total))
            if v
            else _("无{label}").format(label=label)
            for label, v in weak
        ]
        out.append(
            _("项目结构不优。{p}签约的亿元以上项目中，{items}。").format(p=ps, items="，".join(context + low))
        )
    if counts["leased"] > counts["acquisition"]:
        out.append(
            _(
                "项目质量不高。{p}新签约亿元以上项目中征地项目仅{a}个，{sa}，租赁厂房类项目{b}个，{sb}。"
                "租赁厂房项目普遍投资偏小，加大项目后期入库难度。"
            ).format(
                p=ps,
                a=num(counts["acquisition"]),
                sa=share(counts["acquisition"], total),
                b=num(counts["leased"]),
                sb=share(counts["leased"], total),
            )
        )
    return out


def effort_problems(ctx: ReportContext, *, ps: str) -> list[str]:
    """一是少数任务单位重视不够 (units with few trips, few out-of-province trips, named); 二是专班外出
    招商力度不够 (task forces below their days-away requirement, with their average); 三是有价值项目信息
    收集不够 (valuable share low; units that reported no lead, named)."""
    out = []
    task_units = [u for u in ctx.units if u.kind not in TASK_FORCE_KINDS]
    forces = [u for u in ctx.units if u.kind in TASK_FORCE_KINDS]
    trips = ctx.by_unit("trips")
    out_trips = ctx.by_unit("out_of_province_trips")
    few = [u for u in task_units if trips.get(u.pk, ZERO) <= rules.FEW_TRIPS]
    few_out = [u for u in task_units if out_trips.get(u.pk, ZERO) <= rules.FEW_OUT_OF_PROVINCE_TRIPS]
    parts = []
    if few:
        parts.append(
            _("{p}，{scope}有{n}个任务单位外出招商少于（含）{k}次，分别是：{names}").format(
                p=ps,
                scope=ctx_scope(ctx),
                n=len(few),
                k=rules.FEW_TRIPS,
                names=names(link(md(u.name), ctx.url("trips", unit_id=u.pk)) for u in few),
            )
        )
    if few_out:
        parts.append(
            _("有{n}个任务单位出省招商少于（含）{k}次，分别是：{names}").format(
                n=len(few_out),
                k=rules.FEW_OUT_OF_PROVINCE_TRIPS,
                names=names(
                    link(md(u.name), ctx.url("out_of_province_trips", unit_id=u.pk)) for u in few_out
                ),
            )
        )
    if parts:
        out.append(_("少数任务单位重视不够。") + clauses(parts) + "。")

    if forces:
        months = months_in(ctx.period)
        away = ctx.by_unit("days_away")
        averages = {u.pk: away.get(u.pk, ZERO) / months for u in forces}
        below = [u for u in forces if averages[u.pk] < rules.TASK_FORCE_DAYS_PER_MONTH]
        if below:
            overall = sum(averages.values(), ZERO) / len(forces)
            if len(below) == len(forces):
                who = _("均未达到")
            else:
                who = _("其中{names}未达到").format(names=names(md(u.short_name or u.name) for u in below))
            detail = names(f"{md(u.short_name or u.name)}{days(averages[u.pk])}{_('天')}" for u in below)
            out.append(
                _(
                    "专班外出招商力度不够。{p}，{n}个产业招商专班每月平均外出{d}天，{who}每月{k}天的工作要求（{detail}）。"
                ).format(
                    p=ps,
                    n=len(forces),
                    d=link(days(overall, 0), ctx.url("days_away")),
                    who=who,
                    k=rules.TASK_FORCE_DAYS_PER_MONTH,
                    detail=detail,
                )
            )

    leads = ctx.measure("leads")
    valuable = ctx.measure("valuable_leads")
    by_unit = ctx.by_unit("leads")
    silent = [u for u in ctx.units if not by_unit.get(u.pk)]
    low_share = leads and ratio(valuable, leads) < rules.VALUABLE_SHARE_FLOOR
    if low_share or silent:
        text = _("有价值项目信息收集不够。")
        if leads:
            text += _("{p}各单位共上报新信息{n}，其中有价值信息{v}，{s}。").format(
                p=ps,
                n=figure_link(ctx, "leads", leads),
                v=figure_link(ctx, "valuable_leads", valuable),
                s=share(valuable, leads),
            )
        if silent:
            text += _("{p}无上报新信息单位{n}个，分别是：{names}。").format(
                p=ps, n=len(silent), names=names(md(u.name) for u in silent)
            )
        out.append(text)
    return out


def progress_problems(ctx: ReportContext, *, ps: str) -> list[str]:
    """一是签约周期长 (average days from first negotiation to signing above the alert); 二是项目落地慢
    (开工率, SPEC §3: of the 亿元以上 industrial projects signed in the year, the share commenced by the
    period's end, below the floor)."""
    out = []
    cycles = ctx.signing_cycles("signed_projects_100m")
    counted = sum((n for _d, n in cycles), ZERO)
    if counted:
        average = sum((Decimal(d) * n for d, n in cycles), ZERO) / counted
        long = sum((n for d, n in cycles if d > rules.LONG_SIGNING_CYCLE_DAYS), ZERO)
        if average > rules.SIGNING_CYCLE_ALERT_DAYS:
            out.append(
                _(
                    "签约周期长。{p}签约的亿元以上项目中，有洽谈记录的{n}个，平均签约周期{d}天（自首次洽谈至签约），"
                    "其中超过{k}天的{m}个，{s}。"
                ).format(
                    p=ps,
                    n=num(counted),
                    d=days(average, 0),
                    k=rules.LONG_SIGNING_CYCLE_DAYS,
                    m=num(long),
                    s=share(long, counted),
                )
            )
    rate = ctx.commencement_rate()
    if rate.value is not None and rate.value < rules.COMMENCEMENT_RATE_FLOOR:
        # 开工率 as SPEC §3 defines it; the sentence names what it counts.
        out.append(
            _("项目落地慢。{y}年签约的{t}个亿元以上工业项目中，截至{end}已开工{n}个，开工率{r}。").format(
                y=rate.period.start.year,
                t=num(rate.whole),
                end=_("{m}月{d}日").format(m=ctx.period.end.month, d=ctx.period.end.day),
                n=num(rate.part),
                r=percent(rate.value),
            )
        )
    return out


def problems_section(
    ctx: ReportContext, doc: Doc, *, ps: str, counts: dict[str, Decimal], number: int
) -> int:
    """三、存在的问题 with only the problems the data shows; returns the next section number."""
    groups = [
        (_("引进项目质量不高"), quality_problems(ctx, ps=ps, counts=counts)),
        (_("招商合力形成不够"), effort_problems(ctx, ps=ps)),
        (_("项目推进不快"), progress_problems(ctx, ps=ps)),
    ]
    doc.h1(_("{n}、存在的问题").format(n=ordinal(number)))
    shown = [(title, items) for title, items in groups if items]
    if not shown:
        doc.p(_("{p}各项指标未触发问题提示，请结合实际补充。").format(p=ps))
    for index, (title, items) in enumerate(shown, start=1):
        body = "".join(
            _("{n}是{text}").format(n=ordinal(i), text=item) for i, item in enumerate(items, start=1)
        )
        doc.p(_("（{n}）{title}。").format(n=ordinal(index), title=title) + body)
    return number + 1


def months_in(period: Period) -> Decimal:
    """Whole months in a period (for "每月平均"), at least one."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    return Decimal(max(months, 1))


# --- targets ----------------------------------------------------------------------------------------------


KEY_TARGETS = [
    "signed_projects_100m",
    "signed_amount_100m_wan",
    "signed_amount_wan",
    "signed_projects_1b",
    "commenced_projects",
    "funds_wan",
    "leads",
]


def target_clauses(
    ctx: ReportContext, *, ps: str, period: Period | None = None, codes: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """For each indicator with a regional annual target (the key ones by default): "签约亿元以上项目
    66个，完成全年任务的55.5%，低于序时进度2.8个百分点"; also the names of those below 序时进度."""
    period = period or ctx.period
    targets = ctx.region_targets(period.year)
    progress = period.time_progress()
    out, behind = [], []
    for code in codes or KEY_TARGETS:
        if code not in targets or code not in REGISTRY or not targets[code]:
            continue
        value = ctx.measure(code, period)
        name, _unit = phrase(code)
        target = targets[code]
        out.append(
            "，".join(
                p
                for p in (
                    f"{name}{figure_link(ctx, code, value, period)}",
                    completion(value, target),
                    progress_gap(value, target, progress),
                )
                if p
            )
        )
        if value / target < min(progress, Decimal(1)):
            behind.append(name)
    return out, behind


def behind_text(behind: list[str], period: Period) -> str:
    """ "A、B低于序时进度" while the year runs; "A、B未完成全年任务" once it is over (序时进度 100%)."""
    if period.time_progress() >= 1:
        return _("{names}未完成全年任务").format(names=names(behind))
    return _("{names}低于序时进度").format(names=names(behind))


def targets_table(ctx: ReportContext, doc: Doc, *, ps: str, period: Period | None = None) -> None:
    """Every indicator with a regional annual target: target, value, completion, 序时进度 and the gap
    in percentage points (positive ahead, negative behind)."""
    period = period or ctx.period
    targets = ctx.region_targets(period.year)
    progress = period.time_progress()
    closed = progress >= 1
    rows = []
    for code in TARGET_ORDER:
        if code not in targets or code not in REGISTRY or not targets[code]:
            continue
        value, target = ctx.measure(code, period), targets[code]
        name, _unit = phrase(code)
        row = [
            f"{name}{header_unit(code)}",
            cell_value(code, target),
            link(cell_value(code, value), ctx.url(code, period)),
            percent(value / target),
        ]
        if not closed:
            row.append(num(gap_points(value / target, progress, share_places())))
        rows.append(row)
    header = [_("指标"), _("全年目标"), _("完成"), _("完成率")]
    if closed:
        # The year is over: 序时进度 is 100% and the gap column would only repeat the completion.
        caption = _("{p}{scope}主要指标完成情况").format(p=ps, scope=ctx_scope(ctx))
    else:
        caption = _("{p}{scope}主要指标完成情况（序时进度{tp}）").format(
            p=ps, scope=ctx_scope(ctx), tp=percent(progress)
        )
        header.append(_("超（低于）序时进度（个百分点）"))
    doc.table(caption, header, rows, align=["l", "r", "r", "r", "r"][: len(header)])


def fig_text(ctx: ReportContext, code: str, figure: Figure, period: Period | None = None) -> str:
    """ "签约亿元以上项目66个，同比增长40.4%"."""
    name, _unit = phrase(code)
    return f"{name}{figure_link(ctx, code, figure.value, period)}，{yoy_text(figure.growth)}"


def unit_completion_table(
    ctx: ReportContext, doc: Doc, units: list, *, ps: str, group_name: str, period: Period
) -> list[tuple[object, Decimal | None]]:
    """Each unit's value and completion of its annual target, for the main indicators; returns
    (unit, completion of 签约亿元以上项目) for naming the units behind 序时进度."""
    codes = [c for c in UNIT_TABLE_CODES if c in REGISTRY]
    _indicators, rows = indicator_table(
        units=units, codes=codes, period=period, basis=ctx.basis, by_unit=ctx.unit_measure(units)
    )
    header = [_("序号"), _("单位")]
    for code in codes:
        name, _unit = phrase(code)
        header += [f"{name}{header_unit(code)}", _("完成率")]
    body, key = [], []
    for index, row in enumerate(rows, start=1):
        cells = [str(index), md(row.unit.name)]
        for cell in row.cells:
            code = cell.indicator.code
            cells.append(link(cell_value(code, cell.value), ctx.url(code, period, unit_id=row.unit.pk)))
            cells.append(percent(cell.completion))
        body.append(cells)
        key.append((row.unit, row.cells[0].completion))
    doc.table(
        _("{p}{group}主要指标完成情况").format(p=ps, group=md(group_name)),
        header,
        body,
        align=["c", "l"] + ["r"] * (len(header) - 2),
    )
    return key
