"""Assessment actions: compute a scheme for a period (a pure read), run it (write the result and its
audit row in one transaction), publish it (freeze it for good).

Conventions implemented (SPEC §2, §3):
- a monthly, quarterly or half-yearly score uses year-to-date values (1 January → end of the period)
  against the annual target (``Target`` rows of the year, no campaign), measured against 序时进度;
- equal scores share a rank and the next rank is skipped (1, 2, 2, 4); a unit hit by a one-vote veto
  (一票否决) ranks after every unit that is not, whatever its score;
- the last ``bottom_count`` places are flagged 末位; at the bottom in the previous period's published
  result too makes 连续末位;
- the signing 龙虎榜 ranks units by the amount (then the number) of projects signed in the period
  itself — the month, the quarter — not year-to-date;
- a published result is never recomputed; recomputing a draft with unchanged records gives the same
  numbers.

Measuring goes through the metrics engine, one query per indicator whatever the number of units.
"""

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.assessment import scoring
from zhaoshang.assessment.choices import PeriodKind, RunStatus, ScoringRule
from zhaoshang.assessment.models import Finding, ResultLine, Run, Scheme
from zhaoshang.assessment.periods import AssessmentPeriod, parse
from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access
from zhaoshang.core.services import record_create, record_update
from zhaoshang.metrics.engine import ZERO, measure_by_unit, measure_grouped
from zhaoshang.metrics.indicators import REGISTRY, Basis
from zhaoshang.metrics.numbers import round_half_up
from zhaoshang.metrics.periods import Period
from zhaoshang.organisation.models import Region, Unit
from zhaoshang.targets.models import Target

LEADERBOARD_COUNT = "signed_projects"
LEADERBOARD_AMOUNT = "signed_amount_wan"


@dataclass
class ComputedLine:
    """One unit's (or region's) result before it is saved."""

    subject_id: int
    name: str
    entries: list[dict[str, Any]]
    score: Decimal
    vetoed: bool
    rank: int = 0
    position: int = 0
    is_bottom: bool = False
    bottom_streak: int = 0
    signed_projects: int = 0
    signed_amount_wan: Decimal = ZERO
    signing_rank: int = 0
    veto_reasons: list[str] = field(default_factory=list)


def measure_by_region(
    code: str, *, period: Period, basis: str, regions: list[Region], within: Region
) -> dict[int, Decimal]:
    """The value for each of ``regions`` (children of ``within``), each over its whole subtree: one
    query grouped by the record's region, summed per child in Python. A record counts for the region
    where it lands (a project) or where its unit is (SPEC §3)."""
    indicator = REGISTRY[code]
    by_path = measure_grouped(
        code, period=period, group_by=f"{indicator.region_path}__path", basis=basis, region=within
    )
    out: dict[int, Decimal] = {}
    for region in regions:
        out[region.pk] = sum(
            (value for path, value in by_path.items() if path and path.startswith(region.path)), ZERO
        )
    return out


def _subjects(scheme: Scheme) -> list[Unit] | list[Region]:
    if scheme.ranks_regions:
        return list(Region.objects.filter(parent_id=scheme.region_id).order_by("code"))
    return list(
        Unit.objects.filter(
            assessment_group_id=scheme.assessment_group_id,
            is_active=True,
            region__path__startswith=scheme.region.path,
        ).order_by("order", "name")
    )


def _measure(scheme, code, *, period, basis, subjects, by_unit=None) -> dict[int, Decimal]:
    if scheme.ranks_regions:
        return measure_by_region(code, period=period, basis=basis, regions=subjects, within=scheme.region)
    ids = [s.pk for s in subjects]
    if by_unit is not None:
        found = by_unit(code, period, ids)
        if found is not None:
            wanted = set(ids)
            return {pk: value for pk, value in found.items() if pk in wanted}
    return measure_by_unit(code, period=period, basis=basis, unit_ids=ids)


def _targets(scheme, *, year: int, codes: list[str], subjects) -> dict[tuple[int, str], Decimal]:
    ids = [s.pk for s in subjects]
    rows = Target.objects.filter(year=year, campaign__isnull=True, indicator__in=codes)
    if scheme.ranks_regions:
        rows = rows.filter(unit__isnull=True, region_id__in=ids).values_list(
            "region_id", "indicator", "value"
        )
    else:
        rows = rows.filter(unit_id__in=ids).values_list("unit_id", "indicator", "value")
    return {(subject_id, code): value for subject_id, code, value in rows}


