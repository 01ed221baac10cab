"""Counting options (口径选项, issue 13): the rules of SPEC §3 that a deployment may set per year to
count by its own 考核办法, as SQL expressions the indicators use.

- 亿元以上门槛: "亿元以上" is counted investment ≥ the year's threshold (default 10 000万元), and
  with a USD threshold set, a foreign project whose foreign capital (``Project.foreign_usd_wan``)
  reaches it counts as 亿元以上 too (亿元以上或外资1000万美元以上);
- 规模分档: the size bands of the 规模分档 breakdown (default 1–5、5–10、10–20、20亿元以上);
- 日期口径: a signing or commencement counts in the period of its own date (default) or of the
  date the bureau recognised it (see ``indicators.effective``).

A record is judged by the options of the year of its own date (a project signed in 2025 by the 2025
threshold), so one period may span years with different options and every figure still adds up.

The options are read once per request (and per command run): ``rules_by_year`` keeps them in this
process until a request starts or a row is saved or deleted (``metrics.apps``).
"""

import hashlib
from decimal import Decimal
from itertools import pairwise

from django.apps import apps
from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext as _

DECIMAL = models.DecimalField(max_digits=18, decimal_places=4)

_CACHE: dict[str, dict] = {}


_TABLE_SEEN: list[bool] = []  # the options table exists (checked until it does; never forgotten)


def _table_exists(model) -> bool:
    # While ``migrate`` runs (forwards or backwards) the summary is rebuilt before or after this
    # table exists: no table, no options.
    if not _TABLE_SEEN:
        from django.db import connection

        if model._meta.db_table not in connection.introspection.table_names():
            return False
        _TABLE_SEEN.append(True)
    return True


def rules_by_year() -> dict:
    """``{year: CountingRules}`` of the years that have a row (one query, then kept until cleared)."""
    if "rules" not in _CACHE:
        model = apps.get_model("metrics", "CountingRules")
        if not _table_exists(model):
            return {}
        _CACHE["rules"] = {r.year: r for r in model.objects.order_by("year")}
    return _CACHE["rules"]


def clear_cache(**_kwargs) -> None:
    _CACHE.clear()


def rules_for(year: int):
    """The options in force in ``year``: its row, or an unsaved row at the defaults (SPEC §3)."""
    found = rules_by_year().get(year)
    if found is None:
        found = apps.get_model("metrics", "CountingRules")(year=year)
    return found


def signature_part() -> str:
    """The options that change what the summary's cells hold, for its signature."""
    text = ";".join(r.counting_key() for _y, r in sorted(rules_by_year().items()))
    return hashlib.sha1(text.encode()).hexdigest()[:12] if text else ""


def _defaults():
    return apps.get_model("metrics", "CountingRules")()


def _by_year(date_field: str, attr: str, default):
    """An expression giving each record the option ``attr`` of the year of its ``date_field``; the
    plain default (no CASE) while no year differs from it."""
    whens = [
        When(**{f"{date_field}__year": year}, then=Value(getattr(rules, attr), output_field=DECIMAL))
        for year, rules in sorted(rules_by_year().items())
        if getattr(rules, attr) != default
    ]
    if not whens:
        return None if default is None else Value(default, output_field=DECIMAL)
    return Case(*whens, default=Value(default, output_field=DECIMAL), output_field=DECIMAL)


def hundred_million(date_field: str) -> Q:
    """亿元以上 (SPEC §3: ≥ 10 000万元, "以上" includes the threshold) by the options of each
    record's year, on the ``counted`` investment alias; or, where a year sets a USD threshold, a
    foreign capital (万美元) at least that."""
    defaults = _defaults()
    condition = Q(counted__gte=_by_year(date_field, "threshold_wan", Decimal(defaults.threshold_wan)))
    usd = _by_year(date_field, "foreign_threshold_usd_wan", None)
    if usd is not None:
        condition |= Q(foreign_usd_wan__gte=usd)
    return condition


def _yi(edge_wan: Decimal) -> str:
    return format((edge_wan / 10000).normalize(), "f")


def band_labels(edges_wan: list[Decimal]) -> list[tuple[Decimal | None, str]]:
    """``[(lower edge, label)]`` of the bands of ``edges_wan`` (万元, smallest first), largest first:
    "20亿元以上", "10–20亿元", …, and last "1亿元以下" (edge None). A band includes its lower edge."""
    labels: list[tuple[Decimal | None, str]] = [
        (edges_wan[-1], _("{a}亿元以上").format(a=_yi(edges_wan[-1])))
    ]
    for low, high in reversed(list(pairwise(edges_wan))):
        labels.append((low, _("{a}–{b}亿元").format(a=_yi(low), b=_yi(high))))
    labels.append((None, _("{a}亿元以下").format(a=_yi(edges_wan[0]))))
    return labels


