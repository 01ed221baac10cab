"""项目落地 (seeds 002, 004): the 亿元以上 projects signed since year Y — commenced, in production,
not commenced — by name; 开工率 of last year's and this year's signings; 履约率; and the "7755"
block (工业项目 share, 民营投资 share, 上年度/当年签约工业项目开工率) against its targets.

Every number is the metrics engine's: the projects an indicator counts (``ctx.records`` /
``ctx.grouped``), ``commenced_by`` and ``commencement_rate`` for 开工率 (SPEC §3), and the
assessment's ``due_start_projects`` / ``overdue_start_projects`` for 履约率.
"""

import datetime
from decimal import Decimal

from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext as _

from zhaoshang.metrics.engine import COMMENCEMENT_RATE_BASE, ZERO, Rate, commenced_by, measure
from zhaoshang.metrics.indicators import REGISTRY
from zhaoshang.metrics.periods import Period
from zhaoshang.reports import rules
from zhaoshang.reports.document import Doc
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.links import project_url
from zhaoshang.reports.text import link, md, month_day, names, num, percent, ratio, share

BIG = "signed_projects_100m"
IN_PRODUCTION, COMMENCED, NOT_COMMENCED = "in_production", "commenced", "not_commenced"


def status_on(day: datetime.date) -> Case:
    """A project's landing status at the end of ``day``, from its dates."""
    return Case(
        When(in_production_on__lte=day, then=Value(IN_PRODUCTION)),
        When(commenced_on__lte=day, then=Value(COMMENCED)),
        default=Value(NOT_COMMENCED),
        output_field=CharField(),
    )


def since_window(ctx: ReportContext) -> Period:
    year = ctx.period.end.year - rules.SIGNED_SINCE_YEARS_BACK
    return Period(datetime.date(year, 1, 1), ctx.period.end, _("{y}年以来").format(y=year))


def _named(projects: list) -> str:
    shown = [link(md(p.name), project_url(p)) for p in projects[: rules.NAMES_IN_SENTENCE]]
    more = _("等") if len(projects) > rules.NAMES_IN_SENTENCE else ""
    return names(shown) + more


def signed_since_paragraph(ctx: ReportContext, doc: Doc, *, scope: str) -> None:
    """ "2021年以来，全区新引进投资亿元以上项目5个；截至12月31日，已开工建设2个（其中已投产1个：甲项目），
    未开工建设3个（乙项目、丙项目、丁项目）。" """
    window = since_window(ctx)
    end = ctx.period.end
    counts = ctx.grouped(BIG, status_on(end), window)
    total = sum(counts.values(), ZERO)
    if not total:
        return
    records = (
        ctx.records(BIG, window)
        .annotate(landing=status_on(end))
        .order_by("-total_investment_wan", "signed_on", "name")
    )
    by_status: dict[str, list] = {IN_PRODUCTION: [], COMMENCED: [], NOT_COMMENCED: []}
    for project in records:
        by_status[project.landing].append(project)
    produced = counts.get(IN_PRODUCTION, ZERO)
    started = counts.get(COMMENCED, ZERO) + produced
    idle = counts.get(NOT_COMMENCED, ZERO)
    text = _("{since}，{scope}新引进投资亿元以上项目{n}，截至{end}").format(
        since=window.label,
        scope=scope,
        n=link(_("{n}个").format(n=num(total)), ctx.url(BIG, window)),
        end=month_day(end, with_year=True),
    )
    parts = []
    if started:
        part = _("已开工建设{n}个").format(n=num(started))
        if produced:
            part += _("（其中已投产{n}个：{names}）").format(
                n=num(produced), names=_named(by_status[IN_PRODUCTION])
            )
        parts.append(part)
    if idle:
        parts.append(
            _("未开工建设{n}个（{names}）").format(n=num(idle), names=_named(by_status[NOT_COMMENCED]))
        )
    else:
        parts.append(_("均已开工"))
    doc.p(text + "，" + "，".join(parts) + "。")


def industrial_rate(ctx: ReportContext, year: int) -> Rate:
    """开工率 of the 亿元以上 industrial projects signed in ``year`` (to the report date for the
    report's own year), commenced by the report date: the engine's rule (SPEC §3)."""
    end = ctx.period.end
    window = Period(
        datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), end), _("{y}年").format(y=year)
    )
    scope = {"basis": ctx.basis, "region": ctx.region}
    whole = measure(COMMENCEMENT_RATE_BASE, period=window, **scope)
    part = commenced_by(COMMENCEMENT_RATE_BASE, period=window, day=end, **scope) if whole else ZERO
    return Rate(part, whole, window)


