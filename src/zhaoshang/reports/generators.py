"""The eight kinds of report (SPEC §5 ``zhaoshang report KIND``), each modelled on the seeds.

``generate(kind, ctx)`` returns a ``Report``: Markdown (see ``document`` for its conventions) and the
data of its charts. Figures come from ``ReportContext`` (the metrics engine), wording from ``text``.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.formatting import wan_to_yi
from zhaoshang.cycle.selectors import late_units
from zhaoshang.leads.models import Lead
from zhaoshang.metrics import indicators as metric_indicators
from zhaoshang.metrics.engine import ZERO
from zhaoshang.metrics.formatting import yoy_text
from zhaoshang.metrics.indicators import REGISTRY, Basis, counted_rows
from zhaoshang.metrics.periods import Period, month
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project
from zhaoshang.reports import figures, rules
from zhaoshang.reports.choices import ReportKind
from zhaoshang.reports.document import Doc, Report
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.landing import landing_section
from zhaoshang.reports.levels import (
    area_name,
    area_of,
    level_word,
    rank_in_parent,
    ranked_children,
    regions_leaderboard,
    regions_section,
)
from zhaoshang.reports.links import project_url
from zhaoshang.reports.mix import mix_paragraphs
from zhaoshang.reports.people import people_sections
from zhaoshang.reports.ranking import assessment_code, competition_ranks, rank_groups
from zhaoshang.reports.sections import (
    activities_paragraph,
    basis_table,
    behind_text,
    cell_value,
    charts,
    ctx_scope,
    dispatch_paragraphs,
    fig_text,
    figure_link,
    headline,
    industry_table,
    phrase,
    problems_section,
    quality_paragraphs,
    ranking_remark,
    ranking_tables,
    structure_counts,
    target_clauses,
    targets_table,
    unit_completion_table,
    value_text,
    ytd,
)
from zhaoshang.reports.text import (
    clauses,
    link,
    md,
    month_day,
    names,
    num,
    ordinal,
    percent,
    period_in_sentence,
    ratio,
    year_in_chinese,
)


def basis_line(ctx: ReportContext, *extra: str) -> str:
    """The subtitle under the title: only what the title does not say (a week's dates, a campaign's
    span); the basis is stated once, in the closing 注 line (``basis_note``)."""
    return "（" + "；".join(extra) + "）" if extra else ""


def basis_note(ctx: ReportContext, *extra: str) -> str:
    """ "注：本文数据为认定口径。" — the document's one statement of its basis (and period, where the
    title leaves it out)."""
    return _("注：{extra}本文数据为{basis}。").format(
        extra="".join(f"{e}；" for e in extra), basis=Basis(ctx.basis).label
    )


# --- 工作情况汇报 (seed 000) -----------------------------------------------------------------------------


def summary(ctx: ReportContext) -> Report:
    """工作情况汇报 for any period, as seed 000 (a district's 1–7月 report)."""
    period, year = ctx.period, ctx.period.end.year
    ps = period_in_sentence(period, year)
    title = _("{region}{period}招商引资工作情况汇报").format(region=ctx.region.name, period=period.label)
    doc = Doc(title, basis_line(ctx))
    headline(ctx, doc, year=year)
    doc.p(rank_in_parent(ctx))
    number = 1
    if ranked_children(ctx.region)[1:]:
        doc.h1(_("{n}、{level}完成情况").format(n=ordinal(number), level=level_word(ctx.region)))
        regions_section(ctx, doc, ps=ps)
        number += 1
    code = assessment_code(period)
    rankings = rank_groups(ctx, code=code)
    if any(r.lines for r in rankings):
        doc.h1(_("{n}、综合考核情况").format(n=ordinal(number)))
        by_assessment = any(r.by_assessment for r in rankings)
        doc.p(
            _("经考核认定，{p}各考核组别排位情况如下。").format(p=ps)
            if by_assessment
            else _("按{p}目标任务完成情况，各考核组别排位情况如下。").format(p=ps)
        )
        ranking_tables(ctx, doc, rankings, ps=ps)
        number += 1
    doc.h1(_("{n}、主要工作情况").format(n=ordinal(number)))
    number += 1
    doc.h2(_("（一）招商活动情况"))
    activities_paragraph(ctx, doc, ps=ps)
    doc.h2(_("（二）招商质效情况"))
    counts = structure_counts(ctx)
    quality_paragraphs(ctx, doc, ps=ps, counts=counts)
    by_industry = industry_table(ctx, doc, ps=ps)
    charts(ctx, doc, ps=ps, year=year, by_industry=by_industry)
    doc.h2(_("（三）招商调度情况"))
    dispatch_paragraphs(ctx, doc, ps=ps)
    basis_table(ctx, doc, ps=ps)
    landing_section(ctx, doc, ps=ps, scope=ctx_scope(ctx), heading=_("（四）项目落地情况"))
    people_sections(ctx, doc, ps=ps, number=5)
    number = problems_section(ctx, doc, ps=ps, counts=counts, number=number)
    if ytd(period):
        targets, behind = target_clauses(ctx, ps=ps)
        if targets:
            doc.h1(_("{n}、下一步工作安排").format(n=ordinal(number)))
            text = _("（一）对标考核任务抓落实。对照全年目标任务，{p}{scope}{items}。").format(
                p=ps, scope=ctx_scope(ctx), items=clauses(targets)
            )
            if behind:
                text += behind_text(behind, ctx.period) + _("，需倒排工期、加快推进。")
            doc.p(text)
            targets_table(ctx, doc, ps=ps)
    return _report(ReportKind.SUMMARY, doc, ctx)


# --- 年度总结 (seeds 002, 004) ----------------------------------------------------------------------------


def yearly(ctx: ReportContext) -> Report:
    """年度总结: the year's figures, completion of the annual targets, rankings, problems, and the
    next year's targets (目标任务 of year + 1 for the region)."""
    period, year = ctx.period, ctx.period.end.year
    ps = period_in_sentence(period, year)
    title = _("{region}{year}年招商引资工作总结").format(region=ctx.region.name, year=year)
    doc = Doc(title)
    doc.closing_note = basis_note(ctx, _("统计期间为{p}").format(p=period.label))
    doc.h1(_("一、主要指标完成情况"))
    headline(ctx, doc, year=year, lag_commencement=False)
    doc.p(rank_in_parent(ctx))
    regions_section(ctx, doc, ps=ps)
    if ytd(period):
        targets, behind = target_clauses(ctx, ps=ps)
        if targets:
            text = _("对照全年目标任务，{p}{scope}{items}。").format(
                p=ps, scope=ctx_scope(ctx), items=clauses(targets)
            )
            if behind:
                text += behind_text(behind, ctx.period) + "。"
            doc.p(text)
            targets_table(ctx, doc, ps=ps)
    doc.h1(_("二、主要工作情况"))
    doc.h2(_("（一）招商活动情况"))
    activities_paragraph(ctx, doc, ps=ps)
    doc.h2(_("（二）招商质效情况"))
    counts = structure_counts(ctx)
    quality_paragraphs(ctx, doc, ps=ps, counts=counts)
    by_industry = industry_table(ctx, doc, ps=ps)
    charts(ctx, doc, ps=ps, year=year, by_industry=by_industry)
    doc.h2(_("（三）招商调度情况"))
    dispatch_paragraphs(ctx, doc, ps=ps)
    basis_table(ctx, doc, ps=ps)
    landing_section(ctx, doc, ps=ps, scope=ctx_scope(ctx), heading=_("（四）项目落地情况"))
    doc.h2(_("（五）项目结构情况"))
    mix_paragraphs(ctx, doc, ps=ps)
    people_sections(ctx, doc, ps=ps, number=6)
    number = 3
    rankings = rank_groups(ctx, code=assessment_code(period, "year"))
    if any(r.lines for r in rankings):
        doc.h1(_("{n}、考核排位情况").format(n=ordinal(number)))
        ranking_tables(ctx, doc, rankings, ps=ps)
        number += 1
    number = problems_section(ctx, doc, ps=ps, counts=counts, number=number)
    next_year = year + 1
    doc.h1(_("{n}、{y}年工作目标").format(n=ordinal(number), y=year_in_chinese(next_year)))
    targets = ctx.region_targets(next_year)
    items = []
    for code in REGISTRY:
        if targets.get(code):
            name, _unit = phrase(code)
            items.append(f"{name}{value_text(code, targets[code])}")
    if items:
        doc.p(
            _("{y}年{scope}招商引资工作的主要预期目标为：{items}。").format(
                y=next_year, scope=ctx_scope(ctx), items=names(items).replace("、", "，")
            )
        )
    else:
        doc.p(_("{y}年目标任务尚未下达，下达后据此分解到各单位。").format(y=next_year))
    return _report(ReportKind.YEARLY, doc, ctx)


# --- 周报 (seed 000: 建立项目周报信息机制) ----------------------------------------------------------------


def _stage_on(project: Project, day: datetime.date) -> str | None:
    """A project's stage as it stood at the end of ``day`` (from its stage dates), so that a past
    week's report reads the same later."""
    if project.stage in (Stage.TERMINATED, Stage.WITHDRAWN) and project.ended_on and project.ended_on <= day:
        return None
    for stage, field in (
        (Stage.EFFECTIVE, "effective_on"),
        (Stage.IN_PRODUCTION, "in_production_on"),
        (Stage.COMMENCED, "commenced_on"),
        (Stage.SIGNED, "signed_on"),
        (Stage.PREREVIEWED, "prereview_passed_on"),
        (Stage.NEGOTIATING, "negotiated_on"),
    ):
        value = getattr(project, field)
        if value and value <= day:
            return stage
    if (
        project.created_at
        and project.created_at.date() <= day
        and not any(getattr(project, f) for f in ("negotiated_on", "signed_on", "commenced_on"))
    ):
        return Stage.NEGOTIATING
    return None


def key_projects(ctx: ReportContext, period: Period) -> list[tuple[Project, str, list[str]]]:
    """10亿元以上重点项目 in progress at the week's end (洽谈 → 开工, or put into production during the
    week): (project, stage then, what happened during the week). Counted investment ≥ 10亿元;
    withdrawn (退库) projects never count; the basis applies as for every figure."""
    qs = (
        counted_rows(Project, ctx.basis)
        .filter(is_deleted=False, region__path__startswith=ctx.region.path)
        .exclude(stage=Stage.WITHDRAWN)
        .filter(
            Q(total_investment_wan__gte=rules.KEY_PROJECT_WAN, added_investment_wan__isnull=True)
            | Q(added_investment_wan__gte=rules.KEY_PROJECT_WAN)
        )
        .select_related("introducing_unit", "industry")
        .order_by("-total_investment_wan", "name")
    )
    # 防水分: a project held in the possible-duplicate pool counts on neither basis (as in metrics).
    hold = getattr(metric_indicators, "DUPLICATE_HOLD_PATHS", {}).get("projects.Project")
    if hold:
        qs = qs.filter(**{hold: False})
    out = []
    events = [
        ("negotiated_on", _("开始洽谈")),
        ("prereview_passed_on", _("通过预审")),
        ("signed_on", _("签约")),
        ("commenced_on", _("开工")),
        ("in_production_on", _("投产")),
    ]
    for project in qs:
        if project.counted_investment_wan < rules.KEY_PROJECT_WAN:
            continue
        stage = _stage_on(project, period.end)
        happened = [
            f"{month_day(getattr(project, f))}{label}"
            for f, label in events
            if getattr(project, f) and period.contains(getattr(project, f))
        ]
        if stage in (Stage.NEGOTIATING, Stage.PREREVIEWED, Stage.SIGNED, Stage.COMMENCED) or (
            stage == Stage.IN_PRODUCTION
            and project.in_production_on
            and period.contains(project.in_production_on)
        ):
            out.append((project, stage, happened))
    return out


def weekly(ctx: ReportContext) -> Report:
    """周报: the week's new leads (招商信息) and the progress of every 10亿元以上 key project."""
    period = ctx.period
    span = _("{a}至{b}").format(a=month_day(period.start), b=month_day(period.end))
    title = _("{region}招商引资工作周报").format(region=ctx.region.name)
    doc = Doc(title, basis_line(ctx, period.label, span))
    week = _("本周（{span}）").format(span=span)
    doc.p(
        _("现将{label}（{span}）{scope}新增招商信息和10亿元以上重点项目推进情况报告如下。").format(
            label=period.label, span=span, scope=ctx_scope(ctx)
        )
    )
    doc.h1(_("一、新增招商信息"))
    leads = ctx.measure("leads")
    valuable = ctx.measure("valuable_leads")
    if leads:
        by_unit = ctx.by_unit("leads")
        top = sorted(
            ((u, by_unit[u.pk]) for u in ctx.units if by_unit.get(u.pk)), key=lambda uv: (-uv[1], uv[0].order)
        )
        text = _("{w}，{scope}新上报招商信息{n}，其中经研判有价值信息{v}。").format(
            w=week,
            scope=ctx_scope(ctx),
            n=figure_link(ctx, "leads", leads),
            v=figure_link(ctx, "valuable_leads", valuable),
        )
        text += _("上报单位{n}个：{units}。").format(
            n=len(top), units=names(f"{md(u.name)}{num(v)}{_('条')}" for u, v in top)
        )
        doc.p(text)
        rows = []
        records = (
            ctx.records("leads")
            .select_related("unit", "enterprise", "industry")
            .order_by("reported_on", "unit__order", "pk")
        )
        for index, lead in enumerate(records, start=1):
            rows.append(
                [
                    str(index),
                    link(md(lead.title), lead.get_absolute_url()),
                    md(lead.unit.name),
                    md(lead.enterprise.name) if lead.enterprise_id else "—",
                    md(lead.industry.name) if lead.industry_id else "—",
                    wan_to_yi(lead.intended_investment_wan)
                    if lead.intended_investment_wan is not None
                    else "—",
                    month_day(lead.reported_on),
                    _valuable(lead),
                ]
            )
        doc.table(
            _("{label}新增招商信息").format(label=period.label),
            [
                _("序号"),
                _("信息名称"),
                _("上报单位"),
                _("企业"),
                _("产业"),
                _("拟投资（亿元）"),
                _("上报日期"),
                _("研判"),
            ],
            rows,
            align=["c", "l", "l", "l", "l", "r", "c", "c"],
        )
    else:
        doc.p(_("{w}，{scope}无新上报的招商信息。").format(w=week, scope=ctx_scope(ctx)))

    doc.h1(_("二、签约和开工情况"))
    signed = ctx.measure("signed_projects")
    amount = ctx.measure("signed_amount_wan")
    started = ctx.measure("commenced_projects")
    doc.p(
        _("{w}，{scope}签约项目{s}，签约额{a}；新开工项目{c}。").format(
            w=week,
            scope=ctx_scope(ctx),
            s=figure_link(ctx, "signed_projects", signed),
            a=figure_link(ctx, "signed_amount_wan", amount),
            c=figure_link(ctx, "commenced_projects", started),
        )
    )

    doc.h1(_("三、10亿元以上重点项目推进情况"))
    projects = key_projects(ctx, period)
    end = month_day(period.end)
    if projects:
        by_stage: dict[str, int] = {}
        for _p, stage, _h in projects:
            by_stage[stage] = by_stage.get(stage, 0) + 1
        stage_text = names(
            f"{Stage(s).label}{by_stage[s]}{_('个')}"
            for s in (
                Stage.NEGOTIATING,
                Stage.PREREVIEWED,
                Stage.SIGNED,
                Stage.COMMENCED,
                Stage.IN_PRODUCTION,
            )
            if s in by_stage
        )
        moved = [p for p, _s, h in projects if h]
        doc.p(
            _("截至{end}，{scope}在推进的10亿元以上重点项目{n}个，其中{stages}；{w}有进展的{m}个。").format(
                end=end, scope=ctx_scope(ctx), n=len(projects), stages=stage_text, w=week, m=len(moved)
            )
        )
        stalled = [
            p
            for p, s, _h in projects
            if s == Stage.SIGNED
            and p.signed_on
            and (period.end - p.signed_on).days > rules.STALLED_AFTER_DAYS
        ]
        if stalled:
            doc.p(
                _("签约超过{k}天仍未开工的{n}个：{items}，请牵头单位加快推进。").format(
                    k=rules.STALLED_AFTER_DAYS,
                    n=len(stalled),
                    items=names(
                        _("{name}（{on}签约）").format(
                            name=md(p.name), on=month_day(p.signed_on, with_year=True)
                        )
                        for p in stalled
                    ),
                )
            )
        rows = []
        for index, (project, stage, happened) in enumerate(projects, start=1):
            rows.append(
                [
                    str(index),
                    link(md(project.name), project_url(project)),
                    md(project.introducing_unit.name),
                    wan_to_yi(project.counted_investment_wan),
                    str(Stage(stage).label),
                    f"{project.signed_on:%Y}.{project.signed_on.month}.{project.signed_on.day}"
                    if project.signed_on and project.signed_on <= period.end
                    else "—",
                    md(project.leader_in_charge) or "—",
                    "，".join(happened) or _("无新进展"),
                ]
            )
        doc.table(
            _("10亿元以上重点项目推进情况（截至{end}）").format(end=end),
            [
                _("序号"),
                _("项目名称"),
                _("引进单位"),
                _("投资额（亿元）"),
                _("所处阶段"),
                _("签约日期"),
                _("包保领导"),
                _("本周进展"),
            ],
            rows,
            align=["c", "l", "l", "r", "c", "c", "c", "l"],
        )
    else:
        doc.p(_("截至{end}，{scope}无在推进的10亿元以上重点项目。").format(end=end, scope=ctx_scope(ctx)))
    return _report(ReportKind.WEEKLY, doc, ctx)


def _valuable(lead: Lead) -> str:
    if lead.is_valuable is None:
        return _("待研判")
    return _("有价值") if lead.is_valuable else _("一般")


# --- 月通报 ------------------------------------------------------------------------------------------------


def bulletin(ctx: ReportContext) -> Report:
    """月通报: the month and the year to date; the ranking by assessment group; each unit's
    completion against its annual target and 序时进度; the units at the bottom and those with nothing
    reported, named."""
    period, year = ctx.period, ctx.period.end.year
    this_month = month(year, period.end.month)
    ms = period_in_sentence(this_month, year)
    ps = period_in_sentence(period, year)
    progress = period.time_progress()
    title = _("关于{m}{scope}招商引资工作情况的通报").format(m=this_month.label, scope=ctx_scope(ctx))
    doc = Doc(title, basis_line(ctx))
    doc.p(_("现将{p}{scope}招商引资工作情况通报如下。").format(p=period.label, scope=ctx_scope(ctx)))

    doc.h1(_("一、总体情况"))
    month_items = [
        fig_text(ctx, code, ctx.figure(code, this_month), this_month)
        for code in ("signed_projects_100m", "signed_amount_100m_wan", "commenced_projects", "leads")
    ]
    doc.p(_("{m}当月，{scope}{items}。").format(m=ms, scope=ctx_scope(ctx), items=clauses(month_items)))
    targets, behind = target_clauses(ctx, ps=ps)
    if targets:
        text = _("{p}累计，{scope}{items}（序时进度为{tp}）。").format(
            p=ps, scope=ctx_scope(ctx), items=clauses(targets), tp=percent(progress)
        )
        if behind:
            text += behind_text(behind, period) + "。"
        doc.p(text)
        targets_table(ctx, doc, ps=ps)
    else:
        items = [
            fig_text(ctx, code, ctx.figure(code))
            for code in ("signed_projects_100m", "signed_amount_100m_wan", "commenced_projects", "funds_wan")
        ]
        doc.p(_("{p}累计，{scope}{items}。").format(p=ps, scope=ctx_scope(ctx), items=clauses(items)))

    doc.p(rank_in_parent(ctx))
    regions_section(ctx, doc, ps=ps)
    areas = ranked_children(ctx.region)
    areas = areas if len(areas) >= 2 else []
    doc.h1(_("二、考核排名情况"))
    rankings = rank_groups(ctx, code=assessment_code(period))
    ranking_tables(ctx, doc, rankings, ps=ps, areas=areas)
    bottom = [line for r in rankings for line in r.lines if line.is_bottom or line.vetoed]
    if bottom:
        doc.p(
            _("{p}排名末位的单位：{names}。").format(
                p=ps, names=names(f"{md(line.unit.name)}（{ranking_remark(line)}）" for line in bottom)
            )
        )

    doc.h1(_("三、各单位目标任务完成情况"))
    doc.p(_("{p}序时进度为{tp}。各单位主要指标完成情况见下表。").format(p=ps, tp=percent(progress)))
    # A city (province) lists its units county by county (city by city), not as one long list.
    parts = [(None, ctx.groups)]
    if areas:
        unit_area = {u.pk: area_of(areas, u) for u in ctx.units}  # once a unit, not once an area
        parts = [
            (area, [(g, [u for u in us if unit_area[u.pk] == area]) for g, us in ctx.groups])
            for area in areas
        ]
    for number, (area, groups) in enumerate(parts, start=1):
        if area is not None:
            doc.h2(_("（{n}）{area}").format(n=ordinal(number), area=md(area.name)))
        for group, units in groups:
            if not units:
                continue
            name = str(group) if group is not None else _("未分组单位")
            if area is not None:
                name = f"{area.name}{name}"
            _unit_completion(ctx, doc, units, ps=ps, name=name, period=period, progress=progress)

    doc.h1(_("四、需要关注的问题"))
    silent = _silent_units(ctx, this_month)
    if silent:
        doc.p(
            _("{m}无任何上报记录（招商信息、招商活动、签约项目均为0）的单位{n}个：{names}。").format(
                m=ms, n=len(silent), names=names(md(u.name) for u in silent)
            )
        )
    by_unit = ctx.by_unit("leads")
    no_leads = [u for u in ctx.units if not by_unit.get(u.pk)]
    if no_leads:
        doc.p(
            _("{p}无上报新信息单位{n}个，分别是：{names}。").format(
                p=ps, n=len(no_leads), names=names(md(u.name) for u in no_leads)
            )
        )
    if not silent and not no_leads:
        doc.p(_("{m}各单位均有上报记录。").format(m=ms))
    # 报送周期 (SPEC §4): the units that did not confirm the month by its deadline, once it has passed;
    # a month nobody confirmed at all predates the cycle's use and lists nobody.
    late = late_units(this_month.start, ctx.units, today=ctx.today)
    if late and (len(late) < len(ctx.units) or any(at for _u, at in late)):
        doc.p(
            _("{m}数据未按时报送的单位{n}个：{names}。").format(
                m=ms,
                n=len(late),
                names=names(
                    f"{md(u.name)}（{month_day(timezone.localdate(at)) + _('报送') if at else _('未报送')}）"
                    for u, at in late
                ),
            )
        )
    doc.p(_("希望排名靠前的单位再接再厉，排名靠后的单位认真查找差距、迎头赶上，确保完成全年目标任务。"))
    return _report(ReportKind.BULLETIN, doc, ctx)


def _unit_completion(ctx: ReportContext, doc: Doc, units: list, *, ps, name, period, progress) -> None:
    """One group's (of one county's) completion table and the units behind 序时进度, named."""
    key = unit_completion_table(ctx, doc, units, ps=ps, group_name=name, period=period)
    slow = [(u, c) for u, c in key if c is not None and c < progress]
    if slow:
        doc.p(
            _("{group}中，签约亿元以上项目完成率低于序时进度的单位{n}个：{names}。").format(
                group=md(name),
                n=len(slow),
                names=names(f"{md(u.name)}（{percent(c)}）" for u, c in slow),
            )
        )


def _silent_units(ctx: ReportContext, period: Period) -> list:
    """Units with nothing reported in ``period``: no lead, no activity, no project signed."""
    from zhaoshang.metrics import rollup

    codes = ("leads", "trips", "visits", "inspections", "promotions", "online_meetings", "signed_projects")
    # Those the monthly summary holds first (a read of the summary); the others (a grouped query of
    # the records each) only for the units still without a record.
    codes = sorted(codes, key=lambda code: not rollup.covers(code, period))
    active: set[int] = set()
    for code in codes:
        if rollup.covers(code, period):
            active |= {pk for pk, v in ctx.by_unit(code, period).items() if v}
            continue
        rest = [pk for pk in ctx.unit_ids if pk not in active]
        if not rest:
            break
        found = figures.measure_units(code, period=period, basis=ctx.basis, unit_ids=rest)
        active |= {pk for pk, v in found.items() if v}
    return [u for u in ctx.units if u.pk not in active]


# --- 龙虎榜 ------------------------------------------------------------------------------------------------


def leaderboard_header() -> list[str]:
    """The 龙虎榜 columns; the amount is of all signed projects, and says so beside the 亿元以上 count."""
    return [
        _("名次"),
        _("单位"),
        _("签约项目（个）"),
        _("其中亿元以上（个）"),
        _("全部签约项目签约额（亿元）"),
    ]


def leaderboard_lines(
    ctx: ReportContext, units: list, period: Period
) -> list[tuple[int, object, Decimal, Decimal, Decimal]]:
    """(rank, unit, signed projects, of them 亿元以上, signed amount) for the units that signed
    anything, by amount then number (the assessment's 龙虎榜 rule); equal share a rank."""
    counts = ctx.by_unit("signed_projects", period)
    big = ctx.by_unit("signed_projects_100m", period)
    amounts = ctx.by_unit("signed_amount_wan", period)
    signed = [u for u in units if counts.get(u.pk)]
    ranks = competition_ranks([(-amounts.get(u.pk, ZERO), -counts.get(u.pk, ZERO)) for u in signed])
    lines = [
        (rank, u, counts.get(u.pk, ZERO), big.get(u.pk, ZERO), amounts.get(u.pk, ZERO))
        for rank, u in zip(ranks, signed, strict=True)
    ]
    return sorted(lines, key=lambda line: (line[0], line[1].order, line[1].name))


def leaderboard(ctx: ReportContext) -> Report:
    """龙虎榜 of signed projects: units ranked by the amount (then number) signed in the period."""
    period, year = ctx.period, ctx.period.end.year
    ps = period_in_sentence(period, year)
    title = _("{region}{p}招商引资项目签约龙虎榜").format(region=ctx.region.name, p=period.label)
    doc = Doc(title, basis_line(ctx))
    signed = ctx.figure("signed_projects")
    amount = ctx.figure("signed_amount_wan")
    big = ctx.measure("signed_projects_100m")
    doc.p(
        _("{p}，{scope}签约项目{n}，{g1}，签约额{a}，{g2}，其中亿元以上项目{b}。按签约额排名如下。").format(
            p=ps,
            scope=ctx_scope(ctx),
            n=figure_link(ctx, "signed_projects", signed.value),
            g1=yoy_text(signed.growth),
            a=figure_link(ctx, "signed_amount_wan", amount.value),
            g2=yoy_text(amount.growth),
            b=figure_link(ctx, "signed_projects_100m", big),
        )
    )
    chart_items = []
    if ranked_children(ctx.region)[1:]:
        return _leaderboard_levels(ctx, doc, ps=ps)
    for index, (group, units) in enumerate(ctx.groups, start=1):
        name = str(group) if group is not None else _("未分组单位")
        doc.h1(_("{n}、{group}").format(n=ordinal(index), group=md(name)))
        lines = leaderboard_lines(ctx, units, period)
        if lines:
            rows = [
                [
                    str(rank),
                    md(u.name),
                    link(num(n), ctx.url("signed_projects", unit_id=u.pk)),
                    link(num(b), ctx.url("signed_projects_100m", unit_id=u.pk)),
                    link(cell_value("signed_amount_wan", a), ctx.url("signed_amount_wan", unit_id=u.pk)),
                ]
                for rank, u, n, b, a in lines
            ]
            doc.table(
                _("{p}{group}签约龙虎榜").format(p=ps, group=md(name)),
                leaderboard_header(),
                rows,
                align=["c", "l", "r", "r", "r"],
            )
            chart_items += [(u.short_name or u.name, a) for _r, u, _n, _b, a in lines]
        none = [u for u in units if u not in {line[1] for line in lines}]
        if none:
            doc.p(
                _("{p}无签约项目的单位{n}个：{names}。").format(
                    p=ps, n=len(none), names=names(md(u.name) for u in none)
                )
            )
    number = len(ctx.groups) + 1
    projects = (
        ctx.records("signed_projects_100m")
        .select_related("introducing_unit", "industry")
        .order_by("-total_investment_wan", "signed_on", "name")
    )
    rows = [
        [
            str(i),
            link(md(p.name), project_url(p)),
            md(p.introducing_unit.name),
            wan_to_yi(p.counted_investment_wan),
            month_day(p.signed_on),
            md(p.industry.name) if p.industry_id else "—",
        ]
        for i, p in enumerate(projects, start=1)
    ]
    if rows:
        doc.h1(_("{n}、签约亿元以上项目清单").format(n=ordinal(number)))
        doc.table(
            _("{p}签约亿元以上项目").format(p=ps),
            [_("序号"), _("项目名称"), _("引进单位"), _("投资额（亿元）"), _("签约日期"), _("所属产业")],
            rows,
            align=["c", "l", "l", "r", "c", "l"],
        )
    top = sorted(chart_items, key=lambda kv: -kv[1])[:10]
    if top:
        top.reverse()
        doc.chart(
            "leaderboard",
            _("{p}签约额前{n}位单位（亿元）").format(p=ps, n=len(top)),
            {
                "type": "barh",
                "categories": [n for n, _a in top],
                "series": [{"name": _("签约额"), "values": [float(a / 10000) for _n, a in top]}],
                "unit": _("亿元"),
            },
        )
    return _report(ReportKind.LEADERBOARD, doc, ctx)


# Units named on a multi-level 龙虎榜 (the counties are ranked in full, the units only at the top).
TOP_UNITS = 20


def _leaderboard_levels(ctx: ReportContext, doc: Doc, *, ps: str) -> Report:
    """龙虎榜 of a city (or province): the counties (cities) ranked, one row each, then the first
    units across the whole deployment and the 10亿元以上 projects signed, not a flat list of every
    unit."""
    doc.h1(_("一、{level}签约龙虎榜").format(level=level_word(ctx.region)))
    regions_leaderboard(ctx, doc, ps=ps)
    doc.h1(_("二、签约额前{n}位单位").format(n=TOP_UNITS))
    lines = leaderboard_lines(ctx, ctx.units, ctx.period)[:TOP_UNITS]
    children = ranked_children(ctx.region)

    def area(unit) -> str:
        """The county (city) a unit belongs to, not its town."""
        found = [c for c in children if unit.region.path.startswith(c.path)]
        return md(found[0].name if found else unit.region.name)

    rows = [
        [
            str(rank),
            md(u.name),
            area(u),
            link(num(n), ctx.url("signed_projects", unit_id=u.pk)),
            link(num(b), ctx.url("signed_projects_100m", unit_id=u.pk)),
            link(cell_value("signed_amount_wan", a), ctx.url("signed_amount_wan", unit_id=u.pk)),
        ]
        for rank, u, n, b, a in lines
    ]
    header = leaderboard_header()
    doc.table(
        _("{p}签约额前{n}位单位").format(p=ps, n=TOP_UNITS),
        [*header[:2], _("所属地区"), *header[2:]],
        rows,
        align=["c", "l", "l", "r", "r", "r"],
    )
    projects = (
        ctx.records("signed_projects_1b")
        .select_related("introducing_unit", "region")
        .order_by("-total_investment_wan", "signed_on", "name")
    )
    rows = [
        [
            str(i),
            link(md(p.name), project_url(p)),
            md(p.region.name),
            md(p.introducing_unit.name),
            wan_to_yi(p.counted_investment_wan),
            month_day(p.signed_on),
        ]
        for i, p in enumerate(projects, start=1)
    ]
    if rows:
        doc.h1(_("三、签约10亿元以上项目清单"))
        doc.table(
            _("{p}签约10亿元以上项目").format(p=ps),
            [_("序号"), _("项目名称"), _("地区"), _("引进单位"), _("投资额（亿元）"), _("签约日期")],
            rows,
            align=["c", "l", "l", "l", "r", "c"],
        )
    return _report(ReportKind.LEADERBOARD, doc, ctx)


# --- 季评比 ------------------------------------------------------------------------------------------------


def quarterly(ctx: ReportContext) -> Report:
    """季评比: the quarter's figures with 同比, the year-to-date completion, the evaluation by
    assessment group (year to date against the annual target, measured against 序时进度) and the
    quarter's signing 龙虎榜."""
    quarter, year = ctx.period, ctx.period.end.year
    window = Period(
        datetime.date(year, 1, 1), quarter.end, _("{y}年1至{m}月").format(y=year, m=quarter.end.month)
    )
    qs = period_in_sentence(quarter, year)
    ws = period_in_sentence(window, year)
    title = _("关于{q}招商引资工作评比情况的通报").format(q=quarter.label)
    doc = Doc(title, basis_line(ctx))
    doc.p(_("现将{q}{scope}招商引资工作评比情况通报如下。").format(q=quarter.label, scope=ctx_scope(ctx)))
    doc.h1(_("一、总体情况"))
    items = [
        fig_text(ctx, code, ctx.figure(code))
        for code in (
            "signed_projects_100m",
            "signed_amount_100m_wan",
            "commenced_projects",
            "funds_wan",
            "leads",
        )
    ]
    doc.p(_("{q}，{scope}{items}。").format(q=qs, scope=ctx_scope(ctx), items=clauses(items)))
    targets, behind = target_clauses(ctx, ps=ws, period=window)
    if targets:
        text = _("{p}累计，{scope}{items}。").format(p=ws, scope=ctx_scope(ctx), items=clauses(targets))
        if behind:
            text += behind_text(behind, window) + "。"
        doc.p(text)
    doc.p(rank_in_parent(ctx))
    doc.h1(_("二、评比结果"))
    if ranked_children(ctx.region)[1:]:
        # A city rates its counties first (year to date against their targets), then the units.
        window_ctx = ReportContext(region=ctx.region, period=window, basis=ctx.basis, today=ctx.today)
        regions_section(window_ctx, doc, ps=ws)
    rankings = rank_groups(ctx, period=window, code=assessment_code(quarter, "quarter"))
    areas = ranked_children(ctx.region)
    ranking_tables(ctx, doc, rankings, ps=ws, areas=areas if len(areas) >= 2 else None)
    for ranking in rankings:
        if len(ranking.lines) >= 2:
            first = [md(line.unit.name) for line in ranking.lines if line.rank == 1]
            last = [f"{md(line.unit.name)}" for line in ranking.lines if line.is_bottom or line.vetoed]
            text = _("{group}：{first}位列第一").format(group=md(ranking.name), first=names(first))
            if last:
                text += _("，{last}排名末位").format(last=names(last))
            doc.p(text + "。")
    doc.h1(_("三、{q}签约龙虎榜").format(q=qs))
    regions_leaderboard(ctx, doc, ps=qs)
    rows = []
    for rank, u, n, b, a in leaderboard_lines(ctx, ctx.units, quarter)[:10]:
        rows.append(
            [
                str(rank),
                md(u.name),
                link(num(n), ctx.url("signed_projects", unit_id=u.pk)),
                link(num(b), ctx.url("signed_projects_100m", unit_id=u.pk)),
                link(cell_value("signed_amount_wan", a), ctx.url("signed_amount_wan", unit_id=u.pk)),
            ]
        )
    if rows:
        header, align = leaderboard_header(), ["c", "l", "r", "r", "r"]
        if len(areas) >= 2:
            # A city's top ten, each with its county (as the city's 龙虎榜).
            tops = leaderboard_lines(ctx, ctx.units, quarter)[:10]
            for row, (_r, u, _n, _b, _a) in zip(rows, tops, strict=True):
                row.insert(2, md(area_name(areas, u)))
            header.insert(2, _("所属地区"))
            align.insert(2, "l")
        doc.table(_("{q}签约额前十位单位").format(q=qs), header, rows, align=align)
    else:
        doc.p(_("{q}，{scope}无签约项目。").format(q=qs, scope=ctx_scope(ctx)))
    doc.h1(_("四、存在的问题"))
    by_unit = ctx.by_unit("leads")
    no_leads = [u for u in ctx.units if not by_unit.get(u.pk)]
    silent = _silent_units(ctx, quarter)
    problems = []
    if silent:
        problems.append(
            _("{q}无任何上报记录的单位{n}个：{names}").format(
                q=qs, n=len(silent), names=names(md(u.name) for u in silent)
            )
        )
    if no_leads:
        problems.append(
            _("{q}无上报新信息单位{n}个：{names}").format(
                q=qs, n=len(no_leads), names=names(md(u.name) for u in no_leads)
            )
        )
    doc.p(clauses(problems) + "。" if problems else _("{q}各单位均有上报记录。").format(q=qs))
    return _report(ReportKind.QUARTERLY, doc, ctx)


# --- 专项行动总结 (seed 001) -------------------------------------------------------------------------------

# Seed 001's wording for each campaign indicator; a "sub" item joins the one before with "，".
CAMPAIGN_ITEMS = [
    ("leads", gettext_lazy("收集招商信息"), False),
    ("valuable_leads", gettext_lazy("其中有价值信息"), True),
    ("trips", gettext_lazy("外出招商"), False),
    ("visits", gettext_lazy("外出走访企业"), False),
    ("inspections", gettext_lazy("邀请来{s}考察"), False),
    ("signed_projects", gettext_lazy("新签项目"), False),
    ("signed_amount_wan", gettext_lazy("签约合同资金"), True),
    ("signed_projects_100m", gettext_lazy("其中亿元以上项目"), True),
    ("signed_industrial_50m", gettext_lazy("其中5000万元以上工业项目"), True),
    ("commenced_projects", gettext_lazy("新开工项目"), False),
    ("funds_wan", gettext_lazy("实际到位资金"), False),
]


def campaign(ctx: ReportContext) -> Report:
    """专项行动总结 as seed 001: "“百日会战”活动期间，全区共收集招商信息171条，占目标任务358条的47.8%；…"
    against the campaign's targets (目标任务 with the campaign), then each unit's completion and the
    shortfalls."""
    period = ctx.period
    campaign_obj = ctx.campaign
    name = campaign_obj.name if campaign_obj else period.label
    suffix = ctx_scope(ctx)[-1]
    title = _("{region}“{name}”活动总结").format(region=ctx.region.name, name=name)
    span = _("{a}至{b}").format(
        a=month_day(period.start, with_year=True), b=month_day(period.end, with_year=True)
    )
    doc = Doc(title, basis_line(ctx, span))
    ongoing = ctx.today < period.end
    doc.p(
        _("{span}，{scope}开展“{name}”活动。现将活动情况总结如下。").format(
            span=span, scope=ctx_scope(ctx), name=md(name)
        )
    )
    targets = ctx.campaign_targets(campaign_obj) if campaign_obj else {}
    doc.h1(_("一、主要成效"))
    values = {code: ctx.measure(code) for code, _l, _s in CAMPAIGN_ITEMS}
    parts: list[str] = []
    results = []
    for code, label, sub in CAMPAIGN_ITEMS:
        target = targets.get(code)
        if not values[code] and not target and code not in ("leads", "signed_projects"):
            continue
        text = str(label).format(s=suffix) + figure_link(ctx, code, values[code])
        if target:
            text += _("，占目标任务{t}的{p}").format(
                t=value_text(code, target), p=percent(values[code] / target)
            )
            results.append((code, str(label).format(s=suffix), values[code] / target))
        if sub and parts:
            parts[-1] += "，" + text
        else:
            parts.append(text)
    doc.p(
        _("“{name}”活动期间，{scope}共{items}。").format(
            name=md(name), scope=ctx_scope(ctx), items="；".join(parts)
        )
    )
    majors = list(ctx.records("signed_projects_1b").order_by("-total_investment_wan", "name"))
    if majors:
        doc.p(
            _("活动期间新签约10亿元以上重大项目{n}个：{items}。").format(
                n=len(majors),
                items=names(
                    f"{md(p.name)}（{value_text('signed_amount_wan', p.counted_investment_wan)}）"
                    for p in majors[: rules.NAMES_IN_SENTENCE]
                ),
            )
        )
    if ongoing:
        progress = period.time_progress(as_of=ctx.today)
        doc.p(
            _("截至{d}，活动时间已过{p}。").format(
                d=month_day(ctx.today, with_year=True), p=percent(progress)
            )
        )

    unit_codes = [code for code, _l, _s in CAMPAIGN_ITEMS if code in targets]
    unit_targets = ctx.unit_targets(unit_codes, campaign=campaign_obj) if campaign_obj else {}
    completed: dict[str, tuple[int, int]] = {}
    missed: dict[str, list[str]] = {}  # per indicator, the units that have a target and missed it
    if unit_targets:
        doc.h1(_("二、各单位完成情况"))
        by_unit = {code: ctx.by_unit(code) for code in unit_codes}
        header = [_("序号"), _("单位")] + [
            _("{name}完成率").format(name=phrase(code)[0]) for code in unit_codes
        ]
        rows = []
        for unit in ctx.units:
            if not any((unit.pk, code) in unit_targets for code in unit_codes):
                continue
            cells = [str(len(rows) + 1), md(unit.name)]
            for code in unit_codes:
                target = unit_targets.get((unit.pk, code))
                value = by_unit[code].get(unit.pk, ZERO)
                if target:
                    done, total = completed.get(code, (0, 0))
                    completed[code] = (done + (value >= target), total + 1)
                    if value < target:
                        missed.setdefault(code, []).append(md(unit.short_name or unit.name))
                cells.append(link(percent(value / target), ctx.url(code, unit_id=unit.pk)) if target else "—")
            rows.append(cells)
        doc.table(
            _("“{name}”各单位目标任务完成情况").format(name=md(name)),
            header,
            rows,
            align=["c", "l"] + ["r"] * len(unit_codes),
        )
        doc.table(
            _("“{name}”各项任务完成单位统计").format(name=md(name)),
            [_("任务"), _("有任务单位（个）"), _("完成任务单位（个）"), _("占比")],
            [
                [phrase(code)[0], str(total), str(done), percent(ratio(done, total))]
                for code, (done, total) in completed.items()
            ],
            align=["l", "r", "r", "r"],
        )
    if results:
        doc.chart(
            "campaign",
            _("“{name}”目标任务完成率（%）").format(name=name),
            {
                "type": "bar",
                "categories": [label for _c, label, _r in results],
                "series": [{"name": _("完成率"), "values": [float(r * 100) for _c, _l, r in results]}],
                "unit": "%",
                "reference": 100.0,
            },
        )

    doc.h1(_("{n}、问题和不足").format(n=ordinal(3 if unit_targets else 2)))
    problems = []
    if results:
        done = [r for r in results if r[2] >= 1]
        best = max(results, key=lambda r: r[2])
        worst = min(results, key=lambda r: r[2])
        status = (
            _("{n}项目标任务无一完成").format(n=len(results))
            if not done
            else _("{n}项目标任务完成{m}项").format(n=len(results), m=len(done))
        )
        text = _("目标任务完成情况不理想。{s}，完成比例最高的为{hi}（{hn}），最低的为{lo}（{ln}）").format(
            s=status, hi=percent(best[2]), hn=best[1], lo=percent(worst[2]), ln=worst[1]
        )
        if "leads" in completed:
            done_n, total_n = completed["leads"]
            text += _("。其中招商信息收集任务，{t}个有任务的单位中{m}个完成任务").format(t=total_n, m=done_n)
        if len(done) < len(results):
            problems.append(text + "。")
    signed_n = values["signed_projects"]
    big_projects = list(ctx.records("signed_projects_100m").order_by("-total_investment_wan", "name")[:4])
    big_n = ctx.measure("signed_projects_100m")
    if signed_n and ratio(big_n, signed_n) < Decimal("0.2"):
        named = ""
        if 0 < big_n <= 3:
            named = _("（{items}）").format(
                items=names(
                    f"{md(p.name)}，{wan_to_yi(p.counted_investment_wan)}{_('亿元')}" for p in big_projects
                )
            )
        if big_n:
            text = _(
                "招大引强未取得有效突破。新签约的{n}个项目中，签约资金过亿元的仅有{b}个{named}。"
            ).format(n=num(signed_n), b=num(big_n), named=named)
        else:
            text = _("招大引强未取得有效突破。新签约的{n}个项目中，无签约资金过亿元的项目。").format(
                n=num(signed_n)
            )
        problems.append(text)
    if missed:
        problems.append(
            _("部分单位未完成目标任务。{items}。").format(
                items=clauses(
                    _("{task}任务，{t}个有任务的单位中{m}个未完成（{names}）").format(
                        task=phrase(code)[0], t=completed[code][1], m=len(who), names=names(who)
                    )
                    for code, who in missed.items()
                )
            )
        )
    # The conclusion is drawn from the targets above it: "均已完成" only when there are targets and
    # the region and every unit with a target met each of them.
    if (results or completed) and all(r[2] >= 1 for r in results) and not missed:
        doc.p(_("“{name}”活动期间各项目标任务均已完成。").format(name=md(name)))
    elif not results and not completed and not problems:
        doc.p(_("“{name}”活动未下达目标任务，各项指标未触发问题提示，请结合实际补充。").format(name=md(name)))
    intentions = _intention_projects(ctx)
    if intentions:
        problems.append(
            _("意向项目未取得实质性进展。{items}，目前只签订了意向性协议，尚未正式签约。").format(
                items=names(
                    _("总投资{a}的{name}").format(
                        a=value_text("signed_amount_wan", p.total_investment_wan), name=md(p.name)
                    )
                    for p in intentions[: rules.NAMES_IN_SENTENCE]
                )
            )
        )
    for index, text in enumerate(problems, start=1):
        doc.p(f"（{ordinal(index)}）{text}")
    _campaign_next_steps(
        ctx, doc, number=4 if unit_targets else 3, name=name, missed=missed, intentions=intentions
    )
    return _report(ReportKind.CAMPAIGN, doc, ctx)


def _intention_projects(ctx: ReportContext) -> list:
    """Projects of the region that have only an intention agreement (意向协议) and are still open at
    the campaign's end, by investment: named, never counted as signed."""
    qs = (
        counted_rows(Project, ctx.basis)
        .filter(is_deleted=False, region__path__startswith=ctx.region.path, is_intention_agreement=True)
        .exclude(stage__in=(Stage.WITHDRAWN, Stage.TERMINATED))
        .filter(Q(negotiated_on__isnull=True) | Q(negotiated_on__lte=ctx.period.end))
    )
    hold = getattr(metric_indicators, "DUPLICATE_HOLD_PATHS", {}).get("projects.Project")
    if hold:
        qs = qs.filter(**{hold: False})
    return list(qs.order_by("-total_investment_wan", "name"))


def _campaign_next_steps(
    ctx: ReportContext, doc: Doc, *, number: int, name: str, missed: dict, intentions: list
) -> None:
    """下一步工作打算, from what the campaign left open: signed projects not yet commenced, intention
    agreements to turn into signings, units that missed their targets."""
    idle = list(
        ctx.records("signed_projects")
        .filter(Q(commenced_on__isnull=True) | Q(commenced_on__gt=ctx.period.end))
        .order_by("-total_investment_wan", "name")
    )
    signed = ctx.measure("signed_projects")
    steps = []
    if idle:
        steps.append(
            _(
                "做好项目推进帮扶工作。活动期间签约的{n}个项目中，{m}个尚未开工（{names}），"
                "各引资单位要落实“一个项目、一个领导、一套班子、一套人马”，限时推进开工。"
            ).format(
                n=num(signed),
                m=len(idle),
                names=names(md(p.name) for p in idle[: rules.NAMES_IN_SENTENCE])
                + (_("等") if len(idle) > rules.NAMES_IN_SENTENCE else ""),
            )
        )
    if intentions:
        steps.append(
            _("推动意向项目尽快签约。紧盯{names}，加强跟踪洽谈，力争早日正式签约。").format(
                names=names(md(p.name) for p in intentions[: rules.NAMES_IN_SENTENCE])
            )
        )
    if missed:
        who = sorted({u for units in missed.values() for u in units})
        steps.append(
            _("加强督办考核。对{names}等未完成活动目标任务的单位进行督办，纳入年度考核。").format(
                names=names(who[:10])
            )
        )
    if not steps:
        return
    doc.h1(_("{n}、下一步工作打算").format(n=ordinal(number)))
    for index, text in enumerate(steps, start=1):
        doc.p(f"{index}．{text}")


# --- 考核结果 ----------------------------------------------------------------------------------------------


def assessment_kind(period: Period) -> tuple[str, str]:
    """(assessment period kind, code) of a report period: a quarter, half-year or year when the
    period is one, otherwise the monthly assessment at its last month."""
    start, end = period.start, period.end
    if start.month == 1 and end.month == 12:
        return "year", str(end.year)
    if (start.month, end.month) in ((1, 6), (7, 12)) and period.label.endswith("半年"):
        return "half", f"{end.year}-H{1 if end.month == 6 else 2}"
    if end.month == start.month + 2 and start.month in (1, 4, 7, 10) and "季度" in period.label:
        return "quarter", f"{end.year}-Q{(end.month - 1) // 3 + 1}"
    return "month", f"{end.year}-{end.month:02d}"


def assessment(ctx: ReportContext) -> Report:
    """考核结果: each assessment group's ranking from the assessment (published result, else computed
    from its scheme), or from the metrics where a group has no scheme — the report says which."""
    period, year = ctx.period, ctx.period.end.year
    _kind, code = assessment_kind(period)
    window = Period(
        datetime.date(year, 1, 1), period.end, _("{y}年1至{m}月").format(y=year, m=period.end.month)
    )
    ws = period_in_sentence(window, year)
    title = _("{region}{p}招商引资考核结果").format(region=ctx.region.name, p=period.label)
    doc = Doc(title, basis_line(ctx))
    rankings = rank_groups(ctx, period=window, code=code)
    # Titles in 书名号 follow one another without a 顿号: 《A》《B》.
    schemes = "".join(f"《{md(r.scheme_name)}》" for r in rankings if r.by_assessment)
    progress = window.time_progress()
    if schemes:
        doc.p(
            _(
                "根据{schemes}，对{p}各单位招商引资工作进行考核（年度目标对照序时进度{tp}），结果如下。"
            ).format(schemes=schemes, p=ws, tp=percent(progress))
        )
    else:
        doc.p(
            _(
                "{y}年尚未制定考核办法。按{p}签约亿元以上项目完成全年任务比例（序时进度{tp}）排序，结果如下。"
            ).format(y=year, p=ws, tp=percent(progress))
        )
    for index, ranking in enumerate(rankings, start=1):
        if not ranking.lines:
            continue
        doc.h1(_("{n}、{group}").format(n=ordinal(index), group=md(ranking.name)))
        ranking_tables(ctx, doc, [ranking], ps=ws, headings=False)
        first = [md(line.unit.name) for line in ranking.lines if line.rank == 1]
        flagged = [
            f"{md(line.unit.name)}（{ranking_remark(line)}）"
            for line in ranking.lines
            if ranking_remark(line)
        ]
        text = _("{p}，{group}第一名：{first}").format(p=ws, group=md(ranking.name), first=names(first))
        if flagged:
            text += _("；{flagged}").format(flagged=names(flagged))
        doc.p(text + "。")
    return _report(ReportKind.ASSESSMENT, doc, ctx)


# --- entry point -------------------------------------------------------------------------------------


GENERATORS = {
    ReportKind.SUMMARY: summary,
    ReportKind.WEEKLY: weekly,
    ReportKind.BULLETIN: bulletin,
    ReportKind.LEADERBOARD: leaderboard,
    ReportKind.QUARTERLY: quarterly,
    ReportKind.CAMPAIGN: campaign,
    ReportKind.YEARLY: yearly,
    ReportKind.ASSESSMENT: assessment,
}


def generate(kind: str, ctx: ReportContext) -> Report:
    return GENERATORS[ReportKind(kind)](ctx)


def _report(kind: str, doc: Doc, ctx: ReportContext) -> Report:
    doc.note(doc.closing_note or basis_note(ctx))
    return Report(
        kind=kind,
        title=doc.title,
        markdown=doc.markdown(),
        charts=doc.charts,
        period_label=ctx.period.label,
        basis=ctx.basis,
        doc=doc,
    )
