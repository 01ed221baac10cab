"""Schemathesis over the whole OpenAPI schema (issue 17): every operation, generated inputs, as a
bureau account with data in its region and a second county's data beside it. No response may be a
server error, and every documented response must match the schema. Hypothesis generates 25 cases per
operation (the explicit/coverage phase, which multiplies the cases by ten for the form-derived
bodies, is left out) so that the file runs in well under a minute."""

import datetime
from decimal import Decimal

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from factories import ActivityFactory, FundsRecordFactory, LeadFactory, ProjectFactory, TargetFactory
from zhaoshang.api.services import token_create
from zhaoshang.organisation.choices import Role


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    import json

    from rest_framework.renderers import JSONRenderer

    raw = json.loads(JSONRenderer().render(raw))  # lazy strings and Decimals to plain JSON
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture
def _keep_connection():
    """The WSGI handler closes the connection after each request; Django's test client disconnects
    that, and so must we, or the test's transaction is gone after the first call."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bureau_key(_keep_connection, units, region_tree, make_user):
    cache.clear()
    for unit in (units.chuandian, units.cenhe):
        project = ProjectFactory(
            introducing_unit=unit,
            stage="signed",
            signed_on=datetime.date(2022, 3, 1),
            review_status="submitted",
        )
        FundsRecordFactory(project=project, amount_wan=Decimal("12.5"), review_status="submitted")
        LeadFactory(unit=unit)
        ActivityFactory(unit=unit)
        TargetFactory(unit=unit, region=unit.region, year=2022, indicator="signed_amount_wan")
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    return token_create(user=bureau, name="fuzz")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_schema(case, bureau_key):
    case.call_and_validate(
        headers={"Authorization": f"Token {bureau_key}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