def _previous_streaks(scheme: Scheme, period: AssessmentPeriod) -> dict[int, int]:
    """How many periods in a row each subject was at the bottom, up to the previous period (from the
    published result of the same assessment group, or the same region ranking)."""
    lines = ResultLine.objects.filter(
        run__status=RunStatus.PUBLISHED, run__period_code=period.previous_code(), is_bottom=True
    )
    if scheme.ranks_regions:
        lines = lines.filter(
            run__scheme__assessment_group__isnull=True, run__scheme__region_id=scheme.region_id
        )
        return dict(lines.values_list("region_id", "bottom_streak"))
    lines = lines.filter(run__scheme__assessment_group_id=scheme.assessment_group_id)
    return dict(lines.values_list("unit_id", "bottom_streak"))


def assessment_compute(
    *, scheme: Scheme, period: AssessmentPeriod, basis: str = Basis.RECOGNISED, by_unit=None
) -> list[ComputedLine]:
    """Score every unit of the scheme's group (or every child region) for ``period``; read only.

    A fixed number of queries: the subjects, the items, one per indicator (year to date), one for the
    targets, two for the 龙虎榜 (the period itself) and one for the previous period's bottom flags.
    ``by_unit(code, period, unit_ids)``, where given, may give each unit's value measured on
    ``basis`` for (at least) those units, or None: a report ranking several groups measures all its
    units once (a unit's value does not depend on the others measured).
    """
    subjects = _subjects(scheme)
    items = list(scheme.items.all())
    codes = list(dict.fromkeys(item.indicator for item in items))
    unknown = [c for c in codes if c not in REGISTRY]
    if unknown:
        raise ValidationError(_("考核办法中有未知的指标:{codes}。").format(codes="、".join(unknown)))
    values = {
        c: _measure(scheme, c, period=period.window, basis=basis, subjects=subjects, by_unit=by_unit)
        for c in codes
    }
    targets = _targets(scheme, year=period.year, codes=codes, subjects=subjects)
    progress = scoring.exact_progress(period.time_progress(by_days=scheme.progress_by_days))
    year_end = period.period.end.month == 12 and period.period.end.day == 31

    # Places on each 按名次计分 item's value (more is better).
    item_ranks: dict[int, list[int]] = {}
    for item in items:
        if item.rule == ScoringRule.RANK_POINTS:
            item_ranks[item.pk] = scoring.competition_ranks(
                [-values[item.indicator].get(s.pk, ZERO) for s in subjects]
            )

    # The lowest and highest value of each 功效系数法 item among the units assessed.
    spreads: dict[int, tuple[Decimal, Decimal]] = {}
    for item in items:
        if item.rule == ScoringRule.EFFICACY:
            measured = [values[item.indicator].get(s.pk, ZERO) for s in subjects] or [ZERO]
            spreads[item.pk] = (min(measured), max(measured))

    # An item's line depends on the unit only through its value, target and rank: units alike
    # (most have no record of a small indicator, or the same target) share one scoring, each its copy.
    # Keyed by repr: Decimal("1.0") == Decimal("1.00") but the line shows the value as written.
    scored: dict[tuple, dict] = {}
    lines = []
    for index, subject in enumerate(subjects):
        entries = []
        pk = subject.pk
        for item in items:
            value = values[item.indicator].get(pk, ZERO)
            target = targets.get((pk, item.indicator))
            rank = item_ranks[item.pk][index] if item.pk in item_ranks else None
            key = (item.pk, repr(value), repr(target), rank)
            entry = scored.get(key)
            if entry is None:
                entry = scored[key] = scoring.score_item(
                    item,
                    value=value,
                    target=target,
                    progress=progress,
                    rank=rank,
                    year_end=year_end,
                    spread=spreads.get(item.pk),
                )
            entries.append(dict(entry))
        vetoed = [e["name"] for e in entries if e["veto"]]
        lines.append(
            ComputedLine(
                subject_id=subject.pk,
                name=subject.name,
                entries=entries,
                score=scoring.total(entries),
                vetoed=bool(vetoed),
                veto_reasons=vetoed,
            )
        )

    # Ranks: a vetoed unit after every unit not vetoed; equal scores share a rank (1, 2, 2, 4).
    ranks = scoring.competition_ranks([(line.vetoed, -line.score) for line in lines])
    for line, rank in zip(lines, ranks, strict=True):
        line.rank = rank
    _flag_bottom(lines, scheme.bottom_count, _previous_streaks(scheme, period))

    # The signing 龙虎榜: the period itself, by amount then number.
    counts = _measure(scheme, LEADERBOARD_COUNT, period=period.period, basis=basis, subjects=subjects)
    amounts = _measure(scheme, LEADERBOARD_AMOUNT, period=period.period, basis=basis, subjects=subjects)
    for line in lines:
        line.signed_projects = int(counts.get(line.subject_id, ZERO))
        line.signed_amount_wan = amounts.get(line.subject_id, ZERO)
    signing = scoring.competition_ranks([(-line.signed_amount_wan, -line.signed_projects) for line in lines])
    for line, rank in zip(lines, signing, strict=True):
        line.signing_rank = rank

    ordered = sorted(range(len(lines)), key=lambda i: (lines[i].rank, i))
    for position, index in enumerate(ordered, start=1):
        lines[index].position = position
    return [lines[i] for i in ordered]


