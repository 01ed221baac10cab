"""Bad input never causes a server error: every data-entry form, fed arbitrary text (hypothesis),
answers with a page (400 with messages, or a redirect when the junk happens to be valid)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.organisation.choices import Role

pytestmark = pytest.mark.django_db

FORMS = {
    "/projects/add/": [
        "name",
        "investor_name",
        "investor_credit_code",
        "introducing_unit",
        "kind",
        "total_investment_wan",
        "added_investment_wan",
        "stage",
        "signed_on",
        "commenced_on",
        "land_area_mu",
        "region",
        "helper_units",
        "_version",
    ],
    "/leads/add/": [
        "title",
        "unit",
        "reported_on",
        "intended_investment_wan",
        "is_valuable",
        "status",
        "enterprise",
    ],
    "/activities/add/": [
        "kind",
        "unit",
        "started_on",
        "ended_on",
        "enterprise_count",
        "batches",
        "enterprises",
    ],
    "/funds/add/": ["project", "month", "amount_wan", "outside_province_wan", "foreign_usd_wan"],
    "/enterprises/add/": ["name", "credit_code", "tags", "location"],
    "/prereviews/add/": [
        "title",
        "held_on",
        "region",
        "verdicts-TOTAL_FORMS",
        "verdicts-INITIAL_FORMS",
        "verdicts-0-project",
        "verdicts-0-verdict",
    ],
}
junk = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "1e309",
            "NaN",
            "9" * 30,
            "2022-13-45",
            "１５",
            "一千二百万",
            "<script>",
            "' OR 1=1",
            "0x10",
            "2022-02-30",
            "999999999999999999999.99999",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


@pytest.fixture
def bureau_client(units, make_user):
    client = Client(raise_request_exception=True)
    client.force_login(make_user(Role.BUREAU, region=units.chuandian.region))
    return client


@pytest.mark.parametrize("url", list(FORMS))
def test_forms_never_fail_with_a_server_error(url, bureau_client):
    fields = FORMS[url]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(dict.fromkeys(fields, junk)))
    def post(data):
        response = bureau_client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 409)

    post()
