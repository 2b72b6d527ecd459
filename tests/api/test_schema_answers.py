"""What the schema says an endpoint answers is what it answers."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from sites.choices import SiteStatus
from sites.services import change_site_status
from tests.factories import make_operator, make_site

from .rows import open_first_quarter, report_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def _ok_schema(openapi, path):
    return openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def test_a_cases_events_are_a_bare_list(api_client, openapi, commerce_admin, dipu_grid_worker):
    site = make_site(actor=commerce_admin)
    case = report_problems(site, dipu_grid_worker, "fire_hazard").findings.get().case
    api_client.force_authenticate(commerce_admin)

    body = api_client.get(f"/api/v1/cases/{case.pk}/events/", {"status": "closed"}).json()

    assert _ok_schema(openapi, "/api/v1/cases/{id}/events/")["type"] == "array"
    assert isinstance(body, list)
    assert body, "the report itself is an event"


def test_a_sites_timeline_is_a_bare_list(api_client, openapi, commerce_admin):
    site = make_site(actor=commerce_admin, status=SiteStatus.OPERATING)
    change_site_status(site=site, to=SiteStatus.RECTIFYING, actor=commerce_admin, reason="整改")
    api_client.force_authenticate(commerce_admin)

    body = api_client.get(f"/api/v1/sites/{site.pk}/timeline/").json()

    assert _ok_schema(openapi, "/api/v1/sites/{id}/timeline/")["type"] == "array"
    assert [row["to_status"] for row in body][:1] == [SiteStatus.RECTIFYING]


def test_a_periods_ranking_is_a_bare_list(api_client, openapi, commerce_admin):
    period = open_first_quarter(commerce_admin)
    api_client.force_authenticate(commerce_admin)

    body = api_client.get(f"/api/v1/assessment-periods/{period.pk}/ranking/").json()

    assert _ok_schema(openapi, "/api/v1/assessment-periods/{id}/ranking/")["type"] == "array"
    assert isinstance(body, list)


def test_a_partial_update_answers_every_field_of_the_site(api_client, commerce_admin):
    """DRF leaves fields that fall back on a default out of PATCH answers; the schema says
    operator_name and village_name are always there."""
    site = make_site(actor=commerce_admin, tier=2, operator=make_operator(actor=commerce_admin))
    api_client.force_authenticate(commerce_admin)

    body = api_client.patch(
        f"/api/v1/sites/{site.pk}/", {"operator": None, "note": "改由乡镇运营"}, format="json"
    ).json()

    assert body["operator"] is None
    assert body["operator_name"] == ""
    assert body["village_name"] == ""
