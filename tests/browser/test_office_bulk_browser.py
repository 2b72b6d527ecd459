"""The township officer's office work in Chromium at 390 and 1366 px (issue #17): register the
reported cases of the list at once (tick all, 立案), follow a case on its progress bar, give
the unassigned patrol tasks to a grid worker at once. Screenshots in
test-artifacts/office-<step>-<width>.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from tests.factories import make_patrol_task, make_site, make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in

DIPU = "330523001"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page, name, size):
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / f"office-{name}-{size['width']}.png", full_page=True)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390", "1366"])
def test_a_township_officer_registers_cases_at_once_and_follows_one(
    browser_page, reported_cases, size
):
    from inspections.models import Case

    page = browser_page
    page.set_viewport_size(size)
    officer = make_user(Role.TOWNSHIP_OFFICER, username="browser-dipu", township_code=DIPU)
    _commerce, cases = reported_cases
    log_in(page, officer)
    page.goto(reverse("inspections:case-list"))
    expect(page.locator("#case-bulk")).to_be_visible()
    page.check("[data-tick-all=cases]")
    for case in cases:
        expect(page.locator(f"input[name=cases][value='{case.pk}']")).to_be_checked()
    _shot(page, "case-list-ticked", size)
    expect(page.locator("#case-bulk-action")).to_have_value("register")
    page.click("#case-bulk button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("立案：2 件案件。")
    assert {c.status for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {"registered"}

    page.click(f"a[href='{cases[0].get_absolute_url()}']")
    bar = page.locator(".case-progress")
    expect(bar.locator("li[aria-current=step]")).to_have_text("已立案")
    expect(bar.locator(".case-progress-now")).to_contain_text("当前环节：派遣")
    expect(bar.locator(".case-progress-now")).to_contain_text("待 递铺街道、县商务局 办理")
    # The steps sit in the window, none cut off at the right.
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.case-progress li')]"
        ".map(li => li.getBoundingClientRect().right))"
    )
    assert right <= size["width"]
    _shot(page, "case-progress", size)
    assert page.errors == []


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390", "1366"])
def test_a_township_officer_gives_the_unassigned_tasks_to_a_grid_worker_at_once(
    browser_page, reported_cases, size
):
    from inspections.models import PatrolPlan, PatrolTask

    page = browser_page
    page.set_viewport_size(size)
    commerce, _cases = reported_cases
    officer = make_user(Role.TOWNSHIP_OFFICER, username="browser-dipu", township_code=DIPU)
    plan = PatrolPlan.objects.create(name="月巡", status="operating", frequency="monthly")
    tasks = [make_patrol_task(make_site(actor=commerce), plan=plan) for _ in range(3)]
    worker = make_user(Role.GRID_WORKER, username="browser-grid-2", township_code=DIPU)
    log_in(page, officer)
    page.goto(reverse("inspections:patrol-unassigned"))
    for task in tasks[:2]:
        page.check(f"input[name=tasks][value='{task.pk}']")
    page.select_option("#task-bulk-worker", str(worker.pk))
    _shot(page, "tasks-ticked", size)
    page.click("#task-bulk button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"已将 2 项巡查任务分配给 {worker}。")
    assigned = [PatrolTask.objects.get(pk=t.pk).assigned_to_id for t in tasks]
    assert assigned == [worker.pk, worker.pk, None]
    expect(page.locator("input[name=tasks]")).to_have_count(1)
    _shot(page, "tasks-assigned", size)
    assert page.errors == []


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390", "1366"])
def test_detail_pages_lead_back_through_their_breadcrumbs(browser_page, reported_cases, size):
    from agencies.models import Township
    from inspections.models import Inspection

    page = browser_page
    page.set_viewport_size(size)
    commerce, cases = reported_cases
    log_in(page, commerce)
    pages = {
        "inspection": ("inspections:inspection-detail", Inspection.objects.get().pk),
        "agency": ("agencies:agency-detail", cases[0].lead_agency_id),
        "township": ("agencies:township-detail", Township.objects.get(code=DIPU).pk),
    }
    for name, (url_name, pk) in pages.items():
        page.goto(reverse(url_name, args=[pk]))
        crumbs = page.locator("nav.breadcrumbs")
        expect(crumbs).to_be_visible()
        expect(crumbs.locator("a").first).to_have_text("首页")
        _shot(page, f"breadcrumbs-{name}", size)
    # From the township's page, the list link leads back to the list of townships.
    page.locator("nav.breadcrumbs a").nth(1).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("agencies:township-list")) + "$"))
    assert page.errors == []
