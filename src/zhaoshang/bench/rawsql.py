"""The assessment's aggregates written by hand in SQL: the baseline of ``assessment_vs_raw_sql``.

What a developer would write without the metrics engine: per scheme, one query per table with
conditional aggregation (every indicator of that table at once), the same counting rules (SPEC §3):
recognised basis, soft-deleted and withdrawn (退库) records out, expansions counted at their added
investment, joint activities once for each unit taking part, days away split at the period bounds.
Runs on SQLite and PostgreSQL. Returns ``{subject_id: {code: Decimal}}`` so that the bench can check
the figures against the assessment's.
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


def unit_aggregates(
    *,
    group_id: int,
    root_path: str,
    window: tuple[date, date],
    period: tuple[date, date],
    year: int,
    codes: list[str],
) -> dict:
    """Every indicator of the default unit schemes for the active units of one assessment group in
    ``root_path``'s subtree: year-to-date ``window`` values, the 龙虎榜 of ``period``, the targets."""
    d = _dialect()
    params = {
        "ws": window[0],
        "we": window[1],
        "ps": period[0],
        "pe": period[1],
        "group": group_id,
        "active": True,
        "no": False,
        "yes": True,
        "root": f"{root_path}%",
        "year": year,
    }
    units = (
        "(SELECT u.id FROM organisation_unit u JOIN organisation_region r ON r.id = u.region_id "
        "WHERE u.assessment_group_id = %(group)s AND u.is_active = %(active)s AND r.path LIKE %(root)s)"
    )
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)

    signed_w = "p.signed_on BETWEEN %(ws)s AND %(we)s"
    signed_p = "p.signed_on BETWEEN %(ps)s AND %(pe)s"
    rows = _run(
        f"""
        SELECT p.introducing_unit_id,
          SUM(CASE WHEN {signed_w} AND {COUNTED} >= 10000 THEN 1 ELSE 0 END),
          SUM(CASE WHEN {signed_w} THEN {COUNTED} ELSE 0 END),
          SUM(CASE WHEN {signed_w} AND {COUNTED} >= 100000 THEN 1 ELSE 0 END),
          SUM(CASE WHEN p.commenced_on BETWEEN %(ws)s AND %(we)s THEN 1 ELSE 0 END),
          SUM(CASE WHEN p.agreed_start_on BETWEEN %(ws)s AND %(we)s AND p.signed_on IS NOT NULL
                    AND (p.commenced_on IS NULL OR p.commenced_on > p.agreed_start_on) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {signed_p} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {signed_p} THEN {COUNTED} ELSE 0 END)
        FROM projects_project p
        WHERE p.is_deleted = %(no)s AND p.review_status = 'recognised' AND p.stage <> 'withdrawn'{_held("p")}
          AND p.introducing_unit_id IN {units}
          AND ({signed_w} OR p.commenced_on BETWEEN %(ws)s AND %(we)s
               OR p.agreed_start_on BETWEEN %(ws)s AND %(we)s)
        GROUP BY p.introducing_unit_id
        """,
        params,
    )
    for unit, s100m, amount, s1b, commenced, overdue, lb_count, lb_amount in rows:
        for code, value in (
            ("signed_projects_100m", s100m),
            ("signed_amount_wan", amount),
            ("signed_projects_1b", s1b),
            ("commenced_projects", commenced),
            ("overdue_start_projects", overdue),
            ("leaderboard:signed_projects", lb_count),
            ("leaderboard:signed_amount_wan", lb_amount),
        ):
            _add(out, unit, code, value)

    for unit, amount in _run(
        f"""
        SELECT p.introducing_unit_id, SUM(COALESCE(f.recognised_amount_wan, f.amount_wan))
        FROM projects_fundsrecord f JOIN projects_project p ON p.id = f.project_id
        WHERE f.is_deleted = %(no)s AND f.review_status = 'recognised' AND f.month BETWEEN %(ws)s AND %(we)s
          AND p.is_deleted = %(no)s AND p.stage <> 'withdrawn'{_held("p")} AND p.introducing_unit_id IN {units}
        GROUP BY p.introducing_unit_id
        """,
        params,
    ):
        _add(out, unit, "funds_wan", amount)

    for unit, leads, valuable in _run(
        f"""
        SELECT l.unit_id, COUNT(*), SUM(CASE WHEN l.is_valuable = %(yes)s THEN 1 ELSE 0 END)
        FROM leads_lead l
        WHERE l.is_deleted = %(no)s AND l.review_status = 'recognised'
          AND l.reported_on BETWEEN %(ws)s AND %(we)s AND l.unit_id IN {units}
        GROUP BY l.unit_id
        """,
        params,
    ):
        _add(out, unit, "leads", leads)
        _add(out, unit, "valuable_leads", valuable)

    in_window = "a.started_on BETWEEN %(ws)s AND %(we)s"
    overlap = (
        "a.started_on <= %(we)s AND (a.ended_on >= %(ws)s OR (a.ended_on IS NULL AND a.started_on >= %(ws)s))"
    )
    first = f"{d['greatest']}(a.started_on, %(ws)s)"
    last = f"{d['least']}(COALESCE(a.ended_on, a.started_on), %(we)s)"
    days = d["days"].format(a=last, b=first)
    measures = f"""
          CASE WHEN a.kind = 'trip' AND {in_window} THEN 1 ELSE 0 END AS trips,
          CASE WHEN a.kind = 'trip' AND {overlap} THEN {days} + 1 ELSE 0 END AS days,
          CASE WHEN a.kind = 'visit' AND {in_window} THEN a.enterprise_count ELSE 0 END AS visits,
          CASE WHEN a.kind = 'inspection' AND {in_window} THEN a.batches ELSE 0 END AS inspections
    """
    alive = (
        "a.is_deleted = %(no)s AND a.review_status = 'recognised' AND a.started_on <= %(we)s "
        "AND (a.started_on >= %(ws)s OR (a.kind = 'trip' AND a.ended_on >= %(ws)s))"
    )
    for unit, trips, days_away, visits, inspections in _run(
        f"""
        SELECT t.unit_id, SUM(t.trips), SUM(t.days), SUM(t.visits), SUM(t.inspections) FROM (
          SELECT a.unit_id AS unit_id, {measures}
          FROM activities_activity a WHERE {alive} AND a.unit_id IN {units}
          UNION ALL
          SELECT pu.unit_id AS unit_id, {measures}
          FROM activities_activity a JOIN activities_activity_partner_units pu ON pu.activity_id = a.id
          WHERE {alive} AND pu.unit_id IN {units}
        ) t GROUP BY t.unit_id
        """,
        params,
    ):
        _add(out, unit, "trips", trips)
        _add(out, unit, "days_away", days_away)
        _add(out, unit, "visits", visits)
        _add(out, unit, "inspections", inspections)

    for unit, falsified, vetoes in _run(
        f"""
        SELECT f.unit_id, SUM(CASE WHEN f.kind = 'falsified' THEN 1 ELSE 0 END),
               SUM(CASE WHEN f.kind = 'veto' THEN 1 ELSE 0 END)
        FROM assessment_finding f
        WHERE f.is_deleted = %(no)s AND f.found_on BETWEEN %(ws)s AND %(we)s AND f.unit_id IN {units}
        GROUP BY f.unit_id
        """,
        params,
    ):
        _add(out, unit, "falsified_projects", falsified)
        _add(out, unit, "veto_findings", vetoes)

    codes_sql = ", ".join(f"'{c}'" for c in codes if c.isidentifier())
    for unit, code, value in _run(
        f"""
        SELECT t.unit_id, t.indicator, t.value FROM targets_target t
        WHERE t.year = %(year)s AND t.campaign_id IS NULL AND t.indicator IN ({codes_sql})
          AND t.unit_id IN {units}
        """,
        params,
    ):
        _add(out, unit, f"target:{code}", value)
    return out


