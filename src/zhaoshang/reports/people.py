"""People and events (seeds 002, 003): 驻点招商组 results as their own section, 招商团 with their
团长, the leaders' trips, and 集中签约 / 云签约 events with the projects signed at each.

Figures are the engine's (``measure`` over a set of units, ``measure_by_unit``,
``measure_grouped``); names come from the records the indicators count.
"""

import datetime

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.metrics.engine import ZERO, measure, measure_by_unit, measure_grouped
from zhaoshang.metrics.indicators import PROJECT, Indicator
from zhaoshang.metrics.periods import Period
from zhaoshang.organisation.choices import UnitKind
from zhaoshang.organisation.models import Unit
from zhaoshang.projects.choices import Stage
from zhaoshang.reports import rules
from zhaoshang.reports.document import Doc
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.landing import COMMENCED, IN_PRODUCTION, status_on
from zhaoshang.reports.links import project_url
from zhaoshang.reports.text import link, md, month_day, names, num, yi


def resident_offices(ctx: ReportContext) -> list[Unit]:
    return [u for u in ctx.units if u.kind == UnitKind.RESIDENT_OFFICE]


def resident_section(ctx: ReportContext, doc: Doc, *, ps: str, heading: str) -> bool:
    """ "1至7月，驻点招商组引进项目14个，签约额155亿元（其中亿元以上工业项目13个，10亿元以上项目7个）。
    2021年驻点招商组引进的32个亿元以上工业项目，已投产2个，已开工9个。" and a table by office."""
    offices = resident_offices(ctx)
    if not offices:
        return False
    scope = {"basis": ctx.basis, "units": offices}

    def m(code, period=None):
        return measure(code, period=period or ctx.period, **scope)

    signed = m("signed_projects")
    doc.h2(heading)
    text = _("{p}，{n}个驻点招商组引进项目{s}个，签约额{a}").format(
        p=ps, n=len(offices), s=num(signed), a=yi(m("signed_amount_wan"))
    )
    of_which = [
        _("{label}{n}个").format(label=label, n=num(v))
        for label, v in (
            (_("亿元以上工业项目"), m("signed_industrial_100m")),
            (_("10亿元以上项目"), m("signed_projects_1b")),
        )
        if v
    ]
    if of_which:
        text += _("（其中{items}）").format(items="，".join(of_which))
    text += "。"
    last = ctx.period.end.year - 1
    window = Period(datetime.date(last, 1, 1), datetime.date(last, 12, 31), _("{y}年").format(y=last))
    status = measure_grouped(
        "signed_industrial_100m", period=window, group_by=status_on(ctx.period.end), **scope
    )
    whole = sum(status.values(), ZERO)
    if whole:
        produced = status.get(IN_PRODUCTION, ZERO)
        started = status.get(COMMENCED, ZERO) + produced
        if not started:
            landed = _("均未开工")
        elif produced:
            landed = _("已开工{c}个（其中已投产{p}个）").format(c=num(started), p=num(produced))
        else:
            landed = _("已开工{c}个").format(c=num(started))
        text += _("{y}年驻点招商组引进的{n}个亿元以上工业项目，截至{end}{landed}。").format(
            y=last, n=num(whole), end=month_day(ctx.period.end), landed=landed
        )
    doc.p(text)
    ids = [u.pk for u in offices]
    columns = ["signed_projects", "signed_amount_wan", "signed_industrial_100m", "trips", "days_away"]
    values = {c: measure_by_unit(c, period=ctx.period, basis=ctx.basis, unit_ids=ids) for c in columns}
    rows = []
    for unit in offices:
        v = {c: values[c].get(unit.pk, ZERO) for c in columns}
        rows.append(
            [
                md(unit.name),
                link(num(v["signed_projects"]), ctx.url("signed_projects", unit_id=unit.pk)),
                yi(v["signed_amount_wan"]).removesuffix(_("亿元")),
                num(v["signed_industrial_100m"]),
                num(v["trips"]),
                num(v["days_away"]),
            ]
        )
    doc.table(
        _("{p}驻点招商组工作情况").format(p=ps),
        [
            _("驻点招商组"),
            _("签约项目（个）"),
            _("签约额（亿元）"),
            _("亿元以上工业项目（个）"),
            _("外出招商（次）"),
            _("驻点（外出）天数"),
        ],
        rows,
        align=["l", "r", "r", "r", "r", "r"],
    )
    return True