def _rate_text(label: str, rate: Rate, target: Decimal) -> tuple[str, bool]:
    if not rate.whole:
        return _("{label}无签约项目").format(label=label), True
    return (
        _("{label}{r}（签约{w}个，已开工{p}个）").format(
            label=label, r=percent(rate.value), w=num(rate.whole), p=num(rate.part)
        ),
        rate.value >= target,
    )


def structure_7755(ctx: ReportContext, doc: Doc, *, ps: str) -> None:
    """ "按照“7755”结构性质效指标，全年签约项目4个，其中工业项目3个、占比75%，民营投资项目3个、占比75%；
    上年度签约亿元以上工业项目开工率50%…，当年签约亿元以上工业项目开工率50%…。" with the targets met
    or missed named."""
    signed = ctx.measure("signed_projects")
    if not signed:
        return
    year = ctx.period.end.year
    industrial = ctx.flag_count("signed_projects", "is_industrial")
    private = ctx.flag_count("signed_projects", "is_private")
    last_text, last_ok = _rate_text(
        _("上年度签约亿元以上工业项目开工率"),
        industrial_rate(ctx, year - 1),
        rules.TARGET_LAST_YEAR_COMMENCEMENT,
    )
    this_text, this_ok = _rate_text(
        _("当年签约亿元以上工业项目开工率"), industrial_rate(ctx, year), rules.TARGET_THIS_YEAR_COMMENCEMENT
    )
    checks = [
        (
            _("工业项目占比"),
            ratio(industrial, signed) >= rules.TARGET_INDUSTRIAL_SHARE,
            rules.TARGET_INDUSTRIAL_SHARE,
        ),
        (
            _("民营投资项目占比"),
            ratio(private, signed) >= rules.TARGET_PRIVATE_SHARE,
            rules.TARGET_PRIVATE_SHARE,
        ),
        (_("上年度签约工业项目开工率"), last_ok, rules.TARGET_LAST_YEAR_COMMENCEMENT),
        (_("当年签约工业项目开工率"), this_ok, rules.TARGET_THIS_YEAR_COMMENCEMENT),
    ]
    text = _(
        "按照“7755”结构性质效指标，{p}签约项目{n}，其中工业项目{i}个、{si}，民营投资项目{v}个、{sv}；{last}，{this}。"
    ).format(
        p=ps,
        n=link(_("{n}个").format(n=num(signed)), ctx.url("signed_projects")),
        i=num(industrial),
        si=share(industrial, signed),
        v=num(private),
        sv=share(private, signed),
        last=last_text,
        this=this_text,
    )
    missed = [f"{label}（{_('目标')}{percent(target)}）" for label, ok, target in checks if not ok]
    if missed:
        text += _("{names}未达到目标。").format(names=names(missed))
    else:
        text += _("四项指标均达到目标。")
    doc.p(text)


def performance_paragraph(ctx: ReportContext, doc: Doc, *, ps: str) -> None:
    """履约率: of the signed projects whose agreed commencement date fell in the period, the share
    commenced by that date (seed 001: 履约率)."""
    if "due_start_projects" not in REGISTRY or "overdue_start_projects" not in REGISTRY:
        return
    due = ctx.measure("due_start_projects")
    if not due:
        return
    overdue = ctx.measure("overdue_start_projects")
    kept = due - overdue
    doc.p(
        _("{p}约定开工的签约项目{n}个，按约定日期开工{k}个，履约率{r}；逾期未开工{o}个。").format(
            p=ps, n=num(due), k=num(kept), r=percent(ratio(kept, due)), o=num(overdue)
        )
        if overdue
        else _("{p}约定开工的签约项目{n}个，均按约定日期开工，履约率100%。").format(p=ps, n=num(due))
    )


def landing_section(ctx: ReportContext, doc: Doc, *, ps: str, scope: str, heading: str) -> None:
    doc.h2(heading)
    signed_since_paragraph(ctx, doc, scope=scope)
    structure_7755(ctx, doc, ps=ps)
    performance_paragraph(ctx, doc, ps=ps)