def _band_whens(edges_wan: list[Decimal], year_condition: Q | None) -> list[When]:
    whens = []
    for low, label in band_labels(edges_wan):
        if low is None and year_condition is None:
            continue  # the CASE's default
        condition = Q(counted__gte=low) if low is not None else Q()
        if year_condition is not None:
            condition = year_condition & condition
        whens.append(When(condition, then=Value(label)))
    return whens


def size_band(date_field: str = "signed_on"):
    """规模分档 of a project by its counted investment, by the bands of the year of its date."""
    default_edges = _defaults().edges_wan()
    whens: list[When] = []
    for year, rules in sorted(rules_by_year().items()):
        edges = rules.edges_wan()
        if edges != default_edges:
            whens += _band_whens(edges, Q(**{f"{date_field}__year": year}))
    whens += _band_whens(default_edges, None)
    below = band_labels(default_edges)[-1][1]
    return Case(*whens, default=Value(below), output_field=CharField())


def recognition_dated(year: int) -> bool:
    """Whether the options of ``year`` count signings and commencements by the recognition date."""
    return rules_for(year).date_basis == "recognised"


# --- 不予认定 (eligibility) ----------------------------------------------------------------------------


SIZE_ALIAS = "counted_for_size"  # the size rule's own name for the counted investment


def counted_investment(prefix: str = ""):
    """A project's counted investment (SPEC §3: an expansion its 新增投资) from a related path."""
    from zhaoshang.projects.choices import EXPANSION_KINDS

    return Case(
        When(
            **{f"{prefix}kind__in": EXPANSION_KINDS, f"{prefix}added_investment_wan__isnull": False},
            then=models.F(f"{prefix}added_investment_wan"),
        ),
        default=models.F(f"{prefix}total_investment_wan"),
        output_field=DECIMAL,
    )


def ineligibility_conditions(rules, prefix: str = "") -> list[tuple[str, Q]]:
    """``[(rule in words, condition)]`` of the 不予认定 rules ``rules`` switches on, on projects at
    ``prefix`` ("" for a project, "project__" for its funds). The size rule compares the counted
    investment (alias ``SIZE_ALIAS``, which the caller adds) with the year's lower bound (the
    区直/市直 departments' own where set)."""
    from zhaoshang.metrics.models import ELIGIBILITY_FLAGS
    from zhaoshang.organisation.choices import UnitKind

    out = []
    for option, flag, label in ELIGIBILITY_FLAGS:
        if getattr(rules, option):
            out.append((str(label), Q(**{f"{prefix}{flag}": True})))
    low, department_low = rules.min_project_wan, rules.min_department_project_wan
    if department_low is None:
        department_low = low
    department = Q(**{f"{prefix}introducing_unit__kind": UnitKind.DEPARTMENT})
    size = Q()
    if low is not None:
        size |= ~department & Q(**{f"{SIZE_ALIAS}__lt": low})
    if department_low is not None:
        size |= department & Q(**{f"{SIZE_ALIAS}__lt": department_low})
    if size:
        label = _("计入投资额低于{low}万元(区直、市直部门低于{dept}万元)的项目不予认定").format(
            low=_plain(low), dept=_plain(department_low)
        )
        out.append((str(label), size))
    return out


def _plain(value) -> str:
    return "—" if value is None else format(Decimal(value).normalize(), "f")


def exclude_ineligible(qs, date_field: str, prefix: str = ""):
    """``qs`` without the projects (or their funds) that the 不予认定 rules of the year of each
    record's ``date_field`` exclude; unchanged (same SQL) while no year switches a rule on."""
    excluded = Q()
    for year, rules in sorted(rules_by_year().items()):
        if not rules.excludes_anything:
            continue
        conditions = ineligibility_conditions(rules, prefix)
        either = Q()
        for _label, condition in conditions:
            either |= condition
        excluded |= Q(**{f"{date_field}__year": year}) & either
    if not excluded:
        return qs
    # The size rule reads the counted investment under a name of its own (``counted`` may be taken).
    qs = qs.alias(**{SIZE_ALIAS: counted_investment(prefix)})
    return qs.exclude(excluded)
