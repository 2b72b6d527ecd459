"""Absurd input to the API answers 4xx (or a bounded page), never a 500."""

import pytest

from anji_recycling.api.pagination import PortalPagination
from sites.choices import SiteStatus
from sites.models import Site, SiteStatusChange
from tests.factories import make_site

pytestmark = pytest.mark.django_db

HUGE = str(10**30)  # past PostgreSQL's bigint


@pytest.fixture
def admin_api(api_client, commerce_admin):
    api_client.force_authenticate(commerce_admin)
    return api_client


def test_a_status_change_to_an_unknown_status_answers_400(admin_api, commerce_admin):
    site = make_site(actor=commerce_admin, status=SiteStatus.OPERATING)

    response = admin_api.post(
        f"/api/v1/sites/{site.pk}/change-status/",
        {"to": "demolished", "reason": "拆除"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "to" in response.json()
    site.refresh_from_db()
    assert site.status == SiteStatus.OPERATING
    assert not SiteStatusChange.objects.filter(site=site, reason="拆除").exists()


def test_the_service_refuses_an_unknown_status_with_a_chinese_message(commerce_admin):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from sites.services import change_site_status

    site = make_site(actor=commerce_admin, status=SiteStatus.OPERATING)

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        change_site_status(site=site, to="demolished", actor=commerce_admin, reason="拆除")

    assert error.value.message_dict["to"] == ["“demolished”不是站点状态。"]


@pytest.mark.parametrize("limit", [str(10**12), HUGE])
def test_a_huge_limit_answers_a_page_of_at_most_the_maximum(admin_api, limit):
    response = admin_api.get("/api/v1/villages/", {"limit": limit})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] > 50
    assert len(body["results"]) == min(body["count"], PortalPagination.MAX_LIMIT)


def test_the_maximum_page_is_enforced(admin_api, commerce_admin, monkeypatch):
    for _ in range(3):
        make_site(actor=commerce_admin)
    monkeypatch.setattr(PortalPagination, "max_limit", 2)

    response = admin_api.get("/api/v1/sites/", {"limit": 1000})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    assert response.json()["count"] == Site.objects.count()


@pytest.mark.parametrize("limit", ["-1", "0", "abc", "1e3", "", "9" * 5000])
def test_a_limit_that_is_not_a_positive_number_answers_the_default_page(admin_api, limit):
    response = admin_api.get("/api/v1/villages/", {"limit": limit})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 50


@pytest.mark.parametrize("offset", [HUGE, str(10**12), "-3", "abc"])
def test_an_absurd_offset_answers_a_page(admin_api, offset):
    response = admin_api.get("/api/v1/villages/", {"offset": offset})

    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sites/{huge}/",
        "/api/v1/sites/{huge}/timeline/",
        "/api/v1/cases/{huge}/events/",
        "/api/v1/assessment-periods/{huge}/ranking/",
        "/api/v1/townships/{huge}/",
    ],
)
def test_a_huge_id_in_the_address_answers_404(admin_api, path):
    assert admin_api.get(path.format(huge=HUGE)).status_code == 404


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/sites/", {"township": HUGE}),
        ("/api/v1/sites/", {"materials": HUGE}),
        ("/api/v1/sites/", {"licence_expiring_within": HUGE}),
        ("/api/v1/operators/", {"licence_expiring_within": HUGE}),
        ("/api/v1/villages/", {"township": HUGE}),
        ("/api/v1/duty-rules/", {"lead_agency": HUGE}),
        ("/api/v1/inspections/", {"site": HUGE}),
        ("/api/v1/cases/", {"site": HUGE}),
        ("/api/v1/cases/", {"lead_agency": HUGE}),
        ("/api/v1/assessment-results/", {"period": HUGE}),
        ("/api/v1/coverage/unserved-villages/", {"township": HUGE}),
    ],
)
def test_a_huge_id_in_a_filter_answers_400_or_an_empty_page(admin_api, path, params):
    response = admin_api.get(path, params)

    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        body = response.json()
        rows = body.get("results", body.get("features"))
        assert rows == []
