"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's
live server.

The live server needs a transactional database, which pytest-django flushes after each test,
wiping what the migrations put in (the role groups and their permissions, materials, targets,
problem categories, the checklist) and Anji's reference data that tests/conftest.py loads once
per session. So browser tests are marked `django_db(transaction=True, serialized_rollback=True)`:
Django then restores the migrations' rows before each of them, from the copy it serialised when
it created the test database; `portal_data` loads the reference data again. At the end of the
session `restore_portal_data_after_flush` puts both back once more, so a database kept with
--reuse-db is whole for the next run.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright

from accounts.roles import group_name
from agencies.reference import load_reference_data

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives a real browser (Chromium) against the live server"
    )


def restore_migrated_rows():
    """The rows the migrations created, from the copy Django serialised with the test database
    (kept only when a test asks for serialized rollback)."""
    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def restore_portal_data_after_flush(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        from django.contrib.auth.models import Group

        if not Group.objects.filter(name=group_name("leader")).exists():
            restore_migrated_rows()
        load_reference_data()


@pytest.fixture
def portal_data(restore_portal_data_after_flush, live_server):
    """Anji's reference data, inside the test (the role groups and seeded rows come back with
    the serialized rollback)."""
    load_reference_data()


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
