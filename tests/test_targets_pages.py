"""/targets/ and /campaigns/: the bureau sets them; units see their own targets only."""

import datetime
from decimal import Decimal

import pytest

from factories import CampaignFactory, TargetFactory
from zhaoshang.organisation.choices import Role
from zhaoshang.targets.models import Target

pytestmark = pytest.mark.django_db


def test_targets_by_role(units, region_tree, make_user, client_as):
    mine = TargetFactory(unit=units.chuandian, year=2022, indicator="leads", value=Decimal(30))
    other = TargetFactory(unit=units.mashan, year=2022, indicator="leads", value=Decimal(20))
    reporter = client_as(make_user(Role.REPORTER, unit=units.chuandian))
    page = reporter.get("/targets/").content.decode()
    assert f"/targets/{mine.pk}/" in page and f"/targets/{other.pk}/" not in page
    assert "招商信息" in page
    assert reporter.get(f"/targets/{other.pk}/").status_code == 404
    assert reporter.get("/targets/add/").status_code == 403
    bureau = client_as(make_user(Role.BUREAU, region=region_tree.jingzhou))
    response = bureau.post(
        "/targets/add/",
        {
            "year": 2022,
            "unit": units.mashan.pk,
            "region": region_tree.jingzhou.pk,
            "indicator": "trips",
            "value": "12",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(indicator="trips").value == 12
    duplicate = bureau.post(
        "/targets/add/",
        {
            "year": 2022,
            "unit": units.mashan.pk,
            "region": region_tree.jingzhou.pk,
            "indicator": "trips",
            "value": "5",
        },
    )
    assert "该单位该年度该指标的目标已存在" in duplicate.content.decode()


def test_campaigns_page(units, region_tree, make_user, client_as):
    campaign = CampaignFactory(
        name="百日会战", starts_on=datetime.date(2022, 7, 1), ends_on=datetime.date(2022, 9, 30)
    )
    leader = client_as(make_user(Role.LEADER, region=region_tree.jingzhou))
    assert "百日会战" in leader.get("/campaigns/").content.decode()
    assert leader.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert leader.get("/campaigns/add/").status_code == 403
