"""Each role's main journey, end to end in a real browser (issue #7).

- The leader logs in, lands on the county dashboard (charts drawn, map shown), changes the
  period from a month to its quarter and year, and follows figures to the lists behind them.
- A township officer lands on their township's dashboard, registers a site on the form (the
  position picked on the map), and files the patrol report the nightly job asks for.
- The urban enforcement bureau's officer lands on the agency's dashboard, opens the piling case
  routed to it and takes it to 处置完毕 with a comment and a photo.
- The commerce bureau verifies and closes that case, and downloads the meeting pack (会议材料)
  from its dashboard.

Every dashboard is saved as a screenshot at a laptop's and a phone's width (test-artifacts/);
at the phone's width nothing is wider than the screen and the navigation folds behind the menu
button. Every test fails on any JavaScript error or Content-Security-Policy violation.
"""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Agency, ProblemCategory, Township, Village
from inspections.choices import CaseAction, CaseStatus, PatrolTaskStatus
from inspections.models import Case, PatrolTask
from inspections.patrols import generate_patrol_tasks
from inspections.services import FindingInput, file_inspection, transition_case
from sites.models import Site
from tests.factories import make_site, make_user

from .conftest import ARTIFACTS, fill_collection_point_form, log_in

DIPU = "330523001"  # 递铺街道
CHANGLE = "330523001018"  # 长乐社区: urban-rural code 121, built-up
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHARTS = ("sitesByTownship", "casesByCategory", "casesByAgency", "trend", "overdueByAgency")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# Helpers ---------------------------------------------------------------------------------------


def log_in_to_dashboard(page, user):
    """Through the login form (a user with a role lands on 我的待办), then the dashboard
    one click away."""
    log_in(page, user)
    page.click(f".todo-head a[href='{reverse('dashboards:dashboard')}']")
    wait_for_dashboard(page)


def wait_for_dashboard(page):
    """The figures, every chart (drawn, or its empty message; never the error) and the map."""
    expect(page.locator("body")).to_have_attribute("data-dashboard-state", "ready")
    expect(page.locator(".chart[data-chart-state=error]")).to_have_count(0)
    expect(page.locator(".chart:not([data-chart-state])")).to_have_count(0)
    expect(page.locator(".chart[data-chart-state=loading]")).to_have_count(0)
    if page.locator(".dashboard-map").count():
        wait_for_map(page.locator(".dashboard-map"))


def wait_for_map(element):
    expect(element).to_have_attribute("data-map-state", "ready")


def figure(page, name):
    return page.locator(f"[data-figure={name}] .figure")


def drawn_charts(page):
    """The charts ECharts drew on a canvas, by name."""
    return page.locator(".chart[data-chart-state=ready]:has(canvas)").evaluate_all(
        "charts => charts.map(chart => chart.dataset.chart)"
    )


def screenshot(page, name):
    page.mouse.move(0, 0)
    page.screenshot(path=ARTIFACTS / name, full_page=True, animations="disabled")


