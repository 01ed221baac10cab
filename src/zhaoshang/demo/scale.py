"""Synthetic city- and province-scale deployments, for benchmarks (``zhaoshang demo --scale city|province``).

The district demo (``district.py``) is hand-shaped to reproduce seed 000; these are not. They are
sized like a real city or province and spread plausibly, so that rankings, dashboards, assessments,
imports and exports can be timed on realistic volumes:

============  =========  ==========  ========  =========  ========  ====================================
scale         projects   activities  leads     units      regions   tree
============  =========  ==========  ========  =========  ========  ====================================
province      200 000    2 000 000   500 000   3 045      ~1 400    990000 演示省 › 15 市 › 105 县区 › 乡镇
city          20 000     200 000     50 000    300        ~130      980100 演示市 › 10 县区 › 乡镇
============  =========  ==========  ========  =========  ========  ====================================

plus enterprises, pre-review meetings and verdicts, funds in place (months after a project commences),
targets for every unit, county, city and the root for 2021 … this year, two assessment groups
(``<root>任务单位``, ``<root>产业招商专班``) and two accounts (``<scale>_bureau``, ``<scale>_leader``,
seeing the whole tree). Records run from January 2021 to today; most are recognised (认定), those
of the last two months less so.

The synthetic trees use codes 99xxxx and 98xxxx, which GB/T 2260 does not assign, so they never
collide with a real deployment or with the district demo (421003). Loading is idempotent by
detection: when the root region exists nothing is done.

Speed: the organisation (a few thousand rows) goes through the ORM; the bulk is written with raw
``executemany`` on the Django connection's cursor (``COPY … FROM STDIN`` on PostgreSQL), in batches,
inside one transaction, with
explicit primary keys allocated above the current maximum (so that links between the rows need no
round trip). Every value is one the model's constraints accept (the database checks the check
constraints on insert and the foreign keys at commit). No audit rows: the data is nobody's work.
Afterwards the planner statistics are refreshed (``ANALYZE``; ``VACUUM ANALYZE`` on PostgreSQL), as
after any bulk load.

Deterministic: the same spec, seed and ``today`` give the same rows (but for the timestamps of
the last day's records, kept before the moment of loading).
"""

import bisect
import calendar
import itertools
import math
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from stdnum.cn import uscc

from zhaoshang.activities.models import Activity
from zhaoshang.demo import names
from zhaoshang.demo.district import (
    CHAINS,
    DEMO_PASSWORD,
    LEADING_INDUSTRIES,
    PASSED_OPINIONS,
    PREREVIEW_DEPARTMENTS,
    PROFILE_WEIGHTS,
    SECTORS,
    STRATEGIC,
    TEMPLATES,
    TERMINATION_REASONS,
    WITHDRAWAL_REASONS,
)
from zhaoshang.enterprises.models import Enterprise, Tag
from zhaoshang.leads.models import Lead
from zhaoshang.metrics.numbers import fixed, round_int
from zhaoshang.organisation.choices import IndustryKind, RegionLevel, Role, UnitKind
from zhaoshang.organisation.models import AssessmentGroup, Industry, Region, Unit, User
from zhaoshang.organisation.services import user_create
from zhaoshang.projects.models import FundsRecord, PreReviewMeeting, PreReviewVerdict, Project
from zhaoshang.targets.models import Target

# ---------------------------------------------------------------------------------------------
# Sizes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleSpec:
    """How big a synthetic deployment is. ``cities`` = 0 makes the root itself a city."""

    key: str
    root_code: str
    root_name: str
    cities: int
    counties_per_city: int
    towns_per_county: int
    units_per_county: int
    projects: int
    activities: int
    leads: int
    enterprises: int
    first_year: int = 2021
    # Where this tree's place names start in the name pools: keeps unit names (unique in the
    # database) apart between trees loaded into the same database.
    name_offset: int = 0

    @property
    def counties(self) -> int:
        return max(self.cities, 1) * self.counties_per_city


PROVINCE = ScaleSpec(
    key="province",
    root_code="990000",
    root_name="演示省",
    cities=15,
    counties_per_city=7,
    towns_per_county=12,
    units_per_county=29,
    projects=200_000,
    activities=2_000_000,
    leads=500_000,
    enterprises=60_000,
    name_offset=0,
)
CITY = ScaleSpec(
    key="city",
    root_code="980100",
    root_name="演示市",
    cities=0,
    counties_per_city=10,
    towns_per_county=12,
    units_per_county=30,
    projects=20_000,
    activities=200_000,
    leads=50_000,
    enterprises=6_000,
    name_offset=15,
)
SCALES = {"province": PROVINCE, "city": CITY}

# ---------------------------------------------------------------------------------------------
# Name pools (place names are made up; the tree's codes are unassigned ones)
# ---------------------------------------------------------------------------------------------

CITY_CHARS = "安宁平康泰和顺昌兴隆永嘉华瑞丰盛庆元通达恒远清明新德福吉祥乐怡"
COUNTY_CHARS = "城江山河湖川源阳泉林溪岭"
TOWN_NAMES = (
    "城关镇",
    "城东街道",
    "城西街道",
    "新华镇",
    "永兴镇",
    "太平镇",
    "青山镇",
    "石桥镇",
    "龙泉镇",
    "白沙镇",
    "长乐镇",
    "金山镇",
    "马坪镇",
    "柳林镇",
    "黄岗镇",
    "双河镇",
    "三里镇",
    "杨湾镇",
    "王店镇",
    "高桥镇",
)
DEPARTMENTS = (
    "发改局",
    "经信局",
    "商务局",
    "科技局",
    "住建局",
    "自然资源局",
    "农业农村局",
    "文旅局",
    "财政局",
    "交通运输局",
    "工商联",
    "市场监管局",
    "生态环境局",
    "人社局",
    "卫健局",
    "投资促进中心",
)
RESIDENT_CITIES = ("深圳", "上海", "北京", "杭州", "苏州", "广州")
LEADER_TITLES = ("书记", "县长", "常务副县长", "副县长", "县委常委")
NEGOTIATION_END_REASONS = ("洽谈未果,投资方另行选址", "投资方暂缓投资计划", "项目条件不符合准入要求")
RETURN_REASONS = ("佐证材料不全,请补充合同扫描件", "金额与合同不一致,请核实", "日期填写有误,请核实")
ACTIVITY_OUTCOMES = ("达成初步合作意向", "交换了投资意向", "对方将来我方实地考察", "", "", "")

