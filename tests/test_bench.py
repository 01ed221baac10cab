"""The benchmark harness (``make bench``) end to end on a tiny tree: it builds its own SQLite
database (never the test or development one), runs every case and writes the SPEC §5 JSON file."""

import json
import os
import subprocess
import sys

import pytest

from zhaoshang.bench import __main__ as bench_main

KEYS = {"name", "value", "unit", "target", "scale", "database", "machine"}
NAMES = {
    "assessment_s",
    "assessment_vs_raw_sql",
    "dashboard_p50_ms",
    "import_10k_s",
    "import_vs_django_import_export",
    "import_10k_commit_s",
    "dashboard_after_import_s",
    "dashboard_after_import_warm_s",
    "assessment_after_import_s",
    "assessment_after_import_warm_s",
    "delete_imported_s",
    "summary_build_s",
    "export_100k_s",
    "export_100k_peak_mb",
    "bulletin_docx_s",
    "cpu_reference_s",
}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ZHAOSHANG_VAR"] = str(workdir / "var")
    completed = subprocess.run(
        [sys.executable, "-m", "zhaoshang.bench", "--scale", "test", "--out", str(workdir / "results.json")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return workdir, completed


def test_runs_and_prints_the_table(bench_run):
    workdir, completed = bench_run
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "名称" in completed.stdout and "目标" in completed.stdout
    assert "dashboard_p50_ms" in completed.stdout
    # Its own database under var/bench/, not the development database.
    assert (workdir / "var" / "bench" / "bench-test.sqlite3").exists()
    assert not (workdir / "var" / "zhaoshang.sqlite3").exists()


def test_writes_the_json_file(bench_run):
    workdir, _completed = bench_run
    records = json.loads((workdir / "results.json").read_text(encoding="utf-8"))
    assert isinstance(records, list) and records
    names = set()
    for record in records:
        assert set(record) >= KEYS, record
        assert record["name"] in NAMES
        assert isinstance(record["value"], int | float)
        assert record["scale"] == "test"
        assert record["database"].startswith("SQLite")
        assert "CPU" in record["machine"]
        assert record["better"] in ("lower", "higher")
        names.add(record["name"])
    # What needs nothing but this codebase's own apps is always measured.
    assert {"assessment_s", "assessment_vs_raw_sql", "dashboard_p50_ms", "cpu_reference_s"} <= names
    reference = next(r for r in records if r["name"] == "cpu_reference_s")
    assert reference["target"] is None and reference["value"] > 0 and "结束时" in reference["note"]
    ratio = next(r for r in records if r["name"] == "assessment_vs_raw_sql")
    assert ratio["target"] == 1 and "核对一致" in ratio["note"] and "全表" in ratio["note"]
    # The committed import, the reads after it and the first build are measured too; the import
    # leaves no marks for a reader to settle.
    after = {
        "import_10k_commit_s",
        "dashboard_after_import_s",
        "assessment_after_import_s",
        "summary_build_s",
    }
    assert after <= names
    commit = next(r for r in records if r["name"] == "import_10k_commit_s")
    assert "待处理标记0个" in commit["note"] and "问题" not in commit["note"], commit["note"]


def test_the_committed_imports_are_removed_afterwards(bench_run):
    import sqlite3

    workdir, completed = bench_run
    assert completed.returncode == 0
    db = sqlite3.connect(workdir / "var" / "bench" / "bench-test.sqlite3")
    left = db.execute(
        "SELECT COUNT(*) FROM projects_project WHERE name LIKE '%(基准导入甲)' OR name LIKE '%(基准导入乙)'"
    ).fetchone()[0]
    marks = db.execute("SELECT COUNT(*) FROM metrics_rollupmark").fetchone()[0]
    db.close()
    assert (left, marks) == (0, 0)


def test_database_choice(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHAOSHANG_VAR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    args = bench_main.parse_args([])
    assert bench_main.configure_database(args) == str(tmp_path / "bench" / "bench.sqlite3")
    assert os.environ["DATABASE_URL"] == f"sqlite:///{tmp_path / 'bench' / 'bench.sqlite3'}"
    args = bench_main.parse_args(["--quick"])
    assert args.scale == "city"
    assert bench_main.configure_database(args).endswith("bench-city.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost/bench")
    assert bench_main.configure_database(bench_main.parse_args([])) == "postgresql"
    assert os.environ["DATABASE_URL"] == "postgres://u@localhost/bench"