def check_at_phone_width(page, *, ready=lambda page: None, artifact=None):
    """The page loaded at a phone's width: nothing wider than the screen, the navigation behind
    the menu button (which opens it); then back at a laptop's width."""
    page.set_viewport_size(PHONE)
    page.reload()
    ready(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    navigation, toggle = page.locator("#main-nav"), page.locator(".nav-toggle")
    expect(navigation).to_be_hidden()
    if artifact:
        screenshot(page, artifact)
    toggle.click()
    expect(navigation).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(navigation).to_be_hidden()
    page.set_viewport_size(LAPTOP)
    page.reload()
    ready(page)


def follow(page, link):
    """Click a link and wait for the page it opens."""
    href = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def list_rows(page):
    return page.locator("table.data-table tbody tr:has(a)")


def expect_list_of(page, count):
    """A list with `count` rows, whose scope statement gives the same number."""
    expect(list_rows(page)).to_have_count(count)
    expect(page.locator(".scope-note").first).to_contain_text(re.compile(rf"(?<!\d){count}(?!\d)"))


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (170, 90, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def collection_point(*, actor, township_code, **fields):
    """A collection point at its township's centre (the maps draw only sites with a position)."""
    township = Township.objects.get(code=township_code)
    position = {"latitude": township.latitude, "longitude": township.longitude}
    return make_site(actor=actor, township_code=township_code, **{**position, **fields})


def open_case(*, site, inspector, category_code, description="现场检查发现问题"):
    inspection = file_inspection(
        site=site,
        inspector=inspector,
        result="problems",
        findings=[
            FindingInput(
                category=ProblemCategory.objects.get(code=category_code), description=description
            )
        ],
    )
    return inspection.findings.get().case


@pytest.fixture
def people(portal_data):
    """The commerce bureau, a grid worker of 递铺街道 and the urban enforcement bureau."""
    return {
        "commerce": make_user(Role.COMMERCE_ADMIN, agency_code="commerce"),
        "grid": make_user(Role.GRID_WORKER, township_code=DIPU),
        "urban": make_user(Role.AGENCY_OFFICER, agency_code="urban"),
    }


# Who moves a piling case along, in the state machine's order.
LIFECYCLE = [
    (CaseAction.REGISTER, "commerce", ""),
    (CaseAction.DISPATCH, "commerce", ""),
    (CaseAction.ACCEPT, "urban", ""),
    (CaseAction.FINISH, "urban", "堆放物已清理"),
]


def piling_case(*, people, up_to) -> Case:
    """A grid worker finds goods piled outside a collection point in 长乐社区 (built-up): the
    case goes to 县综合执法局; the people whose turn it is move it on until it is `up_to`."""
    site = collection_point(
        actor=people["commerce"],
        township_code=DIPU,
        village=Village.objects.get(code=CHANGLE),
        name="长乐社区回收点",
        latitude="30.638200",
        longitude="119.681100",
    )
    case = open_case(
        site=site,
        inspector=people["grid"],
        category_code="appearance",
        description="废纸板堆放在店外人行道上",
    )
    assert case.lead_agency.code == "urban"
    for action, who, comment in LIFECYCLE:
        if case.status == up_to:
            break
        case = transition_case(case=case, action=action, actor=people[who], comment=comment)
    assert case.status == up_to
    return case


def act_on_case(page, action, *, comment="", photo=None):
    """Press one of the case page's action buttons (the state machine's moves for this user)."""
    if comment:
        page.fill("#id_comment", comment)
    if photo:
        upload = {"name": photo, "mimeType": "image/png", "buffer": png_bytes()}
        page.set_input_files("#id_attachments", files=[upload])
    page.click(f"form.case-action-form button[name=action][value={action}]")
    expect(page.locator(".message.success")).to_be_visible()


# The leader ------------------------------------------------------------------------------------


def in_month(day, today):
    return (day.year, day.month) == (today.year, today.month)


def in_quarter(day, today):
    return day.year == today.year and (day.month - 1) // 3 == (today.month - 1) // 3


def in_year(day, today):
    return day.year == today.year


def test_leader_views_the_county_dashboard_changes_the_period_and_follows_figures(
    browser_page, people
):
    page = browser_page
    admin, leader = people["commerce"], make_user(Role.LEADER)
    # Five collection points in five townships, each with a case reported some days ago.
    now = timezone.now()
    cases = [
        ("330523001", "fire_hazard", 0),
        ("330523002", "pollution", 35),
        ("330523104", "unlicensed", 95),
        ("330523105", "public_order", 200),
        ("330523106", "illegal_land_use", 400),
    ]
    reported_on = []
    for township_code, category_code, days_ago in cases:
        moment = now - dt.timedelta(days=days_ago)
        with time_machine.travel(moment, tick=False):
            site = collection_point(actor=admin, township_code=township_code)
            open_case(site=site, inspector=admin, category_code=category_code)
        reported_on.append(timezone.localdate(moment))
    today = timezone.localdate()

    log_in_to_dashboard(page, leader)
    scope = page.locator(".dashboard-scope")
    expect(scope).to_have_attribute("data-scope", "county")
    expect(figure(page, "sites")).to_have_text("5")
    expect(figure(page, "open-cases")).to_have_text("5")
    assert sorted(drawn_charts(page)) == sorted(CHARTS)
    dashboard_map = page.locator(".dashboard-map")
    expect(dashboard_map).to_have_attribute("data-feature-count", "5")
    assert int(dashboard_map.get_attribute("data-overlay-count")) > 0  # unserved villages
    screenshot(page, "dashboard-county.png")
    check_at_phone_width(page, ready=wait_for_dashboard, artifact="dashboard-county-phone.png")

    # The period: this month (the default), its quarter, its year. The heading names the period
    # chosen, the scope statement its first and last day; the period's figures follow it.
    quarter = (today.month - 1) // 3 + 1
    periods = [
        (f"{today:%Y-%m}", in_month, today.replace(day=1)),
        (f"{today.year}-Q{quarter}", in_quarter, dt.date(today.year, 3 * quarter - 2, 1)),
        (str(today.year), in_year, dt.date(today.year, 1, 1)),
    ]
    selector = page.locator("#dashboard-period")
    for key, contains, start in periods:
        if selector.input_value() != key:
            selector.select_option(key)
            expect(page).to_have_url(re.compile(rf"\?period={key}$"))
            wait_for_dashboard(page)
        expect(selector).to_have_value(key)
        label = selector.locator("option:checked").inner_text()
        expect(page.locator(".dashboard-head h1 small")).to_have_text(label)
        expect(scope).to_contain_text(start.isoformat())
        reported = sum(contains(day, today) for day in reported_on)
        expect(figure(page, "reported-cases")).to_have_text(str(reported))
        expect(figure(page, "open-cases")).to_have_text("5")  # as of today, whatever the period
        assert "casesByCategory" in drawn_charts(page)

    # The year's "cases reported" leads to the case list filtered to the year, with as many rows.
    year_start, year_end = f"{today.year}-01-01", f"{today.year}-12-31"
    follow(page, page.locator("a[data-figure=reported-cases]"))
    expect(page.locator("#id_reported_after")).to_have_value(year_start)
    expect(page.locator("#id_reported_before")).to_have_value(year_end)
    expect_list_of(page, sum(in_year(day, today) for day in reported_on))
    page.go_back()
    wait_for_dashboard(page)

    # "Sites registered" leads to the site list, which counts the same sites.
    follow(page, page.locator("a[data-figure=sites]"))
    expect_list_of(page, 5)
    page.go_back()
    wait_for_dashboard(page)

    # "Open cases" leads to the open cases, as many as the figure says.
    follow(page, page.locator("a[data-figure=open-cases]"))
    expect_list_of(page, 5)

    assert page.errors == []


# The township officer -------------------------------------------------------------------------


def test_township_officer_registers_a_site_and_files_its_patrol_report(browser_page, live_server):
    page = browser_page
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    dipu = Township.objects.get(code=DIPU)

    log_in_to_dashboard(page, officer)
    scope = page.locator(".dashboard-scope")
    expect(scope).to_have_attribute("data-scope", "township")
    expect(scope).to_contain_text(dipu.name)
    expect(page.locator(".dashboard-head h1")).to_contain_text(dipu.name)
    expect(figure(page, "sites")).to_have_text("0")
    screenshot(page, "dashboard-township.png")
    check_at_phone_width(page, ready=wait_for_dashboard, artifact="dashboard-township-phone.png")

    # No site yet: the dashboard offers the registration form.
    follow(page, page.locator(f".empty-state a[href='{reverse('sites:site-create')}']"))
    picker = page.locator(".portal-map")
    check_at_phone_width(page, ready=lambda page: wait_for_map(picker))
    fill_collection_point_form(
        page, name="递铺旅程测试回收点", address="递铺街道旅程路1号", township_id=dipu.pk
    )
    wait_for_map(picker)
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.locator("#id_latitude")).to_have_value(re.compile(r"^30\.\d{6}$"))
    expect(page.locator("#id_longitude")).to_have_value(re.compile(r"^119\.\d{6}$"))
    page.click("form.edit-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/sites/\d+/$"))
    site = Site.objects.get(name="递铺旅程测试回收点")
    assert site.township == dipu
    assert site.status == "operating"

    # The nightly job turns the patrol plans into tasks: the new operating point is due this month.
    assert generate_patrol_tasks(today=timezone.localdate())["created"] == 1
    task = PatrolTask.objects.get(site=site)

    page.goto(reverse("dashboards:dashboard"))
    wait_for_dashboard(page)
    expect(figure(page, "sites")).to_have_text("1")
    # Due at the end of the month and not done yet: not late, so no rate yet.
    expect(figure(page, "patrols")).to_have_text("—")

    # My patrols: the task, and the report it asks for. The phone gives the position.
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation(
        {"latitude": float(site.latitude), "longitude": float(site.longitude), "accuracy": 10}
    )
    follow(page, page.locator(f"#main-nav a[href='{reverse('inspections:patrol-mine')}']"))
    expect(page.locator(".scope-note")).to_contain_text(dipu.name)
    open_task = page.locator(f"tr.patrol-task-{PatrolTaskStatus.OPEN}", has_text=site.code)
    expect(open_task).to_have_count(1)
    check_at_phone_width(page)
    open_task.locator("a.button").click()
    expect(page).to_have_url(re.compile(reverse("inspections:report-file", args=[site.pk])))
    expect(page.locator(".report-site-card")).to_contain_text(site.name)
    expect(page.locator("#id_latitude")).to_have_value(f"{site.latitude:.6f}")
    for answer in page.locator("label.choice-yes").all():
        answer.click()
    page.locator("label.choice-passed").click()
    page.click(".report-submit button[type=submit]")
    expect(page).to_have_url(re.compile(r"/inspections/\d+/$"))
    expect(page.locator(".message.success")).to_be_visible()

    # The task is done, with its report.
    task.refresh_from_db()
    assert task.status == PatrolTaskStatus.DONE
    follow(page, page.locator(f"#main-nav a[href='{reverse('inspections:patrol-mine')}']"))
    done = page.locator(f"tr.patrol-task-{PatrolTaskStatus.DONE}", has_text=site.code)
    expect(done).to_have_count(1)
    expect(done.locator("a")).to_have_attribute("href", task.inspection.get_absolute_url())
    expect(page.locator(f"tr.patrol-task-{PatrolTaskStatus.OPEN}")).to_have_count(0)
    page.goto(reverse("dashboards:dashboard"))
    wait_for_dashboard(page)
    expect(figure(page, "patrols")).to_have_text(re.compile(r"^100(\.0)?%$"))

    assert page.errors == []


