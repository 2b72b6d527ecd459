"""Lists on a phone (issue #17): at 390 px no page scrolls sideways (every page in the
navigation, as the commerce bureau, which sees them all), the filters fold behind the 筛选
button, the case status is a row of tick boxes, and a township officer is offered no other
township. Screenshots in test-artifacts/phone-<page>.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from tests.factories import make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in

DIPU = "330523001"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_no_page_in_the_navigation_scrolls_sideways_on_a_phone(browser_page, reported_cases):
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, reported_cases[0])
    links = page.eval_on_selector_all(
        "#main-nav a", "links => links.map(link => link.getAttribute('href'))"
    )
    assert reverse("inspections:case-list") in links
    for href in links:
        if href.startswith(("/admin/", "/api/")):
            continue
        page.goto(href)
        page.wait_for_load_state("networkidle")
        assert_fits(page)
        name = re.sub(r"[^a-z0-9]+", "-", href).strip("-") or "home"
        page.screenshot(path=ARTIFACTS / f"phone-{name}.png", full_page=True)
    assert page.errors == []


def test_case_filters_fold_behind_a_button_and_offer_only_the_officers_township(
    browser_page, reported_cases
):
    page = browser_page
    page.set_viewport_size(PHONE)
    officer = make_user(Role.TOWNSHIP_OFFICER, username="phone-dipu", township_code=DIPU)
    log_in(page, officer)
    page.goto(reverse("inspections:case-list"))

    form = page.locator(".filter-form")
    expect(form).to_be_hidden()
    expect(page.locator("table.data-table")).to_be_visible()
    page.locator(".filter-panel > summary").click()
    expect(form).to_be_visible()
    townships = page.locator("#id_township option:not([value=''])")
    expect(townships).to_have_count(1)
    expect(townships).to_have_text("递铺街道")
    form.get_by_label("上报", exact=True).check()
    form.get_by_label("已立案", exact=True).check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"status=reported.*status=registered"))
    # The filters in use are counted on the button; the panel stays folded.
    expect(page.locator(".filter-panel > summary .badge")).to_have_text("1")
    expect(form).to_be_hidden()
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "phone-case-filters.png", full_page=True)

    page.set_viewport_size(LAPTOP)
    page.reload()
    expect(form).to_be_visible()
    expect(page.locator(".filter-panel > summary")).to_be_hidden()
    page.screenshot(path=ARTIFACTS / "laptop-case-filters.png", full_page=True)
    assert page.errors == []
