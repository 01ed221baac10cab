"""Several levels in one deployment (seeds 003, 000): a city ranks its counties and districts (a
province its cities), one row per region in the official order (区划代码), with a 龙虎榜 at that
level; a county's report states its rank in the city when the city's figures are in the same
deployment ("在全市…排名第二").

Every figure is measured by the metrics engine for the region's subtree; the targets are the
regions' own annual targets (目标任务 with no unit). The ranking rule is the metrics fallback of the
units' ranking: completion of the 签约亿元以上项目 target, then of the 实际到位资金 target, then the
number of 亿元以上 projects; equal keys share a rank.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from zhaoshang.metrics.engine import measure
from zhaoshang.metrics.periods import Period, gap_points
from zhaoshang.organisation.choices import RegionLevel, UnitKind
from zhaoshang.organisation.models import Region, Unit
from zhaoshang.reports.document import Doc
from zhaoshang.reports.ranking import competition_ranks
from zhaoshang.reports.text import md, num, percent, ratio, share_places, yi
from zhaoshang.targets.models import Target

# The levels ranked under a region: a province ranks its cities, a city its counties and districts.
RANKED_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY)
BIG = "signed_projects_100m"
# Units listed in a group's ranking table of a multi-level report (the rest go by county).
UNITS_SHOWN = 20
FUNDS = "funds_wan"


@dataclass
class RegionLine:
    region: Region
    big: Decimal  # 签约亿元以上项目
    big_target: Decimal | None
    funds: Decimal  # 实际到位资金 (万元)
    funds_target: Decimal | None
    signed: Decimal  # 签约项目
    amount: Decimal  # 全部签约项目签约额 (万元)
    rank: int = 0

    @property
    def big_completion(self) -> Decimal | None:
        return ratio(self.big, self.big_target) if self.big_target else None

    @property
    def funds_completion(self) -> Decimal | None:
        return ratio(self.funds, self.funds_target) if self.funds_target else None


def ranked_children(region: Region) -> list[Region]:
    """The cities or counties directly under ``region`` that have task units, in official order."""
    children = list(Region.objects.filter(parent=region, level__in=RANKED_LEVELS).order_by("path"))
    with_units = set(
        Unit.objects.filter(is_active=True)
        .exclude(kind=UnitKind.BUREAU)
        .filter(region__path__startswith=region.path)
        .values_list("region__path", flat=True)
    )
    return [c for c in children if any(path.startswith(c.path) for path in with_units)]


def area_of(areas: list[Region], unit: Unit) -> Region | None:
    """The county (city) among ``areas`` that a unit belongs to, not its town."""
    return next((a for a in areas if unit.region.path.startswith(a.path)), None)


def area_name(areas: list[Region], unit: Unit) -> str:
    found = area_of(areas, unit)
    return found.name if found is not None else unit.region.name


def level_word(region: Region) -> str:
    """各县市区 under a city, 各市州 under a province."""
    return _("各市州") if region.level == RegionLevel.PROVINCE else _("各县市区")


def region_lines(regions: list[Region], period: Period, basis: str) -> list[RegionLine]:
    """One line per region, in the order given (official order), each with its rank."""
    targets: dict[tuple[int, str], Decimal] = {
        (r, c): v
        for r, c, v in Target.objects.filter(
            year=period.end.year,
            campaign__isnull=True,
            unit__isnull=True,
            region__in=regions,
            indicator__in=[BIG, FUNDS],
        ).values_list("region_id", "indicator", "value")
    }
    lines = []
    for region in regions:

        def m(code, region=region):
            return measure(code, period=period, basis=basis, region=region)

        lines.append(
            RegionLine(
                region=region,
                big=m(BIG),
                big_target=targets.get((region.pk, BIG)),
                funds=m(FUNDS),
                funds_target=targets.get((region.pk, FUNDS)),
                signed=m("signed_projects"),
                amount=m("signed_amount_wan"),
            )
        )
    keys = [
        (
            -(line.big_completion if line.big_completion is not None else Decimal(-1)),
            -(line.funds_completion if line.funds_completion is not None else Decimal(-1)),
            -line.big,
        )
        for line in lines
    ]
    for line, rank in zip(lines, competition_ranks(keys), strict=True):
        line.rank = rank
    return lines


def leaderboard_ranks(lines: list[RegionLine]) -> list[tuple[int, RegionLine]]:
    """The 龙虎榜 at this level: by amount signed, then number signed; equal share a rank."""
    ranks = competition_ranks([(-line.amount, -line.signed) for line in lines])
    return sorted(zip(ranks, lines, strict=True), key=lambda rl: (rl[0], rl[1].region.path))


def _gap(value: Decimal | None, progress: Decimal) -> str:
    if value is None:
        return "—"
    return num(gap_points(value, progress, share_places()))


def regions_table(ctx, doc: Doc, *, ps: str, lines: list[RegionLine]) -> None:
    """One row per region in the official order: 亿元以上 projects and funds against target with
    completion and the gap to 序时进度, and the rank."""
    progress = ctx.period.time_progress()
    rows = []
    for line in lines:
        rows.append(
            [
                md(line.region.name),
                num(line.big),
                num(line.big_target) if line.big_target is not None else "—",
                percent(line.big_completion),
                _gap(line.big_completion, progress),
                yi(line.funds).removesuffix(_("亿元")),
                yi(line.funds_target).removesuffix(_("亿元")) if line.funds_target is not None else "—",
                percent(line.funds_completion),
                _gap(line.funds_completion, progress),
                str(line.rank),
            ]
        )
    doc.table(
        _("{p}{level}主要指标完成情况（序时进度{tp}）").format(
            p=ps, level=level_word(ctx.region), tp=percent(progress)
        ),
        [
            _("地区"),
            _("签约亿元以上项目（个）"),
            _("全年目标（个）"),
            _("完成率"),
            _("超（低于）序时进度（个百分点）"),
            _("实际到位资金（亿元）"),
            _("全年目标（亿元）"),
            _("完成率"),
            _("超（低于）序时进度（个百分点）"),
            _("排名"),
        ],
        rows,
        align=["l"] + ["r"] * 8 + ["c"],
    )
    doc.note(
        _("排名按签约亿元以上项目完成全年任务比例，相同时按实际到位资金完成比例、签约亿元以上项目个数排序。")
    )


def regions_section(ctx, doc: Doc, *, ps: str) -> list[RegionLine]:
    """The paragraph naming the first and the last, and the table; [] when there is no level below."""
    children = ranked_children(ctx.region)
    if len(children) < 2:
        return []
    lines = region_lines(children, ctx.period, ctx.basis)
    ordered = sorted(lines, key=lambda line: (line.rank, line.region.path))
    first = [md(line.region.name) for line in ordered if line.rank == 1]
    last_rank = ordered[-1].rank
    last = [md(line.region.name) for line in ordered if line.rank == last_rank]
    ahead = [
        md(line.region.name) for line in lines if line.big_completion is not None and line.big_completion >= 1
    ]
    text = _("{p}，{level}中，签约亿元以上项目完成全年任务比例{first}位列第一，{last}排名末位").format(
        p=ps, level=level_word(ctx.region), first="、".join(first), last="、".join(last)
    )
    if ahead:
        text += _("；{names}已完成全年签约亿元以上项目任务").format(names="、".join(ahead))
    doc.p(text + "。")
    regions_table(ctx, doc, ps=ps, lines=lines)
    return lines


def regions_leaderboard(ctx, doc: Doc, *, ps: str, period: Period | None = None) -> bool:
    """The 龙虎榜 at the level below (counties of a city): one row each, by amount signed."""
    period = period or ctx.period
    children = ranked_children(ctx.region)
    if len(children) < 2:
        return False
    lines = region_lines(children, period, ctx.basis)
    rows = [
        [
            str(rank),
            md(line.region.name),
            num(line.signed),
            num(line.big),
            yi(line.amount).removesuffix(_("亿元")),
        ]
        for rank, line in leaderboard_ranks(lines)
    ]
    doc.table(
        _("{p}{level}签约龙虎榜").format(p=ps, level=level_word(ctx.region)),
        [_("名次"), _("地区"), _("签约项目（个）"), _("其中亿元以上（个）"), _("全部签约项目签约额（亿元）")],
        rows,
        align=["c", "l", "r", "r", "r"],
    )
    return True


def rank_in_parent(ctx) -> str:
    """ "按1至7月签约亿元以上项目完成全年任务比例，荆州区在全市9个县市区中排名第二。" when the region's
    parent (a city or province) is in the deployment with at least one other ranked region; also
    its place on the parent's 龙虎榜. Empty otherwise."""
    from zhaoshang.reports.text import ordinal, period_in_sentence, scope_word

    parent = ctx.region.parent
    if parent is None or ctx.region.level not in RANKED_LEVELS:
        return ""
    siblings = ranked_children(parent)
    if len(siblings) < 2 or ctx.region not in siblings:
        return ""
    lines = region_lines(siblings, ctx.period, ctx.basis)
    mine = next(line for line in lines if line.region == ctx.region)
    ps = period_in_sentence(ctx.period, ctx.period.end.year)
    scope = scope_word(parent)
    parts = []
    if mine.big_target:
        parts.append(
            _("按{p}签约亿元以上项目完成全年任务比例，{name}在{scope}{n}个{level}中排名第{r}").format(
                p=ps,
                name=md(ctx.region.name),
                scope=scope,
                n=len(lines),
                level=level_word(parent).removeprefix(_("各")),
                r=ordinal(mine.rank),
            )
        )
    board = {line.region.pk: rank for rank, line in leaderboard_ranks(lines)}
    if mine.signed:
        parts.append(_("在{scope}签约龙虎榜中排名第{r}").format(scope=scope, r=ordinal(board[ctx.region.pk])))
    if not parts:
        return ""
    return "，".join(parts) + "。"