def groups_section(ctx: ReportContext, doc: Doc, *, ps: str, heading: str) -> bool:
    """招商团 (seed 002: "主要领导及县委常委任团长"): each group with its 团长 and its member units'
    results (the group and the units under it, a joint activity counted once)."""
    groups = [u for u in ctx.units if u.kind == UnitKind.GROUP]
    if not groups:
        return False
    doc.h2(heading)
    members = {g.pk: [u for u in ctx.units if u.parent_id == g.pk] for g in groups}
    rows = []
    for group in groups:
        scope = {"basis": ctx.basis, "units": [group, *members[group.pk]]}
        rows.append(
            [
                md(group.name),
                md(group.chain_leader) or "—",
                str(len(members[group.pk])),
                num(measure("trips", period=ctx.period, **scope)),
                num(measure("inspections", period=ctx.period, **scope)),
                num(measure("signed_projects", period=ctx.period, **scope)),
                yi(measure("signed_amount_wan", period=ctx.period, **scope)).removesuffix(_("亿元")),
            ]
        )
    doc.p(
        _("{p}，{n}个招商团由领导任团长，定人、定责、定任务、定进度，各团工作情况见下表。").format(
            p=ps, n=len(groups)
        )
    )
    doc.table(
        _("{p}各招商团工作情况").format(p=ps),
        [
            _("招商团"),
            _("团长"),
            _("成员单位（个）"),
            _("外出招商（次）"),
            _("来访考察（批次）"),
            _("签约项目（个）"),
            _("签约额（亿元）"),
        ],
        rows,
        align=["l", "l", "r", "r", "r", "r", "r"],
    )
    return True


def split_leaders(text: str) -> list[str]:
    """ "张三（区委常委、常务副区长）、李四" → ["张三（区委常委、常务副区长）", "李四"]: split on 、，, but
    not inside brackets."""
    out, current, depth = [], "", 0
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(depth - 1, 0)
        if char in "、，," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += char
    out.append(current.strip())
    return [name for name in out if name]


# 领导直接洽谈项目 (seed 003): the projects with a 洽谈领导 whose negotiation began in the period, on the
# report's basis, withdrawn (退库) projects left out. Not a registered indicator (no target, no
# assessment, no summary row): the engine's selection is used all the same.
LEADER_NEGOTIATED = Indicator(
    "leader_negotiated_projects",
    gettext_lazy("领导直接洽谈项目"),
    gettext_lazy("个"),
    date_field="negotiated_on",
    refine=lambda qs: qs.exclude(stage=Stage.WITHDRAWN).exclude(negotiating_leader=""),
    definition=gettext_lazy("填有洽谈领导、洽谈日期在期间内的项目(退库项目不计)。"),
    **PROJECT,
)


def leader_negotiated(ctx: ReportContext):
    qs = LEADER_NEGOTIATED.queryset(ctx.period, ctx.basis)
    return qs.filter(region__path__startswith=ctx.region.path)


