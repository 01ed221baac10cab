"""Benchmarks (SPEC §5 "Benchmarks"): ``make bench`` = ``python -m zhaoshang.bench``.

Which database
    By default a separate SQLite file, ``var/bench/bench.sqlite3`` (``var/bench/bench-city.sqlite3``
    for ``--scale city`` / ``--quick``), never the development database; ``--db FILE`` names another
    SQLite file. When ``DATABASE_URL`` points at PostgreSQL the bench uses *that* database: it
    migrates it, loads the synthetic scale into it when missing (``zhaoshang demo --scale …``, which
    is idempotent), creates the year's default assessment schemes for the synthetic root when
    missing, and writes audit rows for the export it times (the rolled-back import leaves nothing; the committed ones are deleted afterwards).
    Point it at a scratch database.

What is measured (``var/bench/results.json``; a list of ``{"name", "value", "unit", "target",
"scale", "database", "machine"}`` objects, plus ``better`` and ``passed``):

``assessment_s``
    Seconds to compute the full assessment of every unit of the synthetic tree for the last
    complete month: ``zhaoshang.assessment.services.assessment_compute`` for each scheme of the
    year whose region is the root (the two assessment groups' schemes and the county/city ranking),
    read only. Without the assessment app, the metrics engine's ``measure_by_unit`` over the
    default scheme's indicators (the ``note`` says which was used).
``assessment_vs_raw_sql``
    ``assessment_s`` ÷ the fair floor: the same aggregates written by hand as the best single-pass
    SQL (one grouped full-scan query per base table, all units at once, ``NOT INDEXED`` on SQLite:
    ``zhaoshang.bench.rawsql.floor_aggregates``), measured on the same database in the same run and
    printed; lower is better (target ≤ 1). The hand-written figures are checked against the
    assessment's.
``dashboard_p50_ms``
    Median server time of ``dashboard_data`` (the cockpit, year to date, recognised basis) for the
    synthetic root's bureau account, over ``--runs`` runs after one warm-up.
``import_10k_s`` / ``import_vs_django_import_export``
    A 10 000-row project workbook (new projects of existing units and investors) through
    ``exchange.services.import_file`` with full validation, rolled back afterwards; and
    django-import-export's time on the same file (a ``ModelResource`` for ``Project`` with the same
    columns, natural key 项目名称 + 引进单位, ``clean_model_instances``) ÷ ours. Skipped when
    django-import-export is not installed.
``import_10k_commit_s`` / ``dashboard_after_import_s`` / ``assessment_after_import_s``
    What a user waits for around a committed import: the 10 000-row import committed, the monthly
    summary's upkeep included (the note says how many marks it left: none); the first cockpit
    right after it (cold) and the next (``…_warm_s``); then a 2 000-row import and the first and
    second assessment after it.
``delete_imported_s``
    No target: the projects of those two imports deleted again, committed with the summary's
    upkeep (what a bureau waits for when it deletes an import made by mistake).
``summary_build_s``
    The first build of the monthly summary from the records (``rollup.rebuild``, what ``migrate``
    runs on a database without one), rolled back.
``export_100k_s`` / ``export_100k_peak_mb``
    ``exchange.services.export_file`` of 100 000 projects to .xlsx, in a child process
    (``zhaoshang.bench.export_worker``): its own timing, and its peak resident memory
    (``VmHWM``, which includes the interpreter and Django).
``bulletin_docx_s``
    ``zhaoshang report bulletin --format docx`` for the root region, last complete month.
``cpu_reference_s``
    No target: a fixed pure-Python loop timed at the start of the run (the note has the end), so
    that a slow spell of a shared host can be told from a slower release.

Anything not available yet is reported as skipped (未实现/跳过) with the reason and left out of
the JSON file.
"""
