"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's
live server.

The live server needs a transactional database, so browser tests are marked
`django_db(transaction=True, serialized_rollback=True)` and use `portal_data`; tests/conftest.py
says why.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives a real browser (Chromium) against the live server"
    )


@pytest.fixture
def portal_data(transactional_portal_data, live_server):
    """Anji's reference data for a live-server test (see tests/conftest.py)."""


def record_console_error(errors, message):
    if message.type != "error":
        return
    url = message.location.get("url", "")
    # Browsers ask for /favicon.ico when a page names no icon; base.html names none yet.
    if urlsplit(url).path == "/favicon.ico":
        return
    errors.append(f"console: {message.text} ({url})")


@pytest.fixture
def browser_page(live_server, portal_data, monkeypatch):
    """A Chromium page on the live server, with the JavaScript errors it meets:
    `page.errors` lists every console error and uncaught exception."""
    if not CHROMIUM.exists():
        pytest.fail("Browser tests need Debian's chromium: apt-get install chromium")
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors = []
        page.on("console", lambda message: record_console_error(errors, message))
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.errors = errors
        try:
            yield page
        finally:
            context.close()
            browser.close()


# Steps the browser tests share ------------------------------------------------------------------


def log_in(page, user):
    """Through the login form; the portal opens at its home page (for a user with a role,
    我的待办; a grid worker's is 我的巡查)."""
    # The previous page's own requests (a dashboard's figures) may still be answering with the
    # previous user's session cookie: let them finish and leave the page before clearing.
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    login_url = page.url
    page.click("form button[type=submit].primary")
    # Signed in once the browser has left the login page for the home page (not before: the
    # login page's own address also ends in "/").
    page.wait_for_url(lambda url: url != login_url)
    # (我的巡查 may reload itself with the phone's position, nearest tasks first.)
    expect(page).to_have_url(re.compile(r"/(patrols/(\?lat=[-\d.]+&lng=[-\d.]+)?)?$"))


def fill_collection_point_form(page, *, name, address, township_id):
    """The site registration form, for an operating collection point in the officer's township
    (its first village); the position is left to the test."""
    page.fill("#id_name", name)
    page.select_option("#id_tier", "3")
    page.select_option("#id_status", "operating")
    expect(page.locator("#id_township")).to_have_value(str(township_id))
    village = page.locator("#id_village option:not([value=''])").first.get_attribute("value")
    page.select_option("#id_village", village)
    page.select_option("#id_venue_type", "community")
    page.fill("#id_address", address)


PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


HERE = {"latitude": 30.6383, "longitude": 119.6812, "accuracy": 15}  # 长乐社区, 递铺街道


@pytest.fixture
def phone(browser_page, live_server):
    """The browser page at phone size, where the phone gives its position (HERE)."""
    page = browser_page
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation(HERE)
    return page


def assert_fits(page):
    """Nothing on the page is wider than the window: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, (page.url, width, viewport)


@pytest.fixture
def reported_cases(portal_data):
    """The commerce bureau's user, and two cases reported by a grid worker at a 长乐社区 site
    (递铺街道) whose long name has to wrap: a fire hazard and unlicensed trading."""
    from accounts.choices import Role
    from agencies.models import ProblemCategory, Village
    from inspections.services import FindingInput, file_inspection
    from tests.factories import make_site, make_user

    commerce = make_user(Role.COMMERCE_ADMIN, username="browser-commerce")
    site = make_site(
        actor=commerce,
        village=Village.objects.get(code="330523001018"),
        name="长乐社区再生资源回收点（一个相当长的名字用来检验换行）",
    )
    grid = make_user(Role.GRID_WORKER, username="browser-grid", township_code="330523001")
    inspection = file_inspection(
        site=site,
        inspector=grid,
        result="problems",
        findings=[
            FindingInput(category=ProblemCategory.objects.get(code=code), description="问题")
            for code in ("fire_hazard", "unlicensed")
        ],
    )
    return commerce, [finding.case for finding in inspection.findings.order_by("pk")]