# The agency officer ---------------------------------------------------------------------------


def test_urban_enforcement_officer_handles_the_piling_case_to_handled(browser_page, people):
    page = browser_page
    case = piling_case(people=people, up_to=CaseStatus.DISPATCHED)
    urban = Agency.objects.get(code="urban")

    log_in_to_dashboard(page, people["urban"])
    scope = page.locator(".dashboard-scope")
    expect(scope).to_have_attribute("data-scope", "agency")
    expect(page.locator(".dashboard-head h1")).to_contain_text(urban.name)
    expect(figure(page, "open-cases")).to_have_text("1")
    expect(page.locator("[data-figure=sites]")).to_have_count(0)  # cases only
    assert "casesByCategory" in drawn_charts(page)
    screenshot(page, "dashboard-agency.png")
    check_at_phone_width(page, ready=wait_for_dashboard, artifact="dashboard-agency-phone.png")

    # The open cases: the piling case, which the officer opens.
    follow(page, page.locator("a[data-figure=open-cases]"))
    expect(page.locator(".scope-note")).to_contain_text(urban.name)
    check_at_phone_width(page)
    row = list_rows(page)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case.site.name)
    follow(page, row.locator(f"a[href='{case.get_absolute_url()}']"))
    status = page.locator(".case-status").first
    expect(status).to_have_class(re.compile(rf"\bcase-{CaseStatus.DISPATCHED}\b"))
    check_at_phone_width(page)

    act_on_case(page, CaseAction.ACCEPT)
    expect(status).to_have_class(re.compile(rf"\bcase-{CaseStatus.HANDLING}\b"))
    act_on_case(
        page, CaseAction.FINISH, comment="已责令清理，堆放物已搬回店内", photo="cleared.png"
    )
    expect(status).to_have_class(re.compile(rf"\bcase-{CaseStatus.HANDLED}\b"))
    expect(status).to_have_text("处置完毕")
    finished = page.locator("table.data-table tr", has_text="已责令清理")
    expect(finished.locator("a")).to_have_count(1)  # the photo
    expect(page.locator("form.case-action-form")).to_have_count(0)  # nothing waits on urban now

    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLED
    event = case.events.get(to_status=CaseStatus.HANDLED)
    assert event.actor == people["urban"]
    assert event.attachments.count() == 1

    assert page.errors == []


