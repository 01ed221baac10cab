"""The assessment's aggregates written by hand in SQL: the baseline of ``assessment_vs_raw_sql``.

What a competent developer would write without the metrics engine: one grouped full-scan query per
base table with conditional aggregation (every indicator of that table, every unit, at once), the
same counting rules (SPEC §3):
recognised basis, soft-deleted and withdrawn (退库) records out, expansions counted at their added
investment, joint activities once for each unit taking part, days away split at the period bounds.
SQLite is told to read each table in order (``NOT INDEXED``) where its planner would walk a date
index and fetch rows at random. Runs on SQLite and PostgreSQL; the bench checks the figures against
the assessment's.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection

COUNTED = (
    "(CASE WHEN p.kind IN ('expansion', 'capital_increase') AND p.added_investment_wan IS NOT NULL "
    "THEN p.added_investment_wan ELSE p.total_investment_wan END)"
)


def _held(alias: str) -> str:
    """防水分: a project held in the possible-duplicate pool counts on neither basis (when the model
    has the pool's flag)."""
    from zhaoshang.projects.models import Project

    if any(f.name == "duplicate_hold" for f in Project._meta.concrete_fields):
        return f" AND {alias}.duplicate_hold = %(no)s"
    return ""


def _dialect() -> dict[str, str]:
    if connection.vendor == "sqlite":
        return {"least": "MIN", "greatest": "MAX", "days": "CAST(julianday({a}) - julianday({b}) AS INTEGER)"}
    return {"least": "LEAST", "greatest": "GREATEST", "days": "({a} - {b})"}


def _run(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _add(out, key, code, value) -> None:
    if value is None:
        return
    out[key][code] = out[key].get(code, Decimal(0)) + Decimal(str(value))


def _scan(table: str, alias: str) -> str:
    """A full scan of ``table``: SQLite's planner otherwise walks a date index over most of the table
    and fetches each row at random, several times slower than reading the table in order."""
    return f"{table} {alias} NOT INDEXED" if connection.vendor == "sqlite" else f"{table} {alias}"


def floor_aggregates(*, window: tuple[date, date], period: tuple[date, date], year: int) -> dict:
    """The fair floor: the best single-pass SQL a competent engineer writes for the whole assessment
    — one grouped full-scan query per base table for all units at once (by credited unit and by the
    record's region), the schemes' subjects picked from the result in Python. The same counting
    rules as the indicators (SPEC §3). Returns ``{"unit": {unit: {code: v}}, "region": {region: {code:
    v}}, "targets": [(unit, region, indicator, value)]}``; region sums are per record region (the
    caller sums them up its tree)."""
    d = _dialect()
    params = {"ws": window[0], "we": window[1], "ps": period[0], "pe": period[1], "no": False, "yes": True}
    params["year"] = year
    by_unit: dict[int, dict[str, Decimal]] = defaultdict(dict)
    by_region: dict[int, dict[str, Decimal]] = defaultdict(dict)
    signed_w = "p.signed_on BETWEEN %(ws)s AND %(we)s"
    signed_p = "p.signed_on BETWEEN %(ps)s AND %(pe)s"
    rows = _run(
        f"""
        SELECT p.introducing_unit_id, p.region_id,
          SUM(CASE WHEN {signed_w} AND {COUNTED} >= 10000 THEN 1 ELSE 0 END),
          SUM(CASE WHEN {signed_w} THEN {COUNTED} ELSE 0 END),
          SUM(CASE WHEN {signed_w} AND {COUNTED} >= 100000 THEN 1 ELSE 0 END),
          SUM(CASE WHEN p.commenced_on BETWEEN %(ws)s AND %(we)s THEN 1 ELSE 0 END),
          SUM(CASE WHEN p.agreed_start_on BETWEEN %(ws)s AND %(we)s AND p.signed_on IS NOT NULL
                    AND (p.commenced_on IS NULL OR p.commenced_on > p.agreed_start_on) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {signed_p} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {signed_p} THEN {COUNTED} ELSE 0 END)
        FROM {_scan("projects_project", "p")}
        WHERE p.is_deleted = %(no)s AND p.review_status = 'recognised' AND p.stage <> 'withdrawn'{_held("p")}
        GROUP BY p.introducing_unit_id, p.region_id
        """,
        params,
    )
    for unit, region, s100m, amount, s1b, commenced, overdue, lb_count, lb_amount in rows:
        for code, value in (
            ("signed_projects_100m", s100m),
            ("signed_amount_wan", amount),
            ("signed_projects_1b", s1b),
            ("commenced_projects", commenced),
            ("overdue_start_projects", overdue),
            ("leaderboard:signed_projects", lb_count),
            ("leaderboard:signed_amount_wan", lb_amount),
        ):
            if unit is not None:
                _add(by_unit, unit, code, value)
            _add(by_region, region, code, value)
    for unit, region, amount in _run(
        f"""
        SELECT p.introducing_unit_id, p.region_id, SUM(COALESCE(f.recognised_amount_wan, f.amount_wan))
        FROM {_scan("projects_fundsrecord", "f")} JOIN projects_project p ON p.id = f.project_id
        WHERE f.is_deleted = %(no)s AND f.review_status = 'recognised' AND f.month BETWEEN %(ws)s AND %(we)s
          AND p.is_deleted = %(no)s AND p.stage <> 'withdrawn'{_held("p")}
        GROUP BY p.introducing_unit_id, p.region_id
        """,
        params,
    ):
        if unit is not None:
            _add(by_unit, unit, "funds_wan", amount)
        _add(by_region, region, "funds_wan", amount)
    for unit, leads, valuable in _run(
        f"""
        SELECT l.unit_id, COUNT(*), SUM(CASE WHEN l.is_valuable = %(yes)s THEN 1 ELSE 0 END)
        FROM {_scan("leads_lead", "l")}
        WHERE l.is_deleted = %(no)s AND l.review_status = 'recognised' AND l.reported_on BETWEEN %(ws)s AND %(we)s
        GROUP BY l.unit_id
        """,
        params,
    ):
        _add(by_unit, unit, "leads", leads)
        _add(by_unit, unit, "valuable_leads", valuable)
    in_window = "a.started_on BETWEEN %(ws)s AND %(we)s"
    overlap = (
        "a.started_on <= %(we)s AND (a.ended_on >= %(ws)s OR (a.ended_on IS NULL AND a.started_on >= %(ws)s))"
    )
    first = f"{d['greatest']}(a.started_on, %(ws)s)"
    last = f"{d['least']}(COALESCE(a.ended_on, a.started_on), %(we)s)"
    days = d["days"].format(a=last, b=first)
    measures = f"""
          SUM(CASE WHEN a.kind = 'trip' AND {in_window} THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.kind = 'trip' AND {overlap} THEN {days} + 1 ELSE 0 END),
          SUM(CASE WHEN a.kind = 'visit' AND {in_window} THEN a.enterprise_count ELSE 0 END),
          SUM(CASE WHEN a.kind = 'inspection' AND {in_window} THEN a.batches ELSE 0 END)
    """
    alive = (
        "a.is_deleted = %(no)s AND a.review_status = 'recognised' AND a.started_on <= %(we)s "
        "AND (a.started_on >= %(ws)s OR (a.kind = 'trip' AND a.ended_on >= %(ws)s))"
    )
    for sql in (
        f"SELECT a.unit_id, {measures} FROM {_scan('activities_activity', 'a')} WHERE {alive} GROUP BY a.unit_id",
        f"SELECT pu.unit_id, {measures} FROM activities_activity_partner_units pu "
        f"JOIN activities_activity a ON a.id = pu.activity_id WHERE {alive} GROUP BY pu.unit_id",
    ):
        for unit, trips, days_away, visits, inspections in _run(sql, params):
            _add(by_unit, unit, "trips", trips)
            _add(by_unit, unit, "days_away", days_away)
            _add(by_unit, unit, "visits", visits)
            _add(by_unit, unit, "inspections", inspections)
    for unit, falsified, vetoes in _run(
        """
        SELECT f.unit_id, SUM(CASE WHEN f.kind = 'falsified' THEN 1 ELSE 0 END),
               SUM(CASE WHEN f.kind = 'veto' THEN 1 ELSE 0 END)
        FROM assessment_finding f
        WHERE f.is_deleted = %(no)s AND f.found_on BETWEEN %(ws)s AND %(we)s GROUP BY f.unit_id
        """,
        params,
    ):
        _add(by_unit, unit, "falsified_projects", falsified)
        _add(by_unit, unit, "veto_findings", vetoes)
    targets = _run(
        "SELECT t.unit_id, t.region_id, t.indicator, t.value FROM targets_target t "
        "WHERE t.year = %(year)s AND t.campaign_id IS NULL",
        params,
    )
    return {"unit": by_unit, "region": by_region, "targets": targets}
