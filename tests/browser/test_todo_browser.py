"""我的待办 in the browser (issue #17): each role logs in and lands on what waits on it (a grid
worker on 我的巡查), at a phone's and a laptop's width, nothing wider than the screen, no
JavaScript error. Screenshots in test-artifacts/todo-<role>-<width>.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Village
from tests.factories import make_site, make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# Where each role's user belongs (as tests/conftest.py's users_by_role); a grid worker lands on
# 我的巡查 instead (below).
BELONGS = {
    Role.TOWNSHIP_OFFICER: {"township_code": "330523001"},
    Role.AGENCY_OFFICER: {"agency_code": "market"},
    Role.ASSESSOR: {"agency_code": "supervision"},
    Role.GOVERNANCE_STAFF: {"agency_code": "governance"},
    Role.COOP_STAFF: {"agency_code": "coop"},
}


@pytest.mark.parametrize("role", [role for role in Role if role != Role.GRID_WORKER])
def test_each_role_lands_on_its_todo(browser_page, reported_cases, role):
    page = browser_page
    user = make_user(role, username=f"todo-{role}", **BELONGS.get(role, {}))
    log_in(page, user)
    expect(page.locator("h1")).to_have_text("我的待办")
    cases = page.locator("#todo-cases")
    if role in (Role.COMMERCE_ADMIN, Role.TOWNSHIP_OFFICER):
        expect(cases.locator("a", has_text=reported_cases[1][0].number)).to_be_visible()
        expect(cases.locator("td", has_text="立案")).to_have_count(2)
    else:
        expect(cases.locator(".empty")).to_be_visible()
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.reload()
        assert_fits(page)
        page.screenshot(path=ARTIFACTS / f"todo-{role}-{size['width']}.png", full_page=True)
    page.click(f".todo-head a[href='{reverse('dashboards:dashboard')}']")
    expect(page.locator("body")).to_have_attribute("data-dashboard-state", "ready")
    assert page.errors == []


def test_a_grid_worker_lands_on_my_patrols(browser_page, reported_cases):
    page = browser_page
    page.set_viewport_size(PHONE)
    grid = make_user(Role.GRID_WORKER, username="todo-grid-2", township_code="330523001")
    log_in(page, grid)
    expect(page).to_have_url(f"{page.url.split('/patrols/')[0]}/patrols/")
    expect(page.locator("h1")).to_have_text("我的巡查")
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "todo-grid_worker-390.png", full_page=True)
    assert page.errors == []


def test_the_header_search_finds_only_what_the_officer_may_see(browser_page, reported_cases):
    page = browser_page
    commerce, (case, _other) = reported_cases
    village = Village.objects.get(name="余村村委会")
    make_site(
        actor=commerce,
        township_code=village.township.code,
        village=village,
        name="余村再生资源回收点",
    )
    officer = make_user(Role.TOWNSHIP_OFFICER, username="search-dipu", township_code="330523001")
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        log_in(page, officer)
        if size is PHONE:
            page.click(".nav-toggle")
        page.fill("#search-q", "再生资源回收点")
        page.press("#search-q", "Enter")
        results = page.locator(".search-results")
        expect(results.locator("a", has_text="长乐社区再生资源回收点")).to_be_visible()
        expect(results.locator("a", has_text="余村")).to_have_count(0)
        assert_fits(page)
        page.screenshot(path=ARTIFACTS / f"search-{size['width']}.png", full_page=True)
    page.fill("#search-page-q", case.number)
    page.press("#search-page-q", "Enter")
    expect(page.locator(".search-results a", has_text=case.number)).to_be_visible()
    assert page.errors == []


def test_dismissing_a_case_looks_dangerous_and_asks_first(browser_page, reported_cases):
    page = browser_page
    commerce, (case, _other) = reported_cases
    log_in(page, commerce)
    page.goto(case.get_absolute_url())
    dismiss = page.locator("button.danger[value=dismiss]")
    expect(dismiss).to_have_attribute("data-confirm", re.compile("不予立案"))
    expect(page.locator("button.primary[value=register]")).to_be_visible()
    page.fill("textarea[name=comment]", "不属于回收网点问题")
    questions = []

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    dismiss.click()
    expect(page).to_have_url(re.compile(case.get_absolute_url() + "$"))
    assert questions and "不予立案" in questions[0]
    case.refresh_from_db()
    assert case.status == "reported"
    page.screenshot(path=ARTIFACTS / "case-actions-1366.png", full_page=True)
    assert page.errors == []
