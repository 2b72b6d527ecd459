"""Network building in a real browser: the suggestions' map and table, one suggestion turned
into a project, the project taken to operation, the progress page; desktop and 390 px."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agencies.models import Township, Village
from network.models import NetworkProject
from tests.factories import make_site

from .conftest import ARTIFACTS, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROW_LAT = Decimal("30.500000")


def test_an_officer_turns_a_suggestion_into_a_project_and_puts_it_into_operation(
    browser_page, dipu_officer, commerce_admin
):
    page = browser_page
    dipu = Township.objects.get(code="330523001")
    Village.objects.update(latitude=None, longitude=None)
    a, b, c, d = Village.objects.filter(township=dipu, is_active=True)[:4]
    for village, lng in [(a, "119.500"), (b, "119.510"), (c, "119.520")]:
        village.latitude, village.longitude = ROW_LAT, Decimal(lng)
        village.save()
    d.latitude, d.longitude = Decimal("30.600000"), Decimal("119.510000")
    d.save()
    make_site(actor=commerce_admin, tier=2, latitude=Decimal("30.55"), longitude=Decimal("119.53"))

    log_in(page, dipu_officer)
    page.goto(reverse("network:suggestions") + "?radius=1.5")
    expect(page.locator(".portal-map-suggested").first).to_be_visible()
    # The village's short name, as on every screen.
    expect(page.locator("#suggestion-1")).to_contain_text(str(b))
    page.screenshot(
        path=ARTIFACTS / "network-suggestions.png", full_page=True, animations="disabled"
    )
    assert page.errors == []

    page.locator("#suggestion-1 button").click()
    expect(page).to_have_url(re.compile(r"/network/\d+/edit/$"))
    project = NetworkProject.objects.get()
    assert project.village == b
    page.fill("#id_planned_on", "2024-03-01")
    page.click("form.edit-form button.primary")
    expect(page).to_have_url(re.compile(rf"/network/{project.pk}/$"))

    for on, stage in [
        ("2024-05-01", "立项"),
        ("2024-07-01", "在建"),
        ("2025-03-01", "建成"),
        ("2025-04-01", "投运"),
    ]:
        page.fill("#id_on", on)
        page.click("form.inline-edit-form button.primary")
        expect(page.locator("h1 + p .stage")).to_have_text(stage)
    page.screenshot(path=ARTIFACTS / "network-project.png", full_page=True, animations="disabled")
    project.refresh_from_db()
    assert project.site.village == b

    page.goto(reverse("network:progress"))
    expect(page.locator("h1")).to_contain_text("三级回收体系建设进度")
    page.screenshot(path=ARTIFACTS / "network-progress.png", full_page=True, animations="disabled")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("network:suggestions"))
    expect(page.locator(".portal-map-suggested").first).to_be_visible()
    page.screenshot(
        path=ARTIFACTS / "network-suggestions-390.png", full_page=True, animations="disabled"
    )
    page.goto(reverse("network:progress"))
    page.screenshot(
        path=ARTIFACTS / "network-progress-390.png", full_page=True, animations="disabled"
    )
    page.goto(reverse("network:project-list"))
    page.screenshot(
        path=ARTIFACTS / "network-projects-390.png", full_page=True, animations="disabled"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    assert page.errors == []
