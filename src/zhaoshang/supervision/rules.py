"""The supervision and data-quality rules that ``zhaoshang supervise`` runs (SPEC §4, §5).

Each rule has a code, a Chinese name, a default threshold that a deployment changes in
``RuleSetting`` (系统配置 › 督查规则设置), the convention (口径) it applies, and a check returning
findings. A finding carries a stable key (rule, record and, for periodic rules, the period), so
that one finding gives at most one ticket however often the rules run.

"周报未按时报送" follows seed 000's 项目周报信息机制: each week the bureau sends its leading group the
week's new leads and the progress of the 10亿+ key projects — the reports area's 周报. Filed means a
周报 of that week kept (generated and saved) for the bureau's region.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Count, DecimalField, F, Max, Min, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import REPORTED_STATUSES
from zhaoshang.core.formatting import plain, wan_to_yi
from zhaoshang.organisation.choices import UnitKind
from zhaoshang.organisation.models import Region, Unit


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: its stable key, the words, the unit that should act, the record."""

    rule: str
    key: str
    text: str
    owner_unit: Unit | None = None
    subject: models.Model | None = None
    # A newly found duplicate pair (newer, earlier, reasons), for ``supervise --pool``.
    pair: tuple | None = None

    @property
    def link(self) -> str:
        return self.subject.get_absolute_url() if hasattr(self.subject, "get_absolute_url") else ""


@dataclass(frozen=True)
class Context:
    today: datetime.date
    threshold: Decimal
    region: Region | None = None
    # One unit only (a unit's home page: what that unit still owes); None for every unit.
    unit: Unit | None = None

    def units(self) -> models.QuerySet:
        """The task units a unit rule looks at: active, not the bureau itself nor a 招商团 grouping."""
        qs = Unit.objects.filter(is_active=True).exclude(kind__in=(UnitKind.BUREAU, UnitKind.GROUP))
        if self.region is not None:
            qs = qs.filter(region__path__startswith=self.region.path)
        if self.unit is not None:
            qs = qs.filter(pk=self.unit.pk)
        return qs.select_related("region").order_by("order", "name")

    def projects(self) -> models.QuerySet:
        from zhaoshang.projects.choices import Stage
        from zhaoshang.projects.models import Project

        qs = Project.objects.filter(is_deleted=False).exclude(stage=Stage.WITHDRAWN)
        if self.region is not None:
            qs = qs.filter(region__path__startswith=self.region.path)
        if self.unit is not None:
            qs = qs.filter(introducing_unit=self.unit)
        return qs.select_related("introducing_unit")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # with {n} for the threshold
    default: Decimal
    definition: str
    check: Callable[[Context], list[Finding]]
    ticketable: bool = True  # duplicates go to the pool, not to a ticket
    threshold_label: str = ""
    # How the threshold is written in the rule's name (万元 thresholds read in 亿元).
    written: Callable[[Decimal], str] = plain
    label: str = ""  # a short name, without the threshold (lists, filters)

    def title(self, threshold: Decimal) -> str:
        return str(self.name).format(n=self.written(threshold))


RULES: dict[str, Rule] = {}


def rule(code: str, name, default, definition, **kwargs):
    def register(check):
        RULES[code] = Rule(code, name, Decimal(default), definition, check, **kwargs)
        return check

    return register


def _days(n: Decimal) -> int:
    return int(n)


