"""The working-day calendar in Chromium, at a laptop's and a phone's width: a township officer
and the commerce bureau see a deadline into 2027 marked 暂定; the commerce bureau sees the
reminder to enter 2027's holidays, enters them on the calendar page (the date picker) and marks
the year entered in full; the deadline moves and is no longer provisional for both."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Village
from agencies.selectors import years_to_enter
from inspections.choices import CaseAction
from inspections.services import FindingInput, file_inspection, transition_case
from tests.factories import make_site, make_user

from .conftest import ARTIFACTS, log_in

DIPU = "330523001"  # 递铺街道
CHANGLE = "330523001018"  # 长乐社区: built-up, so piling goes to 县综合执法局
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ANJI = dt.timezone(dt.timedelta(hours=8))
NOTICE = "国办发明电〔2026〕7号"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def piling_case_into_2027(commerce, officer):
    """Reported on 30 December 2026, dispatched on 31 December: handling (3 working days) is
    due on 6 January 2027, provisionally."""
    from agencies.models import ProblemCategory

    grid = make_user(Role.GRID_WORKER, township_code=DIPU)
    site = make_site(actor=commerce, village=Village.objects.get(code=CHANGLE))
    with time_machine.travel(dt.datetime(2026, 12, 30, 10, tzinfo=ANJI), tick=False):
        inspection = file_inspection(
            site=site,
            inspector=grid,
            result="problems",
            findings=[
                FindingInput(
                    category=ProblemCategory.objects.get(code="appearance"), description="门前堆放"
                )
            ],
        )
    case = inspection.findings.get().case
    with time_machine.travel(dt.datetime(2026, 12, 31, 10, tzinfo=ANJI), tick=False):
        for action in (CaseAction.REGISTER, CaseAction.DISPATCH):
            case = transition_case(case=case, action=action, actor=officer)
    assert (case.stage_deadline, case.stage_deadline_provisional) == (dt.date(2027, 1, 6), True)
    return case


def deadline_cell(page, case):
    return page.locator("tr", has=page.get_by_role("link", name=case.number)).locator("td").last


def look_at_both_widths(page, url, *, name, check):
    for width, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(url)
        check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=ARTIFACTS / f"calendar-{name}-{width}.png", full_page=True)
    page.set_viewport_size(LAPTOP)


def test_provisional_deadlines_and_entering_2027_in_chromium(browser_page):
    page = browser_page
    commerce = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    case = piling_case_into_2027(commerce, officer)
    due = [str(year) for year in years_to_enter(today=timezone.localdate())]
    banner = page.locator(".calendar-banner")

    # The township officer: the deadline marked 暂定, no reminder (not theirs to act on).
    log_in(page, officer)

    def provisional_in_queue(page):
        expect(deadline_cell(page, case)).to_contain_text(re.compile(r"2027-01-06\s*暂定"))
        expect(banner).to_have_count(0)

    look_at_both_widths(
        page, reverse("inspections:case-list"), name="queue-township", check=provisional_in_queue
    )

    # The commerce bureau: the same, and the reminder while 2027 is due and unknown.
    log_in(page, commerce)

    def provisional_on_case_page(page):
        expect(page.locator(".case-progress-now")).to_contain_text(re.compile(r"2027-01-06\s*暂定"))
        expect(page.locator(".provisional-note")).to_be_visible()
        for year in due:
            expect(banner).to_contain_text(f"{year} 年节假日安排尚未录入")

    look_at_both_widths(
        page, case.get_absolute_url(), name="case-commerce", check=provisional_on_case_page
    )

    # The notice (for this test): 1 January and Monday 4 January off. Entered on the form.
    for day in ("2027-01-01", "2027-01-04"):
        page.goto(f"{reverse('agencies:calendar')}?year=2027")
        page.get_by_role("link", name="录入一天").click()
        page.fill("#id_day", day)
        page.get_by_label("休息日").check()
        page.fill("#id_name", "元旦")
        page.fill("#id_notice_number", NOTICE)
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".message.success")).to_contain_text("正在后台重新计算")
        expect(page.locator(".calendar-entries")).to_contain_text(day)
    page.goto(case.get_absolute_url())
    expect(page.locator(".case-progress-now")).to_contain_text(re.compile(r"2027-01-07\s*暂定"))

    page.goto(f"{reverse('agencies:calendar')}?year=2027")
    page.fill("#id_notice_number", NOTICE)
    page.get_by_role("button", name="确认 2027 年已全部录入").click()
    expect(page.locator(".calendar-status")).to_contain_text("已全部录入")

    def certain_on_case_page(page):
        expect(page.locator(".case-progress-now")).to_contain_text("2027-01-07")
        expect(page.locator(".case-progress-now .badge.provisional")).to_have_count(0)
        expect(page.locator("body")).not_to_contain_text("2027 年节假日安排尚未录入")

    look_at_both_widths(
        page, case.get_absolute_url(), name="case-after-entry", check=certain_on_case_page
    )
    look_at_both_widths(
        page,
        f"{reverse('agencies:calendar')}?year=2027",
        name="page-commerce",
        check=lambda p: None,
    )

    # The township officer reads the calendar and sees the settled deadline.
    log_in(page, officer)

    def settled_in_queue(page):
        expect(deadline_cell(page, case)).to_have_text(re.compile(r"^\s*2027-01-07\s*$"))

    look_at_both_widths(
        page, reverse("inspections:case-list"), name="queue-after-entry", check=settled_in_queue
    )

    def read_only_calendar(page):
        expect(page.locator(".calendar-entries")).to_contain_text("2027-01-04")
        expect(page.get_by_role("link", name="录入一天")).to_have_count(0)

    look_at_both_widths(
        page,
        f"{reverse('agencies:calendar')}?year=2027",
        name="page-township",
        check=read_only_calendar,
    )
    assert page.errors == []
