"""No console errors on any page (issue #17): every role, and an anonymous visitor, opens in
Chromium every page of the URLconf that takes no id and every detail (and history) page of
tests/test_pages.py's rows, at 1366 px. A console error, an uncaught exception or a failed
request of the portal's own static files fails the test, naming the role and the page. At
390 px, the grid worker's pages and the public ones fit the phone's width.

One browser, one context per role, the data built once; requests to other hosts (map tiles a
deployment may configure) are answered with an empty image, never sent."""

import base64
import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import sync_playwright

from accounts.choices import Role
from tests.test_pages import DETAIL_PAGES, detail_objects  # noqa: F401  (the fixture)
from tests.urlconf import named_urls

from .conftest import CHROMIUM, CHROMIUM_ARGS, LAPTOP, PHONE, log_in, record_console_error

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NO_ID_PAGES = [name for name, args in named_urls().items() if not args]
PUBLIC_NAMESPACE = "public:"
# A 1×1 transparent PNG, answering every request to another host.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
QUIET_SECONDS = 0.1  # a page is settled once nothing has been under way this long


def other_hosts(live_server_url):
    host = re.escape(urlsplit(live_server_url).netloc)
    return re.compile(rf"^[a-z]+://(?!{host}/)")


class Watch:
    """The errors a context's pages meet, and the requests still under way."""

    def __init__(self, context, origin):
        self.origin = origin
        self.errors = []
        self.pending = set()
        self.last_activity = time.monotonic()
        context.on("request", self._started)
        context.on("requestfinished", self._finished)
        context.on("requestfailed", self._failed)
        context.on("response", self._answered)

    def attach(self, page):
        page.on("console", lambda message: record_console_error(self.errors, message))
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _own_static(self, url):
        return url.startswith(f"{self.origin}/{settings.STATIC_URL.strip('/')}/")

    def _started(self, request):
        self.pending.add(request)
        self.last_activity = time.monotonic()

    def _finished(self, request):
        self.pending.discard(request)
        self.last_activity = time.monotonic()

    def _failed(self, request):
        self._finished(request)
        if self._own_static(request.url) and not any(request.url in e for e in self.errors):
            self.errors.append(f"static file failed: {request.url} ({request.failure})")

    def _answered(self, response):
        if self._own_static(response.url) and response.status >= 400:
            self.errors.append(f"static file {response.status}: {response.url}")

    def settle(self, page, timeout=10.0):
        """Until the page's own requests (a map's GeoJSON, a dashboard's figures) are in."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pending and time.monotonic() - self.last_activity > QUIET_SECONDS:
                return
            page.wait_for_timeout(30)


def assert_the_watch_sees_a_missing_script(page, watch):
    """The walk can fail: a script of the portal's that is not there is seen (its 404, and the
    console's error)."""
    page.goto(reverse("accounts:login"))
    page.evaluate(
        """src => new Promise(done => {
            const script = document.createElement("script");
            script.src = src;
            script.onerror = done;
            document.head.append(script);
        })""",
        f"/{settings.STATIC_URL.strip('/')}/js/no-such-file.js",
    )
    watch.settle(page)
    assert len([error for error in watch.errors if "no-such-file.js" in error]) == 2, watch.errors


def html_pages(context, urls):
    """Of these URLs, those the context's user opens as a page (200, HTML, no redirect)."""
    pages = []
    for url in urls:
        response = context.request.get(url, max_redirects=0)
        if response.status == 200 and "text/html" in response.headers.get("content-type", ""):
            pages.append(url)
        response.dispose()
    return pages


def open_all(page, watch, urls, *, width):
    """Opens each URL; returns {url: errors} for those that met any, and the widths that
    overflow at `width`."""
    found, overflowing = {}, {}
    for url in urls:
        del watch.errors[:]
        page.goto(url)
        watch.settle(page)
        if watch.errors:
            found[url] = list(watch.errors)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            overflowing[url] = scroll_width
    return found, overflowing


def test_no_page_meets_a_console_error_for_any_role(
    portal_data,
    live_server,
    users_by_role,
    detail_objects,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert sorted(detail_objects) == sorted(DETAIL_PAGES), "a detail page without a row"
    no_id = [reverse(name) for name in NO_ID_PAGES]
    details = [reverse(name, args=args) for name, args in detail_objects.items()]
    public = [reverse(name) for name in NO_ID_PAGES if name.startswith(PUBLIC_NAMESPACE)]
    visitors = {"anonymous": None, **users_by_role}

    problems, checked = [], {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for role, user in visitors.items():
                context = browser.new_context(
                    base_url=live_server.url, locale="zh-CN", viewport=LAPTOP
                )
                context.set_default_timeout(10_000)
                context.route(
                    other_hosts(live_server.url),
                    lambda route: route.fulfill(body=BLANK_PNG, content_type="image/png"),
                )
                watch = Watch(context, live_server.url)
                page = context.new_page()
                watch.attach(page)
                if user is not None:
                    log_in(page, user)
                else:
                    assert_the_watch_sees_a_missing_script(page, watch)
                started = time.monotonic()
                pages = html_pages(context, no_id + details)
                checked[role] = len(pages)
                found, _ = open_all(page, watch, pages, width=LAPTOP["width"])
                problems += [f"{role} {url}: {errors}" for url, errors in found.items()]
                if role in ("anonymous", Role.GRID_WORKER):
                    page.set_viewport_size(PHONE)
                    phone_pages = public if role == "anonymous" else pages
                    found, overflowing = open_all(page, watch, phone_pages, width=PHONE["width"])
                    problems += [f"{role} 390px {url}: {errors}" for url, errors in found.items()]
                    problems += [
                        f"{role} 390px {url}: {width}px wide" for url, width in overflowing.items()
                    ]
                print(f"{role}: {checked[role]} pages in {time.monotonic() - started:.0f} s")
                context.close()
        finally:
            browser.close()

    # The walk opened real pages: most for the county, some for everyone.
    assert checked[Role.COMMERCE_ADMIN] >= len(details) + 50, checked
    assert min(checked.values()) >= 1, checked
    assert problems == [], "\n".join(problems)