def _flag_bottom(lines: list[ComputedLine], bottom_count: int, previous: dict[int, int]) -> None:
    """末位: fewer than ``bottom_count`` units rank below it (units tied at the last place are all
    末位). Nobody is 末位 when everybody shares one rank."""
    if len(lines) < 2 or len({line.rank for line in lines}) < 2:
        return
    ranks = sorted(line.rank for line in lines)
    for line in lines:
        below = len(ranks) - bisect.bisect_right(ranks, line.rank)
        line.is_bottom = below < bottom_count
        line.bottom_streak = previous.get(line.subject_id, 0) + 1 if line.is_bottom else 0


def _check_can_run(user, scheme: Scheme) -> None:
    if user is None:  # the command line acts for the bureau (SPEC §5)
        return
    if not access.restrict(Scheme.objects.filter(pk=scheme.pk), user, access.ADD).exists():
        raise PermissionDenied(_("只有招商局可以计算和发布考核结果。"))


def _published_error(run: Run) -> ValidationError:
    return ValidationError(
        _("“{scheme}”{period}的考核结果已于{at}发布,不能重新计算。").format(
            scheme=run.scheme,
            period=run.period_label,
            at=timezone.localtime(run.published_at).strftime("%Y-%m-%d %H:%M"),
        )
    )


def _audit_after(run: Run, lines: list[ComputedLine] | None = None) -> dict[str, Any]:
    after = snapshot(run)
    if lines is not None:
        after["ranking"] = [[line.name, str(line.score), line.rank, line.vetoed] for line in lines]
    return after


def assessment_run(
    *,
    user,
    scheme: Scheme,
    period: AssessmentPeriod | str,
    basis: str = Basis.RECOGNISED,
    publish: bool = False,
) -> Run:
    """Compute ``scheme`` for ``period`` and store the result (replacing this basis's draft); with
    ``publish`` freeze it. A period already published for the scheme is refused, on any basis."""
    if isinstance(period, str):
        try:
            period = parse(period)
        except ValueError as error:
            raise ValidationError(str(error)) from error
    if basis not in Basis.values:
        raise ValidationError(_("口径应为 recognised(认定)或 reported(上报)。"))
    if period.year != scheme.year:
        raise ValidationError(
            _("“{scheme}”是{year}年的考核办法,不能用于{period}。").format(
                scheme=scheme.name, year=scheme.year, period=period.period.label
            )
        )
    if not scheme.runs_on(period.kind):
        raise ValidationError(
            _("“{scheme}”不开展{kind}。").format(scheme=scheme, kind=period_kind_label(period))
        )
    _check_can_run(user, scheme)
    actor = user if user is not None and user.pk else None
    with transaction.atomic():
        existing = list(
            Run.objects.select_for_update(of=("self",))
            .filter(scheme=scheme, period_code=period.code)
            .select_related("scheme")
        )
        for other in existing:
            if other.status == RunStatus.PUBLISHED:
                raise _published_error(other)
        run = next((r for r in existing if r.basis == basis), None)
        before = snapshot(run) if run else None
        lines = assessment_compute(scheme=scheme, period=period, basis=basis)
        now = timezone.now()
        if run is None:
            run = Run(scheme=scheme, period_code=period.code, basis=basis)
        run.period_kind = period.kind
        run.period_label = period.period.label
        run.window_label = period.window.label
        run.starts_on = period.window.start
        run.ends_on = period.window.end
        run.period_starts_on = period.period.start
        run.time_progress = round_half_up(period.time_progress(by_days=scheme.progress_by_days), 10)
        run.computed_at = now
        run.computed_by = actor
        if publish:
            run.status = RunStatus.PUBLISHED
            run.published_at = now
            run.published_by = actor
        run.save()
        if before is not None:
            run.lines.all().delete()
        ResultLine.objects.bulk_create(
            [
                ResultLine(
                    run=run,
                    unit_id=None if scheme.ranks_regions else line.subject_id,
                    region_id=line.subject_id if scheme.ranks_regions else None,
                    name=line.name,
                    position=line.position,
                    score=line.score,
                    rank=line.rank,
                    vetoed=line.vetoed,
                    is_bottom=line.is_bottom,
                    bottom_streak=line.bottom_streak,
                    signed_projects=line.signed_projects,
                    signed_amount_wan=line.signed_amount_wan,
                    signing_rank=line.signing_rank,
                    explanation=line.entries,
                )
                for line in lines
            ]
        )
        audit_record(
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            obj=run,
            before=before,
            after=_audit_after(run, lines),
            user=user,
        )
    return run


