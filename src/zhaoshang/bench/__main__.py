"""``python -m zhaoshang.bench [--scale province|city] [--quick] [--db FILE] [--out FILE] …``

The database is chosen before Django starts (settings read ``DATABASE_URL`` once): PostgreSQL when
``DATABASE_URL`` points there, else a separate SQLite file under ``var/bench/``.
"""

import argparse
import os
import sys
from pathlib import Path


def var_dir() -> Path:
    """``var/`` as the settings compute it (``ZHAOSHANG_VAR``, else the checkout's ``var/``)."""
    if os.environ.get("ZHAOSHANG_VAR"):
        return Path(os.environ["ZHAOSHANG_VAR"])
    home = os.environ.get("ZHAOSHANG_HOME") or Path(__file__).resolve().parents[3]
    return Path(home).resolve() / "var"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m zhaoshang.bench",
        description="性能基准:在单独的基准数据库上生成合成数据并计时,结果写入 var/bench/results.json。",
    )
    parser.add_argument(
        "--scale",
        choices=("province", "city", "test"),
        default="province",
        help="数据规模:province(默认)、city;test 为极小规模,仅用于测试基准程序本身",
    )
    parser.add_argument("--quick", action="store_true", help="快速冒烟运行:等同 --scale city")
    parser.add_argument(
        "--db", help="SQLite 数据库文件(默认 var/bench/bench.sqlite3,市级规模为 bench-city.sqlite3)"
    )
    parser.add_argument("--out", help="结果文件(默认 var/bench/results.json)")
    parser.add_argument("--seed", type=int, default=0, help="合成数据的随机数种子(默认0)")
    parser.add_argument("--runs", type=int, default=None, help="驾驶舱计时次数(默认省级15次、其他5次)")
    parser.add_argument("--only", help="只运行这些基准(逗号分隔的名称前缀,如 dashboard,assessment)")
    args = parser.parse_args(argv)
    if args.quick:
        args.scale = "city" if args.scale == "province" else args.scale
    return args


def configure_database(args: argparse.Namespace) -> str:
    """Set ``DATABASE_URL`` for this process (and the export worker it starts); returns a label."""
    url = os.environ.get("DATABASE_URL", "")
    if args.db:
        path = Path(args.db).resolve()
    elif url.startswith(("postgres://", "postgresql://", "pgsql://", "postgis://")):
        return "postgresql"
    else:
        name = "bench.sqlite3" if args.scale == "province" else f"bench-{args.scale}.sqlite3"
        path = var_dir() / "bench" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return str(path)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.db_label = configure_database(args)
    # Production-like timing: no query log, no debug toolbar machinery.
    os.environ.setdefault("ZHAOSHANG_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    import django

    django.setup()
    from zhaoshang.bench.harness import run

    return run(args, out=Path(args.out) if args.out else var_dir() / "bench" / "results.json")


if __name__ == "__main__":
    sys.exit(main())