def region_aggregates(
    *,
    root_path: str,
    children: list[tuple[int, str]],
    window: tuple[date, date],
    period: tuple[date, date],
    year: int,
    codes: list[str],
) -> dict:
    """The county/city ranking: each child region of the root over its whole subtree, a record
    counting where the project lands."""
    params = {
        "ws": window[0],
        "we": window[1],
        "ps": period[0],
        "pe": period[1],
        "no": False,
        "root": f"{root_path}%",
        "year": year,
    }
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    lengths = {len(path) for _pk, path in children}
    by_path = {path: pk for pk, path in children}
    signed_w = "p.signed_on BETWEEN %(ws)s AND %(we)s"
    signed_p = "p.signed_on BETWEEN %(ps)s AND %(pe)s"
    for length in lengths:
        rows = _run(
            f"""
            SELECT SUBSTR(r.path, 1, {length}) AS child,
              SUM(CASE WHEN {signed_w} AND {COUNTED} >= 10000 THEN 1 ELSE 0 END),
              SUM(CASE WHEN p.commenced_on BETWEEN %(ws)s AND %(we)s THEN 1 ELSE 0 END),
              SUM(CASE WHEN {signed_w} AND {COUNTED} >= 100000 THEN 1 ELSE 0 END),
              SUM(CASE WHEN {signed_p} THEN 1 ELSE 0 END),
              SUM(CASE WHEN {signed_p} THEN {COUNTED} ELSE 0 END)
            FROM projects_project p JOIN organisation_region r ON r.id = p.region_id
            WHERE p.is_deleted = %(no)s AND p.review_status = 'recognised' AND p.stage <> 'withdrawn'{_held("p")}
              AND r.path LIKE %(root)s
              AND ({signed_w} OR p.commenced_on BETWEEN %(ws)s AND %(we)s)
            GROUP BY SUBSTR(r.path, 1, {length})
            """,
            params,
        )
        for child, s100m, commenced, s1b, lb_count, lb_amount in rows:
            if child not in by_path:
                continue
            pk = by_path[child]
            _add(out, pk, "signed_projects_100m", s100m)
            _add(out, pk, "commenced_projects", commenced)
            _add(out, pk, "signed_projects_1b", s1b)
            _add(out, pk, "leaderboard:signed_projects", lb_count)
            _add(out, pk, "leaderboard:signed_amount_wan", lb_amount)
        for child, amount in _run(
            f"""
            SELECT SUBSTR(r.path, 1, {length}), SUM(COALESCE(f.recognised_amount_wan, f.amount_wan))
            FROM projects_fundsrecord f JOIN projects_project p ON p.id = f.project_id
              JOIN organisation_region r ON r.id = p.region_id
            WHERE f.is_deleted = %(no)s AND f.review_status = 'recognised' AND f.month BETWEEN %(ws)s AND %(we)s
              AND p.is_deleted = %(no)s AND p.stage <> 'withdrawn'{_held("p")} AND r.path LIKE %(root)s
            GROUP BY SUBSTR(r.path, 1, {length})
            """,
            params,
        ):
            if child in by_path:
                _add(out, by_path[child], "funds_wan", amount)
    ids = ", ".join(str(int(pk)) for pk, _path in children) or "NULL"
    codes_sql = ", ".join(f"'{c}'" for c in codes if c.isidentifier())
    for region, code, value in _run(
        f"""
        SELECT t.region_id, t.indicator, t.value FROM targets_target t
        WHERE t.year = %(year)s AND t.campaign_id IS NULL AND t.unit_id IS NULL
          AND t.indicator IN ({codes_sql}) AND t.region_id IN ({ids})
        """,
        params,
    ):
        _add(out, region, f"target:{code}", value)
    return out
