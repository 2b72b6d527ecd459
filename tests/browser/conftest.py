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
    """Through the login form; the portal opens at its home page (for a user with a role, their
    dashboard)."""
    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/$"))


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