# What share of the records are of each activity kind, and how each unit kind leans.
ACTIVITY_KINDS = (
    ("visit", 38),
    ("trip", 22),
    ("inspection", 15),
    ("online", 12),
    ("promotion", 9),
    ("signing", 4),
)
UNIT_WEIGHT = {
    UnitKind.TOWN: 1.0,
    UnitKind.PARK: 2.6,
    UnitKind.DEPARTMENT: 0.45,
    UnitKind.TASK_FORCE: 2.0,
    UnitKind.RESIDENT_OFFICE: 1.4,
}
TARGET_CODES = (
    "signed_projects",
    "signed_projects_100m",
    "signed_amount_wan",
    "commenced_projects",
    "funds_wan",
    "leads",
    "valuable_leads",
    "trips",
    "out_of_province_trips",
    "days_away",
    "visits",
    "inspections",
)
MONEY_TARGETS = ("signed_amount_wan", "funds_wan")

BATCH = 20_000

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class ScaleResult:
    spec: ScaleSpec
    skipped: bool = False
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[str] = field(default_factory=list)


def scale_exists(spec: ScaleSpec) -> bool:
    return Region.objects.filter(code=spec.root_code).exists()


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_scale(
    spec: ScaleSpec,
    *,
    seed: int = 0,
    today: date | None = None,
    progress: Callable[[str], None] | None = stderr_progress,
) -> ScaleResult:
    """Load ``spec`` (all or nothing, one transaction); skip when its root region already exists."""
    started = time.monotonic()
    say = progress or (lambda message: None)
    with transaction.atomic():
        # Inside the transaction: on SQLite it holds the write lock from BEGIN (IMMEDIATE mode).
        if scale_exists(spec):
            return ScaleResult(spec=spec, skipped=True)
        builder = ScaleBuilder(spec, seed=seed, today=today or timezone.localdate(), say=say)
        builder.build()
    builder.after_commit()
    result = ScaleResult(
        spec=spec,
        seconds=time.monotonic() - started,
        counts=builder.counts,
        accounts=builder.accounts,
    )
    say(f"[{spec.root_name}] 完成,用时{fixed(result.seconds, 1)}秒")
    return result


# ---------------------------------------------------------------------------------------------
# Raw inserts
# ---------------------------------------------------------------------------------------------


class TableWriter:
    """Batched ``INSERT … VALUES`` for one model's table through the connection's cursor.

    The caller gives values for ``columns`` (attnames, in that order); every other concrete field
    gets its model default, prepared once. An auto primary key left out is the database's to fill.
    """

    def __init__(self, cursor, model: type[models.Model], columns: list[str], label: str, say) -> None:
        self.cursor = cursor
        self.model = model
        self.label = label
        self.say = say
        opts = model._meta
        by_attname = {f.attname: f for f in opts.concrete_fields}
        unknown = [c for c in columns if c not in by_attname]
        if unknown:
            raise ValueError(f"{opts.db_table}: unknown columns {unknown}")
        rest = []
        defaults = []
        for f in opts.concrete_fields:
            if f.attname in columns or (f.primary_key and f.attname not in columns):
                continue
            if not f.has_default() and getattr(f, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                continue  # the database fills it in
            value = f.get_default()
            if value is None and not f.null:
                raise ValueError(f"{opts.db_table}.{f.column}: no value and no default")
            rest.append(f)
            defaults.append(f.get_db_prep_save(value, connection))
        self.defaults = tuple(defaults)
        names = [by_attname[c].column for c in columns] + [f.column for f in rest]
        qn = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(n) for n in names)}) "
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        # PostgreSQL: COPY … FROM STDIN, one stream per batch, instead of one INSERT per row (the
        # driver's executemany sends each row as its own statement: a round trip's worth of work each).
        self.copy_sql = f"COPY {qn(opts.db_table)} ({', '.join(qn(n) for n in names)}) FROM STDIN"
        self.buffer: list[tuple] = []
        self.count = 0
        self.started = time.monotonic()
        self.last_said = self.started
        self.expected = 0

    def next_id(self) -> int:
        """The first primary key above the table's current maximum. Elsewhere than on SQLite (whose
        write lock is already held) the table is locked against other writers until the commit, so
        nobody takes the ids in between; the sequences are moved past them at the end."""
        qn = connection.ops.quote_name
        if connection.vendor == "postgresql":
            self.cursor.execute(f"LOCK TABLE {qn(self.model._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")
        self.cursor.execute(
            f"SELECT MAX({qn(self.model._meta.pk.column)}) FROM {qn(self.model._meta.db_table)}"
        )
        return (self.cursor.fetchone()[0] or 0) + 1

    def add(self, row: tuple) -> None:
        self.buffer.append(row + self.defaults if self.defaults else row)
        if len(self.buffer) >= BATCH:
            self.flush()

    def flush(self, *, report: bool = True) -> None:
        if self.buffer and connection.vendor == "postgresql":
            with self.cursor.cursor.copy(self.copy_sql) as copy:
                for row in self.buffer:
                    copy.write_row(row)
            self.count += len(self.buffer)
            self.buffer.clear()
        elif self.buffer:
            self.cursor.executemany(self.sql, self.buffer)
            self.count += len(self.buffer)
            self.buffer.clear()
        now = time.monotonic()
        if report and now - self.last_said >= 10:
            self.last_said = now
            of = f"/{self.expected:,}" if self.expected else ""
            self.say(f"  {self.label} {self.count:,}{of}  {fixed(now - self.started, 0)}秒")

    def close(self) -> int:
        self.flush(report=False)
        self.say(f"  {self.label} {self.count:,} 条,{fixed(time.monotonic() - self.started, 1)}秒")
        return self.count


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------


@dataclass
class UnitInfo:
    pk: int
    index: int
    kind: str
    region_id: int
    county: int  # index into ScaleBuilder.counties
    weight: float


def _org_code(n: int) -> str | None:
    """The n-th 9-character 组织机构代码 (GB 11714); None when its check character would be "X",
    which the credit-code alphabet does not allow."""
    body = f"{n:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if check == 10:
        return None
    return body + ("0" if check == 11 else str(check))