def leaders_paragraph(ctx: ReportContext, *, ps: str) -> tuple[str, list[list[str]]]:
    """Leaders' work (seed 003: "四大家领导提供信息愈50条，外出26次，直接洽谈项目82个"): the leads a leader
    provided, the trips with leaders taking part and the enterprises they called on, the projects a
    leader negotiated in person (named); each leader's share in a table after the paragraph."""
    with_leaders = Case(
        When(~Q(leaders=""), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    trips = ctx.grouped("trips", with_leaders).get(True, ZERO)
    visits = ctx.grouped("visits", with_leaders).get(True, ZERO) if trips else ZERO
    leads = list(
        ctx.records("leads").exclude(provided_by_leader="").values_list("provided_by_leader", flat=True)
    )
    negotiated = list(leader_negotiated(ctx).order_by("-total_investment_wan", "negotiated_on", "name"))
    if not (trips or leads or negotiated):
        return "", []
    people: dict[str, dict[str, int]] = {}

    def add(text: str, what: str) -> None:
        for name in split_leaders(text):
            row = people.setdefault(name, {"leads": 0, "trips": 0, "projects": 0})
            row[what] += 1

    for leaders in ctx.records("trips").exclude(leaders="").values_list("leaders", flat=True):
        add(leaders, "trips")
    for leader in leads:
        add(leader, "leads")
    for project in negotiated:
        add(project.negotiating_leader, "projects")
    parts = []
    if leads:
        parts.append(_("领导提供招商信息{n}条").format(n=len(leads)))
    if trips:
        text = _("领导带队外出招商{t}次").format(t=num(trips))
        if visits:
            text += _("，带队拜访企业{v}家").format(v=num(visits))
        parts.append(text)
    if negotiated:
        shown = [link(md(p.name), project_url(p)) for p in negotiated[: rules.NAMES_IN_SENTENCE]]
        more = _("等") if len(negotiated) > rules.NAMES_IN_SENTENCE else ""
        parts.append(
            _("领导直接洽谈项目{n}个（{names}）").format(n=len(negotiated), names=names(shown) + more)
        )
    text = _("{p}，{items}。").format(p=ps, items="，".join(parts))
    rows = [
        [md(name), num(v["leads"]), num(v["trips"]), num(v["projects"])]
        for name, v in sorted(
            people.items(), key=lambda kv: (-(kv[1]["leads"] + kv[1]["trips"] + kv[1]["projects"]), kv[0])
        )
    ]
    return text, rows


def leaders_table(doc: Doc, rows: list[list[str]], *, ps: str) -> None:
    """Each leader's leads provided, trips led and projects negotiated (a leader named in several)."""
    if not rows:
        return
    doc.table(
        _("{p}领导招商情况").format(p=ps),
        [_("领导"), _("提供信息（条）"), _("带队外出招商（次）"), _("直接洽谈项目（个）")],
        rows,
        align=["l", "r", "r", "r"],
    )


def signings_paragraphs(ctx: ReportContext, doc: Doc, *, ps: str) -> str:
    """集中签约 / 云签约 events, each with its date, the leaders present and the projects signed there."""
    events = list(
        ctx.records("signing_ceremonies").prefetch_related("signed_projects").order_by("started_on", "pk")
    )
    if not events:
        return ""
    items = []
    for event in events:
        projects = [p for p in event.signed_projects.all() if not p.is_deleted]
        where = _("在{place}").format(place=md(event.destination)) if event.destination else ""
        text = _("{d}{where}举办集中签约活动").format(d=month_day(event.started_on), where=where)
        if event.leaders:
            text += _("（{who}出席）").format(who=md(event.leaders))
        if projects:
            shown = [link(md(p.name), project_url(p)) for p in projects[: rules.NAMES_IN_SENTENCE]]
            more = _("等") if len(projects) > rules.NAMES_IN_SENTENCE else ""
            text += _("，集中签约项目{n}个：{names}").format(n=len(projects), names=names(shown) + more)
        items.append(text)
    return _("{p}，举办集中签约活动{n}场：{items}。").format(p=ps, n=len(events), items="；".join(items))


def people_sections(ctx: ReportContext, doc: Doc, *, ps: str, number: int) -> int:
    """（N）领导招商和集中签约, （N+1）驻点招商, （N+2）招商团 — each only when there is something to
    say; returns the next number."""
    from zhaoshang.reports.text import ordinal

    leaders, leader_rows = leaders_paragraph(ctx, ps=ps)
    signings = signings_paragraphs(ctx, doc, ps=ps)
    if leaders or signings:
        doc.h2(_("（{n}）领导招商和集中签约活动").format(n=ordinal(number)))
        doc.p(leaders)
        leaders_table(doc, leader_rows, ps=ps)
        doc.p(signings)
        number += 1
    if resident_section(ctx, doc, ps=ps, heading=_("（{n}）驻点招商情况").format(n=ordinal(number))):
        number += 1
    if groups_section(ctx, doc, ps=ps, heading=_("（{n}）招商团工作情况").format(n=ordinal(number))):
        number += 1
    return number