# The commerce bureau --------------------------------------------------------------------------


def test_commerce_admin_closes_the_case_and_downloads_the_meeting_pack(browser_page, people):
    page = browser_page
    case = piling_case(people=people, up_to=CaseStatus.HANDLED)

    log_in_to_dashboard(page, people["commerce"])
    expect(page.locator(".dashboard-scope")).to_have_attribute("data-scope", "county")
    expect(figure(page, "open-cases")).to_have_text("1")

    # From the cases in the navigation to the case, verified on site and closed.
    follow(page, page.locator(f"#main-nav a[href='{reverse('inspections:case-list')}']"))
    follow(page, list_rows(page).locator(f"a[href='{case.get_absolute_url()}']"))
    status = page.locator(".case-status").first
    expect(status).to_have_class(re.compile(rf"\bcase-{CaseStatus.HANDLED}\b"))
    act_on_case(page, CaseAction.VERIFY_PASS, comment="现场核查：人行道已清理干净")
    expect(status).to_have_class(re.compile(rf"\bcase-{CaseStatus.VERIFIED}\b"))
    act_on_case(page, CaseAction.CLOSE)
    expect(status).to_have_class(re.compile(rf"\bcase-{CaseStatus.CLOSED}\b"))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on_time is True

    # The dashboard counts it closed, on time, this month.
    page.goto(reverse("dashboards:dashboard"))
    wait_for_dashboard(page)
    expect(figure(page, "open-cases")).to_have_text("0")
    expect(figure(page, "on-time-rate")).to_have_text(re.compile(r"^100(\.0)?%$"))

    # The meeting pack for the joint meeting: the dashboard's period and figures, as a workbook.
    period_label = page.locator(".dashboard-head h1 small").inner_text()
    with page.expect_download() as started:
        page.click("a.meeting-pack-link")
    pack = started.value
    assert pack.failure() is None
    assert re.fullmatch(r"联席会议材料_.+_\d{8}\.xlsx", pack.suggested_filename)
    pack.save_as(ARTIFACTS / "meeting-pack.xlsx")
    cover = load_workbook(ARTIFACTS / "meeting-pack.xlsx").worksheets[0]
    values = [row[1] for row in cover.iter_rows(values_only=True) if len(row) > 1]
    assert period_label in values
    assert any(re.fullmatch(r"100(\.0)?%", str(value)) for value in values)  # closed on time

    assert page.errors == []