class ScaleBuilder:
    def __init__(self, spec: ScaleSpec, *, seed: int, today: date, say: Callable[[str], None]) -> None:
        self.spec = spec
        self.rng = random.Random(f"{spec.key}:{seed}")
        self.today = today
        self.say = say
        self.now = timezone.now()
        self.counts: dict[str, int] = {}
        self.accounts: list[str] = []
        self.sqlite = connection.vendor == "sqlite"
        self.first_day = date(spec.first_year, 1, 1)
        self.years = list(range(spec.first_year, today.year + 1))
        self.current_month = today.replace(day=1)
        previous = self.current_month - timedelta(days=1)
        self.recent_from = previous.replace(day=1).toordinal()
        # Day ordinals → the value a date column takes (ISO text on SQLite, a date elsewhere).
        self.day0 = self.first_day.toordinal() - 800
        last = today.toordinal() + 1200
        days = [date.fromordinal(o) for o in range(self.day0, last)]
        self.day_value = [d.isoformat() for d in days] if self.sqlite else days
        self._stamps: dict[int, tuple] = {}
        # Weekdays from 1 January of the first year to today, later years a little busier.
        self.weekdays = [
            o
            for o in range(self.first_day.toordinal(), today.toordinal() + 1)
            if date.fromordinal(o).weekday() < 5
        ]
        weights = [1.0 + 0.08 * (date.fromordinal(o).year - spec.first_year) for o in self.weekdays]
        self.weekday_cum = list(itertools.accumulate(weights))
        self.elapsed_share = today.timetuple().tm_yday / (366 if calendar.isleap(today.year) else 365)
        # Per unit and year accumulators, for targets that fit the data.
        self.actual: dict[str, list[float]] = {}

    # ------------------------------------------------------------------ helpers

    def d(self, ordinal: int):
        return self.day_value[ordinal - self.day0]

    def stamps(self, ordinal: int) -> tuple:
        """(created_at, submitted_at, recognised_at) for a record dated ``ordinal``, in the past."""
        found = self._stamps.get(ordinal)
        if found is None:
            day = date.fromordinal(min(ordinal, self.today.toordinal()))
            tz = timezone.get_current_timezone()
            created = timezone.make_aware(datetime.combine(day, dtime(9, 30)), tz)
            submitted = created + timedelta(days=1, hours=2)
            recognised = submitted + timedelta(days=3, hours=5)
            ceiling = self.now - timedelta(hours=1)
            adapt = connection.ops.adapt_datetimefield_value
            found = tuple(adapt(min(t, ceiling)) for t in (created, submitted, recognised))
            self._stamps[ordinal] = found
        return found

    def review(self, ordinal: int) -> tuple:
        """The columns of ``Reported``: review_status, submitted_at, recognised_at, recognised_by_id,
        return_reason, created_by_id, is_deleted, created_at, updated_at, version."""
        created, submitted, recognised = self.stamps(ordinal)
        r = self.rng.random()
        cut = (0.55, 0.85, 0.95) if ordinal >= self.recent_from else (0.97, 0.985, 0.993)
        if r < cut[0]:
            return (
                "recognised",
                submitted,
                recognised,
                self.bureau_id,
                "",
                None,
                False,
                created,
                recognised,
                3,
            )
        if r < cut[1]:
            return ("submitted", submitted, None, None, "", None, False, created, submitted, 2)
        if r < cut[2]:
            return ("draft", None, None, None, "", None, False, created, created, 1)
        reason = RETURN_REASONS[int(r * 1000) % len(RETURN_REASONS)]
        return ("returned", submitted, None, None, reason, None, False, created, recognised, 3)

    REVIEW_COLUMNS = [
        "review_status",
        "submitted_at",
        "recognised_at",
        "recognised_by_id",
        "return_reason",
        "created_by_id",
        "is_deleted",
        "created_at",
        "updated_at",
        "version",
    ]

    def writer(self, model, columns: list[str], label: str, expected: int = 0) -> TableWriter:
        w = TableWriter(self.cursor, model, columns, label, self.say)
        w.expected = expected
        return w

    def weekday(self, lo: int | None = None, hi: int | None = None) -> int:
        """A weekday ordinal, weighted towards later years; within [lo, hi] when given."""
        if lo is None and hi is None:
            return self.rng.choices(self.weekdays, cum_weights=self.weekday_cum)[0]
        lo = self.weekdays[0] if lo is None else lo
        hi = self.weekdays[-1] if hi is None else hi
        a = bisect.bisect_left(self.weekdays, lo)
        b = bisect.bisect_right(self.weekdays, hi)
        if a >= b:
            return max(lo, min(hi, self.weekdays[-1]))
        return self.weekdays[a + int(self.rng.random() * (b - a))]

    # ------------------------------------------------------------------ orchestration

    def build(self) -> None:
        spec = self.spec
        self.say(
            f"[{spec.root_name}] 生成{spec.key}规模合成数据:项目{spec.projects:,}个、招商活动{spec.activities:,}次、"
            f"招商信息{spec.leads:,}条、任务单位约{spec.counties * spec.units_per_county:,}个"
        )
        if self.sqlite:
            with connection.cursor() as c:
                # A big page cache for the duration of the load (this connection only).
                c.execute("PRAGMA cache_size = -1048576")
        self.build_organisation()
        self.build_accounts()
        from zhaoshang.metrics import rollup

        with connection.cursor() as cursor:
            # The summary's triggers would mark every one of millions of rows; off for the load (in
            # its transaction), and the summary built once at the end.
            for sql in rollup.drop_trigger_sql(connection.vendor):
                cursor.execute(sql)
            self.cursor = cursor
            for code in TARGET_CODES:
                self.actual[code] = [0.0] * (len(self.units) * len(self.years))
            self.build_enterprises()
            self.build_projects()
            self.build_leads()
            self.build_activities()
            self.build_targets()
            if not self.sqlite:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(),
                    [
                        Enterprise,
                        Project,
                        PreReviewMeeting,
                        FundsRecord,
                        Lead,
                        Activity,
                        Target,
                        Enterprise.tags.through,
                        Project.helper_units.through,
                        PreReviewVerdict,
                        Activity.partner_units.through,
                        Activity.enterprises.through,
                        Activity.signed_projects.through,
                    ],
                ):
                    cursor.execute(sql)
            for sql in rollup.trigger_sql(connection.vendor):
                cursor.execute(sql)
        started = time.monotonic()
        rows = rollup.rebuild()
        self.say(f"  月度汇总 {rows:,} 行,{fixed(time.monotonic() - started, 1)}秒")

    def after_commit(self) -> None:
        """Refresh the planner's statistics, as after any bulk load; on SQLite fold the WAL back.
        Not when the load ran inside a caller's transaction (tests): nothing is committed yet."""
        if connection.in_atomic_block:
            return
        started = time.monotonic()
        with connection.cursor() as c:
            if self.sqlite:
                # A full ANALYZE (seconds, even at province scale): with sampled statistics
                # (analysis_limit) SQLite picks low-selectivity indexes such as review_status.
                c.execute("ANALYZE")
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                # VACUUM too: it sets the visibility map of the freshly written pages, without which
                # the summary's covering index (metrics_mf_read) cannot serve index-only scans until
                # autovacuum happens to pass; ANALYZE with it gives the planner its statistics.
                c.execute("VACUUM ANALYZE")
        self.say(f"  统计信息(ANALYZE) {fixed(time.monotonic() - started, 1)}秒")

    # ------------------------------------------------------------------ organisation

    def build_organisation(self) -> None:
        spec, rng = self.spec, self.rng
        started = time.monotonic()
        root_is_city = spec.cities == 0
        root = Region(
            code=spec.root_code,
            name=spec.root_name,
            level=RegionLevel.CITY if root_is_city else RegionLevel.PROVINCE,
            parent=None,
        )
        root.save()
        self.root = root
        regions: list[Region] = []
        city_regions: list[tuple[Region, int]] = []
        if root_is_city:
            city_regions.append((root, spec.name_offset))
        else:
            for i in range(1, spec.cities + 1):
                char = CITY_CHARS[(spec.name_offset + i - 1) % len(CITY_CHARS)]
                code = f"{spec.root_code[:2]}{i:02d}00"
                city = Region(code=code, name=f"{char}州市", level=RegionLevel.CITY, parent=root)
                city.path = f"{root.path}{code}/"
                regions.append(city)
                city_regions.append((city, spec.name_offset + i - 1))
        Region.objects.bulk_create(regions)
        counties: list[Region] = []
        for city, name_index in city_regions:
            char = CITY_CHARS[name_index % len(CITY_CHARS)]
            for j in range(1, spec.counties_per_city + 1):
                code = f"{city.code[:4]}{j:02d}"
                suffix = "区" if j == 1 else "县"
                county = Region(
                    code=code,
                    name=f"{char}{COUNTY_CHARS[(j - 1) % len(COUNTY_CHARS)]}{suffix}",
                    level=RegionLevel.COUNTY,
                    parent=city,
                    # The city's first 区 is its central urban area (中心城区, seed 004).
                    is_central_urban=j == 1,
                )
                county.path = f"{city.path}{code}/"
                counties.append(county)
        Region.objects.bulk_create(counties)
        towns: list[Region] = []
        for county in counties:
            for k in range(1, spec.towns_per_county + 1):
                code = f"{county.code}{k:03d}"
                town = Region(
                    code=code,
                    name=TOWN_NAMES[(k - 1) % len(TOWN_NAMES)],
                    level=RegionLevel.TOWN,
                    parent=county,
                )
                town.path = f"{county.path}{code}/"
                towns.append(town)
        Region.objects.bulk_create(towns)
        self.counties = counties
        self.city_of_county = [c.parent for c in counties]
        self.counts["regions"] = 1 + len(regions) + len(counties) + len(towns)

        task_units, _ = AssessmentGroup.objects.get_or_create(
            name=f"{spec.root_name}任务单位", defaults={"order": 11}
        )
        forces, _ = AssessmentGroup.objects.get_or_create(
            name=f"{spec.root_name}产业招商专班", defaults={"order": 12}
        )
        self.groups = (task_units, forces)

        specs: list[tuple[str, str, str, Region, int, str]] = []
        towns_by_county = [
            towns[i * spec.towns_per_county : (i + 1) * spec.towns_per_county] for i in range(len(counties))
        ]
        for index, county in enumerate(counties):
            for kind, name, short, region in self.county_plan(county, towns_by_county[index]):
                leader = names.person(rng) if kind == UnitKind.TASK_FORCE else ""
                specs.append((name, short, kind, region, index, leader))
        taken = set(Unit.objects.filter(name__in=[s[0] for s in specs]).values_list("name", flat=True))
        if taken:
            raise ValueError(f"单位名称已存在:{'、'.join(sorted(taken)[:5])}")
        units = [
            Unit(
                name=name,
                short_name=short,
                kind=kind,
                assessment_group=forces
                if kind in (UnitKind.TASK_FORCE, UnitKind.RESIDENT_OFFICE)
                else task_units,
                region=region,
                order=order,
                chain_leader=leader,
            )
            for order, (name, short, kind, region, _county, leader) in enumerate(specs, start=1)
        ]
        Unit.objects.bulk_create(units)
        if not units[0].pk:  # backends that do not return ids from bulk inserts
            by_name = dict(Unit.objects.filter(name__in=[u.name for u in units]).values_list("name", "pk"))
            for u in units:
                u.pk = by_name[u.name]
        self.units = [
            UnitInfo(
                pk=u.pk,
                index=i,
                kind=u.kind,
                region_id=u.region.pk,
                county=specs[i][4],
                weight=UNIT_WEIGHT[u.kind] * rng.lognormvariate(0, 0.45),
            )
            for i, u in enumerate(units)
        ]
        self.units_by_county: list[list[UnitInfo]] = [[] for _ in counties]
        for info in self.units:
            self.units_by_county[info.county].append(info)
        self.counts["units"] = len(units)

        self.industries()
        Tag.objects.bulk_create(
            [Tag(code=code) for code in ("listed", "high_tech", "specialised", "soe")], ignore_conflicts=True
        )
        self.say(
            f"  区划{self.counts['regions']:,}个、任务单位{len(units):,}个,{fixed(time.monotonic() - started, 1)}秒"
        )

    def county_plan(self, county: Region, towns: list[Region]) -> Iterable[tuple[str, str, str, Region]]:
        """The units of one county: its towns, a development zone, industry task forces, a resident
        office and departments, ``units_per_county`` in all."""
        n = self.spec.units_per_county
        town_count = min(len(towns), n)
        for town in towns[:town_count]:
            yield (
                UnitKind.TOWN,
                f"{county.name}{town.name}",
                town.name.removesuffix("街道").removesuffix("镇"),
                town,
            )
        rest = n - town_count
        if rest <= 0:
            return
        yield UnitKind.PARK, f"{county.name}经济开发区", "开发区", county
        forces = min(len(LEADING_INDUSTRIES), round_int((rest - 1) * 0.3))
        office = 1 if rest - 1 - forces >= 3 else 0
        for industry in LEADING_INDUSTRIES[:forces]:
            yield UnitKind.TASK_FORCE, f"{county.name}{industry}产业招商专班", f"{industry}专班", county
        if office:
            city = RESIDENT_CITIES[len(county.name) % len(RESIDENT_CITIES)]
            yield UnitKind.RESIDENT_OFFICE, f"{county.name}驻{city}招商组", f"驻{city}招商组", county
        for k in range(rest - 1 - forces - office):
            dept = DEPARTMENTS[k % len(DEPARTMENTS)]
            if k >= len(DEPARTMENTS):
                dept = f"{dept}{k // len(DEPARTMENTS) + 1}"
            yield UnitKind.DEPARTMENT, f"{county.name}{dept}", dept, county

    def industries(self) -> None:
        def industry(kind: str, name: str, code: str = "", parent=None, order: int = 0) -> Industry:
            obj, _ = Industry.objects.get_or_create(
                kind=kind, name=name, defaults={"code": code, "parent": parent, "order": order}
            )
            return obj

        leading = {
            n: industry(IndustryKind.LEADING, n, f"L{i}", order=i)
            for i, n in enumerate(LEADING_INDUSTRIES, start=1)
        }
        chains = {
            n: industry(IndustryKind.CHAIN, n, f"C{i:02d}", leading.get(parent), i)
            for i, (n, parent) in enumerate(CHAINS, start=1)
        }
        strategic = {n: industry(IndustryKind.STRATEGIC, n, code, order=int(code)) for code, n in STRATEGIC}
        sectors: dict[str, Industry] = {}
        for i, (code, n, parent) in enumerate(SECTORS, start=1):
            sectors[code] = industry(IndustryKind.SECTOR, n, code, sectors.get(parent) if parent else None, i)
        # Project templates, flattened: (stem, leading id, chain id, strategic id, sector, suffix, flags).
        self.templates = []
        weights = []
        for profile, templates in TEMPLATES.items():
            for stem, lead, chain, strat, sector, suffix in templates:
                self.templates.append(
                    (
                        stem,
                        leading[lead].pk if lead else None,
                        chains[chain].pk if chain else None,
                        strategic[strat].pk if strat else None,
                        str(sector),
                        suffix,
                        profile,
                    )
                )
                weights.append(PROFILE_WEIGHTS[profile] / len(templates))
        self.template_cum = list(itertools.accumulate(weights))
        self.leading_ids = [leading[n].pk for n in LEADING_INDUSTRIES]
        self.suffixes = sorted({t[5] for t in self.templates})

    def build_accounts(self) -> None:
        for username, role, full_name in (
            (f"{self.spec.key}_bureau", Role.BUREAU, "周文静"),
            (f"{self.spec.key}_leader", Role.LEADER, "陈国华"),
        ):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    role=role,
                    password=DEMO_PASSWORD,
                    region=self.root,
                    full_name=full_name,
                    must_change_password=False,
                )
            self.accounts.append(username)
            if role == Role.BUREAU:
                self.bureau_id = user.pk

    # ------------------------------------------------------------------ enterprises

    def build_enterprises(self) -> None:
        spec, rng = self.spec, self.rng
        w = self.writer(
            Enterprise,
            [
                "id",
                "name",
                "credit_code",
                "location",
                "stock_code",
                "note",
                "is_deleted",
                "created_at",
                "updated_at",
                "version",
            ],
            "企业",
            spec.enterprises,
        )
        tags = self.writer(Enterprise.tags.through, ["enterprise_id", "tag_id"], "企业标签")
        first = w.next_id()
        places = names.INVESTOR_PLACES
        county_codes = [c.code for c in self.counties]
        seen: set[str] = set()
        self.enterprise_ids: list[int] = []
        self.enterprise_names: list[str] = []
        self.enterprise_brands: list[str] = []
        self.enterprise_codes: list[str] = []
        serial = int(spec.root_code[:2]) * 1_000_000
        created = self.stamps(self.first_day.toordinal())[0]
        for i in range(spec.enterprises):
            pk = first + i
            local = rng.random() < 0.3
            if local:
                prefix, location = "", f"{spec.root_name}"
                region_code = county_codes[int(rng.random() * len(county_codes))]
            else:
                prefix, region_code, _in_hubei, _in_city = places[int(rng.random() * len(places))]
                location = names.PLACE_LOCATIONS[prefix]
            listed = rng.random() < 0.03
            form = "股份有限公司" if listed or rng.random() < 0.1 else "有限公司"
            for attempt in range(50):
                brand = names.brand(rng)
                suffix = self.suffixes[int(rng.random() * len(self.suffixes))]
                name = f"{prefix}{brand}{suffix}{form}"
                if name not in seen:
                    break
                if attempt == 49:  # pools exhausted (huge scales): a numbered name, still unique
                    name = f"{prefix}{brand}{suffix}{pk}号{form}"
            seen.add(name)
            org = None
            while org is None:
                serial += 1
                org = _org_code(serial)
            body = f"91{region_code}{org}"
            code = body + uscc.calc_check_digit(body)
            stock = (rng.choice(("60", "00", "30")) + f"{rng.randrange(10000):04d}") if listed else ""
            w.add((pk, name, code, location, stock, "", False, created, created, 1))
            if listed:
                tags.add((pk, "listed"))
            if rng.random() < 0.12:
                tags.add((pk, "high_tech"))
            if rng.random() < 0.06:
                tags.add((pk, "specialised"))
            self.enterprise_ids.append(pk)
            self.enterprise_names.append(name)
            self.enterprise_brands.append(brand)
            self.enterprise_codes.append(code)
        self.counts["enterprises"] = w.close()
        tags.close()

    def enterprise(self) -> int:
        return int(self.rng.random() * len(self.enterprise_ids))

    # ------------------------------------------------------------------ projects

    def pick_units(self, k: int, kind_bias: dict[str, float] | None = None) -> list[UnitInfo]:
        weights = [u.weight * (kind_bias.get(u.kind, 1.0) if kind_bias else 1.0) for u in self.units]
        return self.rng.choices(self.units, cum_weights=list(itertools.accumulate(weights)), k=k)

    def amount(self) -> int:
        """Total investment in 万元: log-normal, median 8 000万元 (about 42% at 1亿元 and more)."""
        value = math.exp(self.rng.gauss(math.log(8000), 1.1))
        value = min(value, 800_000)
        if value >= 10000:
            return max(10000, round_int(value / 100) * 100)
        return max(100, round_int(value / 10) * 10)

    def build_projects(self) -> None:
        spec, rng = self.spec, self.rng
        columns = [
            "id",
            "name",
            "investor_id",
            "introducing_unit_id",
            "region_id",
            "industry_id",
            "chain_id",
            "strategic_category_id",
            "sector",
            "total_investment_wan",
            "added_investment_wan",
            "foreign_currency",
            "foreign_amount",
            "foreign_usd_wan",
            "kind",
            "land_mode",
            "land_area_mu",
            "is_leading_industry",
            "is_chain",
            "is_industrial",
            "is_manufacturing",
            "is_strategic_emerging",
            "is_private",
            "is_headquarters",
            "city_dispatch",
            "is_major",
            "stage",
            "negotiated_on",
            "prereview_passed_on",
            "signed_on",
            "agreed_start_on",
            "commenced_on",
            "in_production_on",
            "effective_on",
            "ended_on",
            "end_reason",
            "leader_in_charge",
            "service_team",
            "chief_service_officer",
            "note",
            *self.REVIEW_COLUMNS,
        ]
        w = self.writer(Project, columns, "招商项目", spec.projects)
        helpers = self.writer(Project.helper_units.through, ["project_id", "unit_id"], "协助单位")
        meetings = self.writer(
            PreReviewMeeting,
            [
                "id",
                "title",
                "held_on",
                "region_id",
                "departments",
                "minutes",
                "is_deleted",
                "created_at",
                "updated_at",
                "version",
            ],
            "预审会",
        )
        verdicts = self.writer(
            PreReviewVerdict, ["meeting_id", "project_id", "verdict", "opinions"], "预审结论"
        )
        funds = self.writer(
            FundsRecord,
            [
                "project_id",
                "month",
                "amount_wan",
                "outside_province_wan",
                "outside_city_wan",
                "foreign_usd_wan",
                "foreign_cash_usd_wan",
                "recognised_amount_wan",
                *self.REVIEW_COLUMNS,
            ],
            "到位资金",
        )
        first = w.next_id()
        meeting_first = meetings.next_id()
        meeting_ids: dict[tuple[int, int], int] = {}
        meeting_rows: dict[int, list] = {}
        today = self.today.toordinal()
        signing_first = date(spec.first_year, 1, 4).toordinal()
        taken_names: set[tuple[int, str]] = set()
        self.unit_projects: list[list[int]] = [[] for _ in self.units]
        self.unit_signed: list[list[tuple[int, int]]] = [[] for _ in self.units]
        n_years = len(self.years)
        y0 = spec.first_year
        actual = self.actual
        units = self.pick_units(spec.projects)
        templates = rng.choices(self.templates, cum_weights=self.template_cum, k=spec.projects)
        yi = 10000

        def meeting_for(county: int, lo: int, hi: int) -> tuple[int, int] | None:
            """The county's monthly pre-review meeting (on the 15th) latest in [lo, hi]."""
            day = date.fromordinal(hi)
            held = (
                day.replace(day=15)
                if day.day >= 15
                else (day.replace(day=1) - timedelta(days=1)).replace(day=15)
            )
            if held.toordinal() < lo:
                return None
            key = (county, held.toordinal())
            pk = meeting_ids.get(key)
            if pk is None:
                pk = meeting_first + len(meeting_ids)
                meeting_ids[key] = pk
                meeting_rows[pk] = [county, held, 0, 0]
            return pk, held.toordinal()

        for i in range(spec.projects):
            pk = first + i
            unit = units[i]
            stem, lead_id, chain_id, strat_id, sector, _suffix, profile = templates[i]
            investor = self.enterprise()
            name = f"{self.enterprise_brands[investor]}{stem}"
            phase = 1
            while (unit.index, name) in taken_names:
                phase += 1
                name = f"{self.enterprise_brands[investor]}{stem}({phase}期)"
            taken_names.add((unit.index, name))
            total = self.amount()
            r = rng.random()
            kind = (
                "new"
                if r < 0.75
                else "continued"
                if r < 0.85
                else "expansion"
                if r < 0.95
                else "capital_increase"
            )
            added = (
                int(total * rng.uniform(0.2, 0.6) // 10 * 10)
                if kind in ("expansion", "capital_increase")
                else None
            )
            counted = added if added is not None else total
            is_leading, manufacturing, is_chain, strategic = (c != "-" for c in profile)
            industrial = manufacturing or (sector == "secondary")
            foreign = rng.random() < 0.05
            currency, f_amount, f_usd = "", None, None
            if foreign:
                currency = rng.choice(("美元", "港元", "欧元"))
                f_usd = max(1, int(total / 7.1 * rng.uniform(0.2, 1.0)))
                f_amount = {"美元": f_usd, "港元": int(f_usd * 7.8), "欧元": int(f_usd * 0.92)}[currency]
            if industrial:
                r = rng.random()
                land_mode = "acquisition" if r < 0.55 else "leased" if r < 0.95 else "own"
                land = max(5, int(total / rng.uniform(80, 300))) if land_mode == "acquisition" else None
            else:
                land_mode, land = ("", None) if rng.random() < 0.6 else ("own", None)
            major = total >= 50000 and rng.random() < 0.5

            # The lifecycle: 洽谈 → (预审) → 签约 → 开工 → 投产 → 达效, or 终止 / 退库.
            prereview = signed = agreed = commenced = production = effective = ended = None
            end_reason = ""
            if rng.random() < 0.72:
                signed = self.weekday(signing_first, today)
                negotiated = signed - rng.randint(7, 200)
                agreed = signed + rng.randint(60, 240)
                if rng.random() < 0.72:
                    c = signed + rng.randint(20, 330)
                    if c <= today:
                        commenced = c
                        if rng.random() < 0.6:
                            p = c + rng.randint(120, 720)
                            if p <= today:
                                production = p
                                if rng.random() < 0.4:
                                    e = p + rng.randint(180, 540)
                                    effective = e if e <= today else None
                stage = (
                    "effective"
                    if effective
                    else "in_production"
                    if production
                    else "commenced"
                    if commenced
                    else "signed"
                )
                r = rng.random()
                last = max(x for x in (signed, commenced, production, effective) if x)
                if r < 0.03 and last + 30 <= today:
                    stage, ended = "terminated", rng.randint(last + 30, min(today, last + 300))
                    end_reason = TERMINATION_REASONS[int(rng.random() * len(TERMINATION_REASONS))]
                elif r < 0.045 and last + 10 <= today:
                    stage, ended = "withdrawn", rng.randint(last + 10, min(today, last + 200))
                    end_reason = WITHDRAWAL_REASONS[int(rng.random() * len(WITHDRAWAL_REASONS))]
                if rng.random() < 0.45:
                    found = meeting_for(unit.county, negotiated, signed - 1)
                    if found:
                        meeting_pk, prereview = found
                        verdicts.add((meeting_pk, pk, "passed", PASSED_OPINIONS))
                        meeting_rows[meeting_pk][2] += 1
                        meeting_rows[meeting_pk][3] += 1
            else:
                negotiated = self.weekday(signing_first - 120, today)
                stage = "negotiating"
                if rng.random() < 0.35:
                    found = meeting_for(unit.county, negotiated + 7, today)
                    if found:
                        meeting_pk, held = found
                        ok = rng.random() < 0.7
                        verdicts.add(
                            (
                                meeting_pk,
                                pk,
                                "passed" if ok else "failed",
                                PASSED_OPINIONS if ok else "经信:投资强度低于准入标准。",
                            )
                        )
                        meeting_rows[meeting_pk][2] += 1
                        if ok:
                            prereview, stage = held, "prereviewed"
                            meeting_rows[meeting_pk][3] += 1
                if today - negotiated > 365 and rng.random() < 0.5:
                    stage, ended = "terminated", rng.randint(negotiated + 180, today)
                    end_reason = NEGOTIATION_END_REASONS[int(rng.random() * len(NEGOTIATION_END_REASONS))]

            leader = (
                f"{LEADER_TITLES[int(rng.random() * len(LEADER_TITLES))]}{names.person(rng)}" if major else ""
            )
            officer = names.person(rng) if major else ""
            key_day = signed or negotiated
            d = self.d
            w.add(
                (
                    pk,
                    name,
                    self.enterprise_ids[investor],
                    unit.pk,
                    unit.region_id,
                    lead_id,
                    chain_id,
                    strat_id,
                    sector,
                    total,
                    added,
                    currency,
                    f_amount,
                    f_usd,
                    kind,
                    land_mode,
                    land,
                    is_leading,
                    is_chain,
                    industrial,
                    manufacturing,
                    strategic,
                    rng.random() < 0.7,
                    rng.random() < 0.03,
                    total >= 100000 and rng.random() < 0.6,
                    major,
                    stage,
                    d(negotiated),
                    d(prereview) if prereview else None,
                    d(signed) if signed else None,
                    d(agreed) if agreed else None,
                    d(commenced) if commenced else None,
                    d(production) if production else None,
                    d(effective) if effective else None,
                    d(ended) if ended else None,
                    end_reason,
                    leader,
                    "",
                    officer,
                    "",
                    *self.review(key_day),
                )
            )
            self.unit_projects[unit.index].append(pk)
            if major and rng.random() < 0.3:
                partner = self.units_by_county[unit.county][
                    int(rng.random() * len(self.units_by_county[unit.county]))
                ]
                if partner.pk != unit.pk:
                    helpers.add((pk, partner.pk))

            base = unit.index * n_years - y0
            if signed and stage != "withdrawn":
                self.unit_signed[unit.index].append((signed, pk))
                year = date.fromordinal(signed).year
                actual["signed_projects"][base + year] += 1
                actual["signed_amount_wan"][base + year] += counted
                if counted >= yi:
                    actual["signed_projects_100m"][base + year] += 1
            if commenced and stage != "withdrawn":
                actual["commenced_projects"][base + date.fromordinal(commenced).year] += 1
                self.project_funds(funds, pk, unit, total, commenced, production, f_usd, base)

        self.counts["projects"] = w.close()
        helpers.close()
        for pk, (county, held, judged, passed) in meeting_rows.items():
            number = held.month
            stamp = self.stamps(held.toordinal())[0]
            meetings.add(
                (
                    pk,
                    f"{self.counties[county].name}{held.year}年{number}月招商引资项目预审会",
                    held if not self.sqlite else held.isoformat(),
                    self.counties[county].pk,
                    PREREVIEW_DEPARTMENTS,
                    f"会议集中研判招商引资项目{judged}个,通过{passed}个。",
                    False,
                    stamp,
                    stamp,
                    1,
                )
            )
        self.counts["prereview_meetings"] = meetings.close()
        self.counts["prereview_verdicts"] = verdicts.close()
        self.counts["funds"] = funds.close()
        for signed_list in self.unit_signed:
            signed_list.sort()

    def project_funds(self, funds, pk, unit, total, commenced, production, f_usd, base) -> None:
        """Funds in place, month by month from the commencement month, at most ~90% of the total."""
        rng = self.rng
        start = date.fromordinal(commenced).replace(day=1)
        stop_day = date.fromordinal(production) if production else self.today
        months = []
        m = start
        while m <= self.current_month and m <= stop_day and len(months) < 14:
            if rng.random() < 0.55:
                months.append(m)
            m = (m + timedelta(days=32)).replace(day=1)
        if not months:
            return
        budget = total * rng.uniform(0.25, 0.9)
        per = budget / len(months)
        for m in months:
            amount = max(1, int(per * rng.uniform(0.5, 1.5)))
            outside_province = int(amount * rng.uniform(0, 0.8))
            outside_city = outside_province + int((amount - outside_province) * rng.uniform(0, 0.5))
            usd = cash = 0
            if f_usd:
                usd = max(0, int(f_usd / len(months) * rng.uniform(0.5, 1.2)))
                cash = int(usd * rng.uniform(0.3, 1.0))
            # Funds are reported after the month: stamps at the month's end.
            month_end = (m + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            review = self.review(month_end.toordinal())
            recognised = int(amount * 0.8) if review[0] == "recognised" and rng.random() < 0.03 else None
            funds.add(
                (
                    pk,
                    m.isoformat() if self.sqlite else m,
                    amount,
                    outside_province,
                    outside_city,
                    usd,
                    cash,
                    recognised,
                    *review,
                )
            )
            self.actual["funds_wan"][base + m.year] += amount

    # ------------------------------------------------------------------ leads

    def build_leads(self) -> None:
        spec, rng = self.spec, self.rng
        columns = [
            "title",
            "unit_id",
            "reported_on",
            "enterprise_id",
            "industry_id",
            "intended_investment_wan",
            "is_valuable",
            "status",
            "assigned_unit_id",
            "project_id",
            "note",
            *self.REVIEW_COLUMNS,
        ]
        w = self.writer(Lead, columns, "招商信息", spec.leads)
        units = self.pick_units(spec.leads)
        days = rng.choices(self.weekdays, cum_weights=self.weekday_cum, k=spec.leads)
        stems = [t[0].removesuffix("项目") for t in self.templates]
        actual = self.actual
        n_years, y0 = len(self.years), spec.first_year
        lead_amounts: dict = {}
        for i in range(spec.leads):
            unit = units[i]
            day = days[i]
            e = self.enterprise() if rng.random() < 0.6 else None
            stem = stems[int(rng.random() * len(stems))]
            who = self.enterprise_names[e] if e is not None else f"{names.brand(rng)}集团"
            review = self.review(day)
            valuable = None
            status = "collected"
            if review[0] == "recognised":
                valuable = rng.random() < 0.34
                status = (
                    rng.choice(("following", "pushed", "converted", "following"))
                    if valuable
                    else rng.choice(("screened", "closed"))
                )
            elif review[0] == "submitted":
                status = "screened"
            project = None
            if status == "converted" and self.unit_projects[unit.index]:
                own = self.unit_projects[unit.index]
                project = own[int(rng.random() * len(own))]
            assigned = None
            if valuable and rng.random() < 0.15:
                mates = self.units_by_county[unit.county]
                assigned = mates[int(rng.random() * len(mates))].pk
            industry = (
                self.leading_ids[int(rng.random() * len(self.leading_ids))] if rng.random() < 0.6 else None
            )
            amount = self.amount() if rng.random() < 0.8 else None
            # One company's intention keeps its size whoever reports it (as the district demo):
            # within 1.5 times of its first amount, else that amount again, so that no two units
            # report one company at amounts the ``lead_amount_conflict`` check (3 times) would flag.
            if e is not None and amount is not None:
                first = lead_amounts.setdefault(e, amount)
                if not (2 * first <= 3 * amount and 2 * amount <= 3 * first):  # within 1.5 times
                    amount = first
            w.add(
                (
                    f"{who}拟投资{stem}",
                    unit.pk,
                    self.d(day),
                    self.enterprise_ids[e] if e is not None else None,
                    industry,
                    amount,
                    valuable,
                    status,
                    assigned,
                    project,
                    "",
                    *review,
                )
            )
            base = unit.index * n_years - y0
            year = date.fromordinal(day).year
            actual["leads"][base + year] += 1
            if valuable:
                actual["valuable_leads"][base + year] += 1
        self.counts["leads"] = w.close()

    # ------------------------------------------------------------------ activities

    def build_activities(self) -> None:
        spec, rng = self.spec, self.rng
        columns = [
            "id",
            "kind",
            "unit_id",
            "started_on",
            "ended_on",
            "destination",
            "out_of_province",
            "enterprise_count",
            "batches",
            "leaders",
            "outcome",
            "note",
            *self.REVIEW_COLUMNS,
        ]
        w = self.writer(Activity, columns, "招商活动", spec.activities)
        partners = self.writer(Activity.partner_units.through, ["activity_id", "unit_id"], "联合参加单位")
        linked = self.writer(Activity.enterprises.through, ["activity_id", "enterprise_id"], "活动企业")
        signings = self.writer(
            Activity.signed_projects.through, ["activity_id", "project_id"], "集中签约项目"
        )
        first = w.next_id()
        kinds = rng.choices(
            [k for k, _ in ACTIVITY_KINDS],
            cum_weights=list(itertools.accumulate(n for _, n in ACTIVITY_KINDS)),
            k=spec.activities,
        )
        # Task forces and resident offices travel more; towns and parks receive more visitors.
        trips = iter(
            self.pick_units(spec.activities, {UnitKind.TASK_FORCE: 2.5, UnitKind.RESIDENT_OFFICE: 3.0})
        )
        others = iter(self.pick_units(spec.activities, {UnitKind.DEPARTMENT: 0.8}))
        days = rng.choices(self.weekdays, cum_weights=self.weekday_cum, k=spec.activities)
        today = self.today.toordinal()
        actual = self.actual
        n_years, y0 = len(self.years), spec.first_year
        out_places, in_places = names.DESTINATIONS_OUT, names.DESTINATIONS_IN
        d = self.d
        for i in range(spec.activities):
            pk = first + i
            kind = kinds[i]
            unit = next(trips) if kind == "trip" else next(others)
            start = days[i]
            end = None
            destination, out, count, batches, leaders = "", False, 0, 1, ""
            base = unit.index * n_years - y0
            year = date.fromordinal(start).year
            if kind == "trip":
                length = rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5, 7))
                start = min(start, today - length + 1)
                end = start + length - 1
                year = date.fromordinal(start).year
                out = rng.random() < 0.55
                destination = (
                    out_places[int(rng.random() * len(out_places))]
                    if out
                    else in_places[int(rng.random() * len(in_places))]
                )
                count = rng.randint(1, 4)
                if rng.random() < 0.3:
                    leaders = f"{LEADER_TITLES[int(rng.random() * len(LEADER_TITLES))]}{names.person(rng)}"
                actual["trips"][base + year] += 1
                actual["days_away"][base + year] += length
                if out:
                    actual["out_of_province_trips"][base + year] += 1
            elif kind in ("visit", "online"):
                count = rng.choice((1, 1, 1, 2, 2, 3, 4, 5))
                if kind == "visit":
                    actual["visits"][base + year] += count
            elif kind == "inspection":
                batches = rng.choice((1, 1, 1, 2, 3))
                count = batches
                actual["inspections"][base + year] += batches
            elif kind == "signing":
                own = self.unit_signed[unit.index]
                a = bisect.bisect_left(own, (start - 3, 0))
                b = bisect.bisect_right(own, (start + 3, 1 << 62))
                for _signed, project in own[a:b][:5]:
                    signings.add((pk, project))
            w.add(
                (
                    pk,
                    kind,
                    unit.pk,
                    d(start),
                    d(end) if end else None,
                    destination,
                    out,
                    count,
                    batches,
                    leaders,
                    ACTIVITY_OUTCOMES[int(rng.random() * len(ACTIVITY_OUTCOMES))],
                    "",
                    *self.review(end or start),
                )
            )
            if kind in ("visit", "inspection") and rng.random() < 0.12:
                one, two = self.enterprise(), self.enterprise()
                linked.add((pk, self.enterprise_ids[one]))
                if count > 1 and two != one:
                    linked.add((pk, self.enterprise_ids[two]))
            if rng.random() < 0.04:
                mates = self.units_by_county[unit.county]
                partner = mates[int(rng.random() * len(mates))]
                if partner.pk != unit.pk:
                    partners.add((pk, partner.pk))
        self.counts["activities"] = w.close()
        partners.close()
        linked.close()
        signings.close()

    # ------------------------------------------------------------------ targets

    def build_targets(self) -> None:
        """Every unit gets a target for each of ``TARGET_CODES`` each year, close to what it does
        (what it did, ×0.85–1.25; this year's pace extrapolated to the whole year); each county, city
        and the root get the sum of their units' targets."""
        rng = self.rng
        w = self.writer(
            Target,
            [
                "year",
                "campaign_id",
                "unit_id",
                "region_id",
                "indicator",
                "value",
                "created_at",
                "updated_at",
                "version",
            ],
            "目标任务",
        )
        stamp = self.stamps(self.first_day.toordinal())[0]
        n_years = len(self.years)
        region_sums: dict[tuple[int, int, str], int] = {}
        for unit in self.units:
            county = self.counties[unit.county]
            holders = [county.pk, self.city_of_county[unit.county].pk]
            if self.root.pk not in holders:
                holders.append(self.root.pk)
            for y_index, year in enumerate(self.years):
                for code in TARGET_CODES:
                    done = self.actual[code][unit.index * n_years + y_index]
                    if year == self.today.year:
                        done = done / max(self.elapsed_share, 0.05)
                    value = done * rng.uniform(0.85, 1.25)
                    if code in MONEY_TARGETS:
                        value = max(1000, round_int(value / 1000) * 1000)
                    else:
                        value = max(1, round_int(value))
                    w.add((year, None, unit.pk, county.pk, code, value, stamp, stamp, 1))
                    for holder in holders:
                        region_sums[(holder, year, code)] = region_sums.get((holder, year, code), 0) + value
        for (region_id, year, code), value in region_sums.items():
            w.add((year, None, None, region_id, code, value, stamp, stamp, 1))
        self.counts["targets"] = w.close()
