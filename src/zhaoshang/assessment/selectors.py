"""Reads for the assessment pages, the command and the reports: which runs a user may see, and each
unit's score explained item by item with links to the records counted."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from zhaoshang.assessment.choices import ItemKind, RunStatus, ScoringRule
from zhaoshang.assessment.links import records_url
from zhaoshang.assessment.models import ResultLine, Run, Scheme
from zhaoshang.core import access
from zhaoshang.core.formatting import plain, wan_to_yi
from zhaoshang.metrics.formatting import pct
from zhaoshang.metrics.indicators import REGISTRY
from zhaoshang.organisation.choices import UNIT_ROLES


def _base_runs() -> models.QuerySet[Run]:
    return Run.objects.select_related("scheme", "scheme__assessment_group", "scheme__region")


def runs_visible(user) -> models.QuerySet[Run]:
    """The runs ``user`` may see: the bureau, leaders and supervision those of their region (drafts
    included); unit roles the published results of their own assessment group."""
    runs = _base_runs()
    if not user.is_superuser and getattr(user, "role", None) in UNIT_ROLES:
        runs = runs.filter(status=RunStatus.PUBLISHED)
    return access.restrict(runs, user, access.VIEW)


def run_for(user, pk, action: str = access.VIEW) -> Run:
    """One run, or 404 — the same for a missing run and one the user may not see."""
    runs = _base_runs()
    if not user.is_superuser and getattr(user, "role", None) in UNIT_ROLES:
        runs = runs.filter(status=RunStatus.PUBLISHED)
    return access.get_restricted_or_404(runs, user, pk, action)


def schemes_runnable(user, *, year: int | None = None) -> models.QuerySet[Scheme]:
    """The schemes ``user`` may compute and publish (the bureau's, of its region)."""
    schemes = access.restrict(Scheme.objects.select_related("assessment_group", "region"), user, access.ADD)
    if year is not None:
        schemes = schemes.filter(year=year)
    return schemes


def schemes_configurable(user, *, year: int) -> list[Scheme]:
    """The year's schemes ``user`` may adjust (the bureau's, of its region), items prefetched."""
    return list(
        access.restrict(Scheme.objects.select_related("assessment_group", "region"), user, access.CHANGE)
        .filter(year=year)
        .prefetch_related("items")
        .order_by(models.F("assessment_group__order").asc(nulls_last=True), "pk")
    )


def scheme_years(user) -> list[int]:
    """The years that have schemes ``user`` may adjust, newest first."""
    schemes = access.restrict(Scheme.objects.all(), user, access.CHANGE)
    return sorted(set(schemes.values_list("year", flat=True)), reverse=True)


def sibling_runs(run: Run, user) -> list[Run]:
    """The other groups' results for the same period and basis (the page's tabs)."""
    return list(
        runs_visible(user)
        .filter(period_code=run.period_code, basis=run.basis)
        .order_by("scheme__assessment_group__order", "scheme__assessment_group__name", "pk")
    )


# --- explanation ------------------------------------------------------------------------------------


def _figure(text: str | None, code: str) -> str:
    if text is None:
        return "—"
    indicator = REGISTRY.get(code)
    value = Decimal(text)
    if indicator is not None and indicator.money and str(indicator.unit) == "万元":
        return _("{v}亿元").format(v=wan_to_yi(value))
    unit = str(indicator.unit) if indicator is not None else ""
    return f"{plain(value)}{unit}"


def _percent(text: str | None) -> str:
    return "—" if text is None else f"{pct(Decimal(text))}%"


def _formula(entry: dict[str, Any]) -> str:
    """How the points came about, in words a unit head can check with a calculator."""
    points = plain(Decimal(entry["points"]), 2)
    rule = entry["rule"]
    if rule == ScoringRule.COMPLETION:
        if entry["no_target"]:
            return _("未下达目标,不计分")
        ratio = _("{weight} × min({c} ÷ {tp}, {cap})") if entry["cap"] else _("{weight} × {c} ÷ {tp}")
        text = ratio.format(
            weight=plain(Decimal(entry["weight"])),
            c=_percent(entry["completion"]),
            tp=_percent(entry["time_progress"]),
            cap=plain(Decimal(entry["cap"])) if entry["cap"] else "",
        )
        return f"{text} = {points}"
    if rule == ScoringRule.RANK_POINTS:
        if Decimal(entry["value"]) <= 0:
            return _("未完成,不计分")
        rank = entry["rank"]
        return _("第{rank}名:{weight} − {step} × {below} = {points}").format(
            rank=rank,
            weight=plain(Decimal(entry["weight"])),
            step=plain(Decimal(entry["step"])),
            below=rank - 1,
            points=points,
        )
    if rule == ScoringRule.EFFICACY:
        weight, low, high = (plain(Decimal(entry[k])) for k in ("weight", "low", "high"))
        if entry["low"] == entry["high"]:
            if Decimal(entry["high"]) > 0:
                return _("各单位同为最高值{high}:得满分{weight}").format(high=high, weight=points)
            return _("各单位均为0:60% × {weight} = {points}").format(weight=weight, points=points)
        return _("60% × {weight} + 40% × {weight} × ({v} − {low}) ÷ ({high} − {low}) = {points}").format(
            weight=weight, v=plain(Decimal(entry["value"])), low=low, high=high, points=points
        )
    # Per count: the count is shown with its unit (3个, 2件); a deduction says so.
    indicator = REGISTRY.get(entry["code"])
    text = _("{per} × {n}{unit}").format(
        per=plain(Decimal(entry["per_item"])),
        n=plain(Decimal(entry["value"])),
        unit=str(indicator.unit) if indicator is not None and not indicator.money else "",
    )
    if entry["kind"] == ItemKind.DEDUCTION:
        text = _("扣分 {text}").format(text=text)
    if entry["capped"]:
        text += _(",上限{weight}").format(weight=plain(Decimal(entry["weight"])))
    return f"{text} = {points}"


@dataclass
class EntryView:
    name: str
    kind: str
    kind_label: str
    rule_label: str
    value: str
    target: str
    completion: str
    time_progress: str
    formula: str
    points: Decimal
    capped: bool
    veto: bool
    link: str | None


@dataclass
class LineView:
    line: ResultLine
    entries: list[EntryView] = field(default_factory=list)

    @property
    def veto_reasons(self) -> list[str]:
        return [e.name for e in self.entries if e.veto]


def explain(line: ResultLine, run: Run) -> LineView:
    """A result line's explanation as shown: each item's value (linked to its records), target,
    completion, 序时进度, formula and points."""
    view = LineView(line)
    for entry in line.explanation:
        view.entries.append(
            EntryView(
                name=entry["name"],
                kind=entry["kind"],
                kind_label=str(ItemKind(entry["kind"]).label),
                rule_label=str(ScoringRule(entry["rule"]).label),
                value=_figure(entry["value"], entry["code"]),
                target=_figure(entry["target"], entry["code"]),
                completion=_percent(entry["completion"]),
                time_progress=_percent(entry["time_progress"]),
                formula=_formula(entry),
                points=Decimal(entry["points"]),
                capped=entry["capped"],
                veto=entry["veto"],
                link=records_url(
                    entry["code"], unit_id=line.unit_id, start=run.starts_on, end=run.ends_on, basis=run.basis
                ),
            )
        )
    return view


def run_lines(run: Run) -> list[LineView]:
    """The ranking of a run, best first, each line explained (one query)."""
    lines = run.lines.select_related("unit", "region").order_by("position")
    return [explain(line, run) for line in lines]


def leaderboard(lines: list[LineView]) -> list[LineView]:
    """The signing 龙虎榜 of the run's period: by amount signed, then number."""
    return sorted(lines, key=lambda v: (v.line.signing_rank, v.line.position))


def signing_link(run: Run, line: ResultLine) -> str | None:
    return records_url(
        "signed_projects", unit_id=line.unit_id, start=run.period_starts_on, end=run.ends_on, basis=run.basis
    )
