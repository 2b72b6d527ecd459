"""The dashboard in a real browser: a leader logs in and lands on it; the map (sites and the
villages not yet served) and every ECharts chart draw from the JSON without a JavaScript error or
a Content-Security-Policy violation; the period selector reloads it; it fits a phone."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import Role
from inspections.services import FindingInput, file_inspection
from tests.factories import make_site, make_user

from .conftest import ARTIFACTS, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def some_data(portal_data):
    from agencies.models import ProblemCategory, Township

    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    worker = make_user(Role.GRID_WORKER, township_code="330523001")
    for township in Township.objects.order_by("code")[:3]:
        site = make_site(
            actor=admin,
            township_code=township.code,
            latitude=township.latitude,
            longitude=township.longitude,
        )
        if township.code == "330523001":
            file_inspection(
                site=site,
                inspector=worker,
                result="problems",
                findings=[
                    FindingInput(category=ProblemCategory.objects.get(code=code), description="测")
                    for code in ("fire_hazard", "unlicensed")
                ],
            )
    return admin


def test_leader_sees_the_dashboard_with_map_and_charts(browser_page, some_data):
    page = browser_page
    leader = make_user(Role.LEADER, username="dashboard-leader")

    log_in(page, leader)
    page.goto(reverse("dashboards:dashboard"))

    expect(page.locator('[data-scope="county"]')).to_be_visible()
    page.wait_for_selector("body[data-dashboard-state=ready]")
    page.wait_for_selector(".portal-map[data-map-state=ready]")
    charts = page.locator(".chart[data-chart]")
    assert charts.count() == 5
    for index in range(charts.count()):
        assert charts.nth(index).get_attribute("data-chart-state") in ("ready", "empty")
    assert page.locator('.chart[data-chart="casesByCategory"] canvas').count() == 1
    assert int(page.locator(".portal-map").get_attribute("data-feature-count")) == 3
    page.screenshot(path=str(ARTIFACTS / "dashboard-county-empty.png"), full_page=True)

    year = str(timezone.localdate().year)
    page.select_option("#dashboard-period", year)
    page.wait_for_url(f"**/?period={year}")
    page.wait_for_selector("body[data-dashboard-state=ready]")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("body[data-dashboard-state=ready]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(ARTIFACTS / "dashboard-county-empty-phone.png"), full_page=True)

    assert page.errors == []
