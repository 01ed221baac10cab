"""factory_boy factories for the domain models.

Defaults are the plainest valid record: a project is 洽谈 (negotiating) with no stage dates, money is
``Decimal``, an enterprise gets a valid 统一社会信用代码. Pass what a test is about explicitly.
"""

import datetime
from decimal import Decimal
from functools import lru_cache

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory
from stdnum.cn import uscc

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import RegionLevel, Role, UnitKind
from zhaoshang.organisation.models import Region, Unit, User
from zhaoshang.projects.choices import ProjectKind, Stage, Verdict
from zhaoshang.projects.models import FundsRecord, PreReviewMeeting, PreReviewVerdict, Project
from zhaoshang.targets.models import Campaign, Target

TEST_PASSWORD = "Zhaoshang@2022"


@lru_cache(maxsize=1)
def password_hash() -> str:
    """TEST_PASSWORD hashed once per run with the real hasher (hashing per user is slow)."""
    return make_password(TEST_PASSWORD)


def valid_credit_code(n: int, region_code: str = "421003") -> str:
    """A valid 统一社会信用代码: 9 (market regulator), 1 (enterprise), region, organisation code, check."""
    body = f"91{region_code}{n:09d}"
    return body + uscc.calc_check_digit(body)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{990000 + n}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = RegionLevel.COUNTY
    parent = None


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试乡镇{n}")
    kind = UnitKind.TOWN
    region = factory.SubFactory(RegionFactory)
    order = factory.Sequence(lambda n: n)


class UserFactory(DjangoModelFactory):
    """A reporter of a fresh unit; password TEST_PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(password_hash)
    role = Role.REPORTER
    unit = factory.SubFactory(UnitFactory)
    region = None


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: valid_credit_code(n + 1))
    location = "湖北省荆州市"


class LeadFactory(DjangoModelFactory):
    class Meta:
        model = Lead

    title = factory.Sequence(lambda n: f"招商信息{n}")
    unit = factory.SubFactory(UnitFactory)
    reported_on = datetime.date(2022, 3, 1)


class ActivityFactory(DjangoModelFactory):
    """A one-day 外出招商 trip."""

    class Meta:
        model = Activity

    kind = ActivityKind.TRIP
    unit = factory.SubFactory(UnitFactory)
    started_on = datetime.date(2022, 3, 1)
    ended_on = None
    destination = "深圳"


class ProjectFactory(DjangoModelFactory):
    """A new project at 洽谈, landing in its introducing unit's region, no stage dates."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n}")
    investor = factory.SubFactory(EnterpriseFactory)
    introducing_unit = factory.SubFactory(UnitFactory)
    region = factory.SelfAttribute("introducing_unit.region")
    total_investment_wan = Decimal("10000")
    added_investment_wan = None
    kind = ProjectKind.NEW
    stage = Stage.NEGOTIATING
    negotiated_on = None
    signed_on = None
    commenced_on = None
    in_production_on = None
    effective_on = None


class FundsRecordFactory(DjangoModelFactory):
    class Meta:
        model = FundsRecord

    project = factory.SubFactory(ProjectFactory)
    month = datetime.date(2022, 3, 1)
    amount_wan = Decimal("1000")


class PreReviewMeetingFactory(DjangoModelFactory):
    class Meta:
        model = PreReviewMeeting

    title = factory.Sequence(lambda n: f"第{n}次项目预审会")
    held_on = datetime.date(2022, 3, 15)
    region = factory.SubFactory(RegionFactory)
    departments = "发改、经信、环保、自然资源"


class PreReviewVerdictFactory(DjangoModelFactory):
    class Meta:
        model = PreReviewVerdict

    meeting = factory.SubFactory(PreReviewMeetingFactory)
    project = factory.SubFactory(ProjectFactory)
    verdict = Verdict.PASSED


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"百日会战{n}")
    starts_on = datetime.date(2022, 4, 1)
    ends_on = datetime.date(2022, 7, 9)


class TargetFactory(DjangoModelFactory):
    """A yearly unit target (no campaign) in the unit's region."""

    class Meta:
        model = Target

    year = 2022
    campaign = None
    unit = factory.SubFactory(UnitFactory)
    region = factory.LazyAttribute(lambda o: o.unit.region if o.unit else RegionFactory())
    indicator = "signed_projects"
    value = Decimal("10")