def _ymd(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def timezone_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- projects -------------------------------------------------------------------------------------


@rule(
    "negotiating_stalled",
    _("洽谈超过{n}天无进展"),
    30,
    _("阶段仍为洽谈或预审通过的项目,自洽谈日期、预审通过日期和最近一次推进情况中最晚的一个起超过阈值天数。"),
    threshold_label=_("天"),
    label=_("洽谈无进展"),
)
def negotiating_stalled(ctx: Context) -> list[Finding]:
    from zhaoshang.projects.choices import Stage

    limit = ctx.today - datetime.timedelta(days=_days(ctx.threshold))
    qs = ctx.projects().filter(stage__in=(Stage.NEGOTIATING, Stage.PREREVIEWED))
    qs = qs.annotate(last_progress=Max("progress_updates__reported_on"))
    found = []
    for project in qs.order_by("pk"):
        dates = [d for d in (project.negotiated_on, project.prereview_passed_on, project.last_progress) if d]
        last = max(dates) if dates else timezone_date(project.created_at)
        if last <= limit:
            found.append(
                Finding(
                    "negotiating_stalled",
                    f"negotiating_stalled:project:{project.pk}:{last:%Y%m%d}",
                    _("“{p}”({u})自{d}起已{n}天无进展").format(
                        p=project, u=project.introducing_unit, d=_ymd(last), n=(ctx.today - last).days
                    ),
                    project.introducing_unit,
                    project,
                )
            )
    return found


@rule(
    "signed_not_commenced",
    _("签约后超过{n}天未开工"),
    90,
    _("阶段为签约(未开工、未终止、未退库)且签约日期距今超过阈值天数的项目。"),
    threshold_label=_("天"),
    label=_("签约后未开工"),
)
def signed_not_commenced(ctx: Context) -> list[Finding]:
    from zhaoshang.projects.choices import Stage

    limit = ctx.today - datetime.timedelta(days=_days(ctx.threshold))
    qs = ctx.projects().filter(stage=Stage.SIGNED, commenced_on__isnull=True, signed_on__lte=limit)
    found = []
    for project in qs.order_by("signed_on", "pk"):
        text = _("“{p}”({u}){d}签约,已{n}天未开工").format(
            p=project,
            u=project.introducing_unit,
            d=_ymd(project.signed_on),
            n=(ctx.today - project.signed_on).days,
        )
        if project.agreed_start_on and project.agreed_start_on < ctx.today:
            text += _(",约定开工日期{d}已过").format(d=_ymd(project.agreed_start_on))
        found.append(
            Finding(
                "signed_not_commenced",
                f"signed_not_commenced:project:{project.pk}",
                text,
                project.introducing_unit,
                project,
            )
        )
    return found


@rule(
    "commenced_no_funds",
    _("开工后连续{n}个月无到位资金"),
    3,
    _("阶段为开工的项目,开工于最近阈值个月之前,而最近阈值个月(含本月)没有到位资金(金额大于0、未删除)。"),
    threshold_label=_("个月"),
    label=_("开工后无到位资金"),
)
def commenced_no_funds(ctx: Context) -> list[Finding]:
    from zhaoshang.projects.choices import Stage

    months = int(ctx.threshold)
    window = _month_start(ctx.today, months)
    recent = Q(funds__month__gte=window, funds__is_deleted=False, funds__amount_wan__gt=0)
    qs = (
        ctx.projects()
        .filter(stage=Stage.COMMENCED, commenced_on__lt=window)
        .annotate(recent_funds=Count("funds", filter=recent))
        .filter(recent_funds=0)
    )
    return [
        Finding(
            "commenced_no_funds",
            f"commenced_no_funds:project:{project.pk}:{window:%Y%m}",
            _("“{p}”({u}){d}开工,{m}以来没有到位资金").format(
                p=project,
                u=project.introducing_unit,
                d=_ymd(project.commenced_on),
                m=f"{window.year}年{window.month}月",
            ),
            project.introducing_unit,
            project,
        )
        for project in qs.order_by("pk")
    ]


@rule(
    "major_no_progress",
    _("重大项目超过{n}天未更新推进情况"),
    7,
    _("在建的重大项目(未达效、未终止、未退库),最近一次推进情况(没有时按录入日期)距今超过阈值天数。"),
    threshold_label=_("天"),
    label=_("重大项目未更新推进情况"),
)
def major_no_progress(ctx: Context) -> list[Finding]:
    from zhaoshang.projects.choices import Stage

    limit = ctx.today - datetime.timedelta(days=_days(ctx.threshold))
    qs = (
        ctx.projects()
        .filter(is_major=True)
        .exclude(stage__in=(Stage.TERMINATED, Stage.EFFECTIVE))
        .annotate(last_progress=Max("progress_updates__reported_on"))
    )
    found = []
    for project in qs.order_by("pk"):
        last = project.last_progress or timezone_date(project.created_at)
        if last <= limit:
            found.append(
                Finding(
                    "major_no_progress",
                    f"major_no_progress:project:{project.pk}:{last:%Y%m%d}",
                    _("重大项目“{p}”({u})最近一次推进情况为{d},已{n}天未更新").format(
                        p=project, u=project.introducing_unit, d=_ymd(last), n=(ctx.today - last).days
                    ),
                    project.introducing_unit,
                    project,
                )
            )
    return found


# --- units ----------------------------------------------------------------------------------------


@rule(
    "unit_no_leads",
    _("本月未上报招商信息(每月{n}日起检查)"),
    20,
    _("每月自阈值日起,检查本月1日至今没有上报(已上报或已认定)任何招商信息的任务单位。"),
    threshold_label=_("日"),
    label=_("未上报招商信息"),
)
def unit_no_leads(ctx: Context) -> list[Finding]:
    from zhaoshang.leads.models import Lead

    if ctx.today.day < int(ctx.threshold):
        return []
    start = ctx.today.replace(day=1)
    reported = Lead.objects.filter(
        is_deleted=False,
        review_status__in=REPORTED_STATUSES,
        reported_on__gte=start,
        reported_on__lte=ctx.today,
    ).values("unit_id")
    return [
        Finding(
            "unit_no_leads",
            f"unit_no_leads:unit:{unit.pk}:{start:%Y%m}",
            _("{u}{y}年{m}月至今未上报招商信息").format(u=unit, y=start.year, m=start.month),
            unit,
            None,
        )
        for unit in ctx.units().exclude(pk__in=reported)
    ]


@rule(
    "lead_amount_conflict",
    _("同一企业的招商信息拟投资额悬殊(超过{n}倍)"),
    3,
    _(
        "同一企业(同一企业客商记录,统一社会信用代码唯一)的两条招商信息,由不同单位上报(已上报或已认定),"
        "上报日期相隔不超过365天,拟投资额较大者超过较小者的阈值倍数(默认3倍,如20亿元与0.8亿元)。"
        "每家企业列出相差最大的一对,由招商局核实后退回有误的一条。"
    ),
    ticketable=False,
    threshold_label=_("倍"),
    label=_("信息投资额悬殊"),
)
def lead_amount_conflict(ctx: Context) -> list[Finding]:
    from zhaoshang.leads.models import Lead

    leads = Lead.objects.filter(
        is_deleted=False,
        review_status__in=REPORTED_STATUSES,
        reported_on__lte=ctx.today,
        enterprise__isnull=False,
        intended_investment_wan__gt=0,
    ).select_related("unit", "enterprise")
    if ctx.region is not None:
        leads = leads.filter(unit__region__path__startswith=ctx.region.path)
    # Only companies that could hold such a pair (two units, extremes far enough apart) are read.
    spread = (
        leads.order_by()
        .values("enterprise_id")
        .annotate(
            n_units=Count("unit", distinct=True),
            low=Min("intended_investment_wan"),
            high=Max("intended_investment_wan"),
        )
        .filter(n_units__gte=2, high__gt=F("low") * Value(ctx.threshold, output_field=DecimalField()))
        .values("enterprise_id")
    )
    leads = leads.filter(enterprise_id__in=spread)
    by_company: dict[int, list] = {}
    for lead in leads.order_by("reported_on", "pk"):
        by_company.setdefault(lead.enterprise_id, []).append(lead)
    found = []
    for group in by_company.values():
        worst = None
        for i, low in enumerate(group):
            for high in group[i + 1 :]:
                if low.unit_id == high.unit_id or (high.reported_on - low.reported_on).days > 365:
                    continue
                small, large = sorted((low, high), key=lambda lead: lead.intended_investment_wan)
                ratio = large.intended_investment_wan / small.intended_investment_wan
                if ratio > ctx.threshold and (worst is None or ratio > worst[0]):
                    worst = (ratio, small, large)
        if worst is None:
            continue
        _ratio, small, large = worst
        first, later = sorted((small, large), key=lambda lead: (lead.reported_on, lead.pk))
        found.append(
            Finding(
                "lead_amount_conflict",
                f"lead_amount_conflict:{first.pk}:{later.pk}",
                _("{e}:{ua}{da}上报拟投资{a},{ub}{db}上报拟投资{b}").format(
                    e=first.enterprise,
                    ua=first.unit,
                    da=_ymd(first.reported_on),
                    a=wan_to_yi(first.intended_investment_wan) + str(_("亿元")),
                    ub=later.unit,
                    db=_ymd(later.reported_on),
                    b=wan_to_yi(later.intended_investment_wan) + str(_("亿元")),
                ),
                None,
                later,
            )
        )
    return found


def _year_to_last_month(today: datetime.date):
    """1月 to the last complete month; None in January (no month of the year is complete)."""
    from zhaoshang.metrics import periods

    if today.month == 1:
        return None
    return periods.year_to_date(today.year, today.month - 1)


def _below_requirement(ctx: Context, *, rule_code: str, indicator: str, label) -> list[Finding]:
    """Units whose count (上报口径) from January to the last complete month is below the yearly
    requirement prorated by 序时进度 (months elapsed ÷ 12): the unit's own target for the indicator
    where the bureau set one, otherwise the rule's threshold."""
    from zhaoshang.metrics.engine import measure_by_unit
    from zhaoshang.metrics.indicators import Basis
    from zhaoshang.targets.models import Target

    period = _year_to_last_month(ctx.today)
    if period is None:
        return []
    units = list(ctx.units())
    ids = [u.pk for u in units]
    values = measure_by_unit(indicator, period=period, basis=Basis.REPORTED, unit_ids=ids)
    targets = dict(
        Target.objects.filter(
            unit_id__in=ids, year=period.year, campaign__isnull=True, indicator=indicator
        ).values_list("unit_id", "value")
    )
    progress = period.time_progress()
    found = []
    for unit in units:
        required = targets.get(unit.pk, ctx.threshold) * progress
        value = values.get(unit.pk, Decimal(0))
        if value < required:
            found.append(
                Finding(
                    rule_code,
                    f"{rule_code}:unit:{unit.pk}:{period.end:%Y%m}",
                    _("{u}{p}{what}{v}次,低于序时要求{r}次").format(
                        u=unit,
                        p=period.label,
                        what=label,
                        v=plain(value),
                        r=plain(required, 1),
                    ),
                    unit,
                    None,
                )
            )
    return found


@rule(
    "trips_below",
    _("外出招商次数低于要求(全年{n}次)"),
    12,
    _("1月至上月的外出招商次数(上报口径)低于全年要求×序时进度;单位有外出招商目标的以目标为全年要求。"),
    threshold_label=_("次/年"),
    label=_("外出招商次数不足"),
)
def trips_below(ctx: Context) -> list[Finding]:
    return _below_requirement(ctx, rule_code="trips_below", indicator="trips", label=_("外出招商"))


@rule(
    "out_of_province_below",
    _("出省招商次数低于要求(全年{n}次)"),
    4,
    _("1月至上月的出省招商次数(上报口径)低于全年要求×序时进度;单位有出省招商目标的以目标为全年要求。"),
    threshold_label=_("次/年"),
    label=_("出省招商次数不足"),
)
def out_of_province_below(ctx: Context) -> list[Finding]:
    return _below_requirement(
        ctx, rule_code="out_of_province_below", indicator="out_of_province_trips", label=_("出省招商")
    )


@rule(
    "task_force_days_away",
    _("专班月均外出天数不足{n}天"),
    20,
    _(
        "产业招商专班1月至上月的外出天数(上报口径,首尾两天都算)除以月数,低于每月阈值天数(如通报中“专班每月平均外出16天,均未达到20天的工作要求”)。"
    ),
    threshold_label=_("天/月"),
    label=_("专班外出天数不足"),
)
def task_force_days_away(ctx: Context) -> list[Finding]:
    from zhaoshang.metrics.engine import measure_by_unit
    from zhaoshang.metrics.indicators import Basis

    period = _year_to_last_month(ctx.today)
    if period is None:
        return []
    forces = list(ctx.units().filter(kind=UnitKind.TASK_FORCE))
    days = measure_by_unit("days_away", period=period, basis=Basis.REPORTED, unit_ids=[u.pk for u in forces])
    months = Decimal(period.end.month)
    found = []
    for unit in forces:
        total = days.get(unit.pk, Decimal(0))
        average = total / months
        if average < ctx.threshold:
            found.append(
                Finding(
                    "task_force_days_away",
                    f"task_force_days_away:unit:{unit.pk}:{period.end:%Y%m}",
                    _("{u}{p}外出{d}天,月均{a}天,未达到每月{n}天的要求").format(
                        u=unit,
                        p=period.label,
                        d=plain(total),
                        a=plain(average, 1),
                        n=plain(ctx.threshold),
                    ),
                    unit,
                    None,
                )
            )
    return found


# --- things handed to a unit, past their deadline --------------------------------------------------


@rule(
    "overdue_items",
    _("项目问题、客商投诉、推送信息逾期{n}天以上未办理"),
    0,
    _("待解决的项目问题、待办理的客商投诉、推送后未反馈的招商信息,超过办结(反馈)时限阈值天数以上。"),
    threshold_label=_("天"),
    label=_("交办事项逾期"),
)
def overdue_items(ctx: Context) -> list[Finding]:
    from zhaoshang.leads.choices import LeadStatus
    from zhaoshang.leads.models import LeadAssignment
    from zhaoshang.projects.choices import ComplaintStatus, ProblemStatus
    from zhaoshang.projects.models import Complaint, ProjectProblem

    limit = ctx.today - datetime.timedelta(days=_days(ctx.threshold))
    in_region = {} if ctx.region is None else {"owner_unit__region__path__startswith": ctx.region.path}
    if ctx.unit is not None:
        in_region["owner_unit"] = ctx.unit
    found = []
    problems = ProjectProblem.objects.filter(status=ProblemStatus.OPEN, deadline__lt=limit, **in_region)
    for problem in problems.select_related("project", "owner_unit").order_by("deadline", "pk"):
        found.append(
            Finding(
                "overdue_items",
                f"overdue_problem:{problem.pk}",
                _("项目“{p}”的问题“{t}”交{u}办理,时限{d}已过").format(
                    p=problem.project,
                    t=problem.description[:30],
                    u=problem.owner_unit,
                    d=_ymd(problem.deadline),
                ),
                problem.owner_unit,
                problem,
            )
        )
    complaints = Complaint.objects.filter(status=ComplaintStatus.OPEN, deadline__lt=limit, **in_region)
    for complaint in complaints.select_related("enterprise", "owner_unit").order_by("deadline", "pk"):
        found.append(
            Finding(
                "overdue_items",
                f"overdue_complaint:{complaint.pk}",
                _("{e}的投诉交{u}办理,时限{d}已过仍未答复").format(
                    e=complaint.enterprise, u=complaint.owner_unit, d=_ymd(complaint.deadline)
                ),
                complaint.owner_unit,
                complaint,
            )
        )
    unit_region = {} if ctx.region is None else {"unit__region__path__startswith": ctx.region.path}
    if ctx.unit is not None:
        unit_region["unit"] = ctx.unit
    assignments = (
        LeadAssignment.objects.filter(
            is_current=True,
            deadline__lt=limit,
            lead__status=LeadStatus.PUSHED,
            lead__is_deleted=False,
            **unit_region,
        )
        .select_related("lead", "unit")
        .order_by("deadline", "pk")
    )
    for assignment in assignments:
        found.append(
            Finding(
                "overdue_items",
                f"overdue_lead:{assignment.pk}",
                _("推送给{u}的招商信息“{lead}”反馈时限{d}已过,尚未反馈").format(
                    u=assignment.unit, lead=assignment.lead, d=_ymd(assignment.deadline)
                ),
                assignment.unit,
                assignment.lead,
            )
        )
    return found


# --- data quality (防水分) --------------------------------------------------------------------------


@rule(
    "weekly_report_missing",
    _("上周周报超过{n}天未报送"),
    2,
    _(
        "每周(周一至周日)结束后阈值天数内,招商局应报送该周周报(新增招商信息和10亿元以上重点项目"
        "推进情况,“报告”中生成并保存的周报);到期仍未保存该周周报的招商局列入。"
    ),
    threshold_label=_("天"),
    label=_("周报未按时报送"),
)
def weekly_report_missing(ctx: Context) -> list[Finding]:
    from zhaoshang.reports.choices import ReportKind
    from zhaoshang.reports.models import ReportDraft
    from zhaoshang.reports.periods import last_full_week

    week = last_full_week(ctx.today)
    due = week.end + datetime.timedelta(days=_days(ctx.threshold))
    if ctx.today <= due:
        return []
    bureaus = Unit.objects.filter(is_active=True, kind=UnitKind.BUREAU).select_related("region")
    if ctx.region is not None:
        bureaus = bureaus.filter(region__path__startswith=ctx.region.path)
    if ctx.unit is not None:
        bureaus = bureaus.filter(pk=ctx.unit.pk)
    filed = set(
        ReportDraft.objects.filter(
            kind=ReportKind.WEEKLY, period_start=week.start, period_end=week.end
        ).values_list("region_id", flat=True)
    )
    year, number, _day = week.start.isocalendar()
    return [
        Finding(
            "weekly_report_missing",
            f"weekly_report_missing:unit:{bureau.pk}:{year}W{number:02d}",
            _("{u}未按时报送{label}周报(应于{due}前报送)").format(u=bureau, label=week.label, due=_ymd(due)),
            bureau,
            None,
        )
        for bureau in bureaus.order_by("order", "name")
        if bureau.region_id not in filed
    ]


@rule(
    "extreme_values",
    _("异常数值(单个项目{n}亿元以上等)"),
    1_000_000,
    _("单个项目总投资达到阈值(默认100亿元,以万元设置)以上;累计到位资金超过总投资;签约日期晚于今天。"),
    threshold_label=_("万元"),
    written=wan_to_yi,
    label=_("异常数值"),
)
def extreme_values(ctx: Context) -> list[Finding]:
    from zhaoshang.projects import selectors

    found = []
    for flag in selectors.extreme_value_flags(
        projects=ctx.projects(), today=ctx.today, threshold=ctx.threshold
    ):
        found.append(
            Finding(
                "extreme_values",
                f"extreme:{flag.code}:project:{flag.project.pk}",
                _("“{p}”({u}):{t}").format(p=flag.project, u=flag.project.introducing_unit, t=flag.text),
                flag.project.introducing_unit,
                flag.project,
            )
        )
    return found


@rule(
    "possible_duplicates",
    _("疑似重复项目"),
    0,
    _(
        "落地区划相同、投资额相差不超过10%,且投资方统一社会信用代码相同、投资方名称相近(规范化后相似度≥0.8)"
        "或项目名称相近(相似度≥0.8;投资方不同时≥0.9)的两个项目。已在疑似重复池待核查的列出;"
        "新发现的由每天的督查规则检查放入池中。"
    ),
    ticketable=False,
    label=_("疑似重复项目"),
)
def possible_duplicates(ctx: Context) -> list[Finding]:
    from zhaoshang.projects.choices import DuplicateStatus
    from zhaoshang.projects.models import DuplicateCandidate
    from zhaoshang.projects.selectors import DUPLICATE_REASON_LABELS, duplicate_pairs

    found = []
    pooled = DuplicateCandidate.objects.select_related("project__introducing_unit", "other__introducing_unit")
    if ctx.region is not None:
        pooled = pooled.filter(project__region__path__startswith=ctx.region.path)
    known = set()
    for candidate in pooled.order_by("pk"):
        known.add((candidate.project_id, candidate.other_id))
        known.add((candidate.other_id, candidate.project_id))
        if candidate.status == DuplicateStatus.OPEN:
            found.append(
                Finding(
                    "possible_duplicates",
                    f"duplicate:{candidate.pk}",
                    _("待核查:“{a}”({ua})与“{b}”({ub}),{r}").format(
                        a=candidate.project,
                        ua=candidate.project.introducing_unit,
                        b=candidate.other,
                        ub=candidate.other.introducing_unit,
                        r="、".join(candidate.reason_labels()),
                    ),
                    None,
                    candidate,
                )
            )
    for project, other, reasons in duplicate_pairs(ctx.projects().select_related("investor")):
        if (project.pk, other.pk) in known:
            continue
        found.append(
            Finding(
                "possible_duplicates",
                f"duplicate:new:{other.pk}:{project.pk}",
                _("新发现:“{a}”({ua})与“{b}”({ub}),{r}").format(
                    a=project,
                    ua=project.introducing_unit,
                    b=other,
                    ub=other.introducing_unit,
                    r="、".join(str(DUPLICATE_REASON_LABELS[c]) for c in reasons),
                ),
                None,
                project,
                (project, other, reasons),
            )
        )
    return found


# --- running them ---------------------------------------------------------------------------------


def rule_settings() -> dict[str, tuple[bool, Decimal]]:
    """Each rule's (enabled, threshold): the deployment's ``RuleSetting`` over the defaults."""
    from zhaoshang.supervision.models import RuleSetting

    settings = {code: (True, r.default) for code, r in RULES.items()}
    for code, enabled, threshold in RuleSetting.objects.values_list("code", "enabled", "threshold"):
        if code in settings:
            settings[code] = (enabled, threshold)
    return settings


@dataclass
class Result:
    rule: Rule
    threshold: Decimal
    findings: list[Finding]

    @property
    def title(self) -> str:
        return self.rule.title(self.threshold)


def run_rules(
    *,
    today: datetime.date,
    region: Region | None = None,
    codes: list[str] | None = None,
    unit: Unit | None = None,
) -> list[Result]:
    """Run the enabled rules (or the ``codes`` asked for) as of ``today``; read only.

    With ``unit``, only what that unit owns: its own records and obligations (the rules that hand
    nothing to a unit, such as the possible-duplicate pool, are left out)."""
    results = []
    for code, (enabled, threshold) in rule_settings().items():
        if codes is not None and code not in codes:
            continue
        if not enabled and codes is None:
            continue
        entry = RULES[code]
        if unit is not None and not entry.ticketable:
            continue
        results.append(Result(entry, threshold, entry.check(Context(today, threshold, region, unit))))
    return results
