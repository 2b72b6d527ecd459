"""The dashboard's JSON (/api/v1/dashboard/): what the charts read, fed by the same selectors
as the page, scoped like it, in a fixed number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from agencies.models import Agency
from tests.factories import UserFactory

from .test_dashboard_page import more_of_everything

pytestmark = pytest.mark.django_db

API_QUERY_BUDGET = 18  # +2: the network projects (network.selectors)
URL = "/api/v1/dashboard/"


def get(api_client, user, **params):
    api_client.force_authenticate(user)
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_address_is_in_the_api(api_client):
    assert reverse("api:dashboard") == URL


def test_county_figures(api_client, county, leader):
    data = get(api_client, leader, period="2026-05")

    scope = data["scope"]
    assert (scope["kind"], scope["township_id"], scope["agency_id"]) == ("county", None, None)
    assert data["period"] == {
        "key": "2026-05",
        "kind": "month",
        "label": data["period"]["label"],
        "start": "2026-05-01",
        "end": "2026-05-31",
    }
    assert data["today"] == "2026-05-20"
    assert data["sites"]["total"] == 6
    assert len(data["sites"]["by_township"]) == 15
    assert data["cases"]["open"] == 3
    assert data["cases"]["overdue"] == 2
    assert data["cases"]["on_time_percent"] == 50.0
    assert data["cases"]["closed_late_url"].endswith("closed_on_time=false")
    assert data["patrols"] == {
        "due": 2,
        "done": 1,
        "on_cadence_percent": 50.0,
        "overdue": 1,
        "url": "/patrols/overview/",
    }
    assert data["coverage"]["served_village_count"] == 2
    assert data["assessment"] is None
    assert sum(row["reported"] for row in data["cases_by_category"]) == 3
    assert len(data["trend"]) == 12
    assert data["trend"][-1]["month"] == "2026-05"
    assert data["trend"][-1]["on_time_percent"] == 50.0


def test_the_period_changes_every_period_figure(api_client, county, leader):
    month = get(api_client, leader, period="2026-05")
    year = get(api_client, leader, period="2026")

    assert (month["cases"]["reported"], year["cases"]["reported"]) == (3, 6)
    assert sum(r["reported"] for r in year["cases_by_category"]) == 6
    assert year["trend"][-1]["month"] == "2026-12"


def test_the_current_month_by_default(api_client, county, leader):
    assert get(api_client, leader)["period"]["key"] == "2026-05"


@pytest.mark.parametrize("period", ["2026-13", "2027", "abc", "2019-Q1"])
def test_a_wrong_period_is_refused(api_client, county, leader, period):
    api_client.force_authenticate(leader)

    response = api_client.get(URL, {"period": period})

    assert response.status_code == 400
    assert "period" in response.json()


def test_township_officer_gets_their_township(api_client, county, dipu_officer, dipu):
    data = get(api_client, dipu_officer, period="2026-05")

    assert data["scope"]["kind"] == "township"
    assert data["scope"]["township_id"] == dipu.pk
    assert [row["township_id"] for row in data["sites"]["by_township"]] == [dipu.pk]
    assert data["sites"]["total"] == 4
    assert data["cases"]["open"] == 2
    assert sum(row["reported"] for row in data["cases_by_lead_agency"]) == 2


def test_agency_officer_gets_only_their_agencys_cases(api_client, county, market_officer):
    data = get(api_client, market_officer, period="2026")

    market = Agency.objects.get(code="market")
    assert data["scope"]["kind"] == "agency"
    assert data["scope"]["agency_id"] == market.pk
    assert data["sites"] is None
    assert data["coverage"] is None
    assert data["patrols"] is None
    assert data["cases"]["reported"] == 3
    assert sum(row["reported"] for row in data["cases_by_category"]) == 3


def test_an_account_without_a_role_is_refused(api_client, county):
    user = UserFactory()
    user.save()
    api_client.force_authenticate(user)

    assert api_client.get(URL).status_code == 403


def test_anonymous_requests_are_refused(api_client):
    assert api_client.get(URL).status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.LEADER, Role.TOWNSHIP_OFFICER, Role.AGENCY_OFFICER])
def test_the_json_runs_a_fixed_number_of_queries(
    client, county, users_by_role, role, commerce_admin, django_assert_max_num_queries
):
    client.force_login(users_by_role[role])
    with CaptureQueriesContext(connection) as before:
        client.get(URL, {"period": "2026"})
    more_of_everything(commerce_admin)
    cache.clear()
    with django_assert_max_num_queries(API_QUERY_BUDGET):
        assert client.get(URL, {"period": "2026"}).status_code == 200
    cache.clear()  # the figures computed, not read from the figure cache
    with CaptureQueriesContext(connection) as after:
        client.get(URL, {"period": "2026"})

    assert len(after) == len(before)