def assessment_publish(*, user, run: Run) -> Run:
    """Freeze a draft exactly as it stands (the figures the bureau checked on the page)."""
    _check_can_run(user, run.scheme)
    with transaction.atomic():
        current = Run.objects.select_for_update(of=("self",)).select_related("scheme").get(pk=run.pk)
        if current.status == RunStatus.PUBLISHED:
            raise _published_error(current)
        other = (
            Run.objects.filter(
                scheme_id=current.scheme_id, period_code=current.period_code, status=RunStatus.PUBLISHED
            )
            .select_related("scheme")
            .first()
        )
        if other is not None:
            raise _published_error(other)
        before = snapshot(current)
        current.status = RunStatus.PUBLISHED
        current.published_at = timezone.now()
        current.published_by = user if user is not None and user.pk else None
        current.save(update_fields=["status", "published_at", "published_by"])
        audit_record(
            action=AuditAction.UPDATE, obj=current, before=before, after=_audit_after(current), user=user
        )
    return current


def period_kind_label(period: AssessmentPeriod) -> str:
    return str(PeriodKind(period.kind).label)


# --- findings (核查问题) ------------------------------------------------------------------------------


def finding_create(*, user, form, submit: bool = False) -> Finding:
    return record_create(user=user, instance=form.instance)


def finding_update(*, user, form, read_version: int | None) -> Finding:
    return record_update(user=user, instance=form.instance, read_version=read_version)


# --- 考核办法: the year's schemes and their items ---------------------------------------------------

# What a scheme copy carries over from the earlier year (everything but the year and the bookkeeping).
SCHEME_COPY_FIELDS = (
    "name",
    "region",
    "assessment_group",
    "monthly",
    "quarterly",
    "half_yearly",
    "yearly",
    "progress_by_days",
    "bottom_count",
    "note",
)
ITEM_FIELDS = ("kind", "indicator", "label", "rule", "weight", "cap", "step", "points_per_item", "veto")


def scheme_year_init(*, year: int, from_year: int | None = None, user=None) -> list[Scheme]:
    """The year's schemes (``zhaoshang scheme init YEAR [--from YEAR]``): copies of ``from_year``'s,
    items included, or else the default schemes for the home region (every assessment group with
    units, and the default groups of a blank deployment). Refused when ``year`` has schemes already."""
    from zhaoshang.assessment.defaults import create_default_schemes, scheme_create
    from zhaoshang.organisation.selectors import home_region

    if Scheme.objects.filter(year=year).exists():
        raise ValidationError(_("{year}年已有考核办法,未做任何修改;请在考核办法页面调整。").format(year=year))
    with transaction.atomic():
        if from_year is None:
            region = home_region()
            if region is None:
                raise ValidationError(_("尚未设置本地区划,请先运行 zhaoshang setup。"))
            created = create_default_schemes(year=year, region=region, user=user, with_default_groups=True)
        else:
            sources = list(Scheme.objects.filter(year=from_year).prefetch_related("items").order_by("pk"))
            if not sources:
                raise ValidationError(_("{year}年没有考核办法可以复制。").format(year=from_year))
            created = [
                scheme_create(
                    user=user,
                    items=[{f: getattr(item, f) for f in ITEM_FIELDS} for item in source.items.all()],
                    year=year,
                    **{f: getattr(source, f) for f in SCHEME_COPY_FIELDS},
                )
                for source in sources
            ]
        if not created:
            raise ValidationError(_("没有可以建立考核办法的考核组别,请先导入任务单位。"))
    return created


def _items_snapshot(scheme: Scheme) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in snapshot(item).items() if k != "scheme"}
        for item in scheme.items.order_by("order", "pk")
    ]


def scheme_items_update(*, user, scheme: Scheme, read_version: int | None, formset) -> Scheme:
    """Save the bureau's changes to a scheme's items (weights, caps, points, rules, veto; items added
    or removed) from a validated formset, audited with the items before and after. Refused with
    ``StaleEdit`` when the scheme changed since the page was read (optimistic locking)."""
    from zhaoshang.core.services import StaleEdit

    if not access.restrict(Scheme.objects.filter(pk=scheme.pk), user, access.CHANGE).exists():
        raise PermissionDenied(_("只有招商局可以调整考核办法。"))
    with transaction.atomic():
        current = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if read_version is not None and current.version != read_version:
            raise StaleEdit(current)
        before = {**snapshot(current), "items": _items_snapshot(current)}
        formset.instance = current
        formset.save()
        current.version += 1
        current.save(update_fields=["version", "updated_at"])
        after = {**snapshot(current), "items": _items_snapshot(current)}
        audit_record(action=AuditAction.UPDATE, obj=current, before=before, after=after, user=user)
    return current
