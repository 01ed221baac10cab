"""Shared fixtures: a small region tree, four units, users by role, logged-in clients.

湖北省 420000
└── 荆州市 421000
    ├── 沙市区 421002 ── 岑河镇 (units.cenhe)
    └── 荆州区 421003 ── 川店镇 (units.chuandian), 马山镇 (units.mashan),
                         汽车零部件产业招商专班 (units.task_force)
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from factories import password_hash
from zhaoshang.organisation.choices import RegionLevel, UnitKind
from zhaoshang.organisation.models import AssessmentGroup, Region, Unit, User


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings, _cache_dir):
    """Background jobs run in the process that enqueues them, before ``enqueue`` returns; tests of
    the worker itself switch back to the database backend (tests/test_jobs.py). The file cache
    (import progress) is this run's own, so that nothing left by an earlier run is read."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_cache_dir),
        }
    }


@pytest.fixture
def region_tree(db):
    """province › city › two counties: ``.province``, ``.city``, ``.shashi`` (沙市区), ``.jingzhou`` (荆州区)."""
    province = Region.objects.create(code="420000", name="湖北省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="421000", name="荆州市", level=RegionLevel.CITY, parent=province)
    shashi = Region.objects.create(code="421002", name="沙市区", level=RegionLevel.COUNTY, parent=city)
    jingzhou = Region.objects.create(code="421003", name="荆州区", level=RegionLevel.COUNTY, parent=city)
    return SimpleNamespace(province=province, city=city, shashi=shashi, jingzhou=jingzhou)


@pytest.fixture
def units(region_tree):
    """Two towns in 荆州区 (``.chuandian``, ``.mashan``), one in 沙市区 (``.cenhe``), one task force
    (``.task_force``, 荆州区). Towns and task forces are ranked in separate assessment groups."""
    towns = AssessmentGroup.objects.create(name="任务单位", order=1)
    forces = AssessmentGroup.objects.create(name="产业招商专班", order=2)
    jingzhou, shashi = region_tree.jingzhou, region_tree.shashi
    return SimpleNamespace(
        chuandian=Unit.objects.create(
            name="川店镇", kind=UnitKind.TOWN, region=jingzhou, assessment_group=towns, order=1
        ),
        mashan=Unit.objects.create(
            name="马山镇", kind=UnitKind.TOWN, region=jingzhou, assessment_group=towns, order=2
        ),
        cenhe=Unit.objects.create(
            name="岑河镇", kind=UnitKind.TOWN, region=shashi, assessment_group=towns, order=3
        ),
        task_force=Unit.objects.create(
            name="汽车零部件产业招商专班",
            short_name="汽车零部件专班",
            kind=UnitKind.TASK_FORCE,
            region=jingzhou,
            assessment_group=forces,
            order=4,
            chain_leader="王建国",
        ),
    )


@pytest.fixture
def make_user(db):
    """``make_user(role, unit=None, region=None, username=None)`` → a saved User.

    Password is ``factories.TEST_PASSWORD`` ("Zhaoshang@2022"). Reporters and unit heads need a ``unit``;
    bureau, leader and supervision users see the ``region`` they are given (or their unit's).
    """
    counter = iter(range(1, 10_000))

    def make(role, unit=None, region=None, username=None):
        return User.objects.create(
            username=username or f"{role}{next(counter)}",
            password=password_hash(),
            role=role,
            unit=unit,
            region=region,
        )

    return make


@pytest.fixture
def client_as(db):
    """``client_as(user)`` → a django test Client logged in as ``user``."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_counting_options():
    """The counting options are kept per process (``metrics.options``); a test's rolled-back rows
    must not outlive it."""
    from zhaoshang.metrics import options

    options.clear_cache()
    yield
    options.clear_cache()
