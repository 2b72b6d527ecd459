"""A grid worker's phone (issue #17): 我的巡查 fits 390 px with a big 上报 button per task, the
nearest first; the portal installs (manifest, service worker); with the network off the
patrol pages and the report form still open, a report with a photo waits on the phone as 待上传
and is sent when the network returns — and when the first send times out after the server
has filed it, the retry finds it filed: one inspection on the server.
Screenshots: test-artifacts/phone-offline-*.png (390 px) and laptop-offline-*.png (1366 px)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import ProblemCategory
from inspections.models import ChecklistItem, Evidence, Inspection, PatrolTask
from inspections.patrols import generate_patrol_tasks
from tests.factories import make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in
from .test_phone_report import DIPU, collection_point, png_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NETWORK_GONE = ("ERR_INTERNET_DISCONNECTED", "ERR_TIMED_OUT", "ERR_FAILED")


@pytest.fixture
def patrol(portal_data):
    """A grid worker of 递铺街道 with this period's tasks at a far and a near site."""
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    worker = make_user(Role.GRID_WORKER, township_code=DIPU, username="phone-grid")
    far = collection_point(
        actor=officer, name="递铺远处回收点", latitude="30.660000", longitude="119.700000"
    )
    near = collection_point(
        actor=officer, name="长乐社区回收点", latitude="30.638200", longitude="119.681100"
    )
    generate_patrol_tasks(today=timezone.localdate())
    assert PatrolTask.objects.filter(assigned_to=worker).count() == 2
    return worker, near, far


def unexpected(errors):
    """Console errors other than the requests the test cut off on purpose."""
    return [error for error in errors if not any(cause in error for cause in NETWORK_GONE)]


def test_manifest_and_worker_make_the_portal_installable(phone, patrol):
    page = phone
    log_in(page, patrol[0])
    manifest = page.locator("link[rel=manifest]")
    expect(manifest).to_have_attribute("href", reverse("pwa-manifest"))
    data = page.evaluate("async (url) => (await fetch(url)).json()", manifest.get_attribute("href"))
    assert data["display"] == "standalone" and data["start_url"] == "/"
    for icon in data["icons"]:
        status = page.evaluate("async (url) => (await fetch(url)).status", icon["src"])
        assert status == 200, icon
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == page.url.split("/patrols/")[0] + "/"
    assert page.errors == []


def test_offline_report_waits_on_the_phone_and_is_filed_once_after_a_timeout(phone, patrol):
    page = phone
    worker, near, far = patrol
    log_in(page, worker)

    # 我的巡查 asks for the position and reloads with it: the nearest task first.
    expect(page).to_have_url(re.compile(r"/patrols/\?lat=30\.638300&lng=119\.681200"))
    cards = page.locator(".patrol-card")
    expect(cards.first).to_contain_text(near.name)
    expect(cards.nth(1)).to_contain_text(far.name)
    report_button = cards.first.locator("a.patrol-card-report")
    expect(report_button).to_have_text("上报")
    box = report_button.bounding_box()
    assert box["height"] >= 48 and box["width"] >= PHONE["width"] * 0.7
    assert_fits(page)
    # The patrol pages are kept for offline use once the worker controls the page.
    expect(page.locator("html[data-offline-ready=true]")).to_have_count(1, timeout=20_000)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.screenshot(path=ARTIFACTS / "phone-offline-patrols-online.png", full_page=True)

    # The network goes.
    page.context.set_offline(True)
    report_button.click()
    expect(page).to_have_url(re.compile(reverse("inspections:report-file", args=[near.pk])))
    expect(page.locator("h1")).to_have_text("巡查上报")
    expect(page.locator(".offline-banner")).to_be_visible()
    form_text = page.locator(".report-form").inner_text()
    assert "WGS-84" not in form_text and "精度约 0 米" not in form_text

    # 全部符合 answers every question yes and moves on; one "no" then opens its problem.
    page.click("[data-all-yes]")
    questions = ChecklistItem.objects.filter(is_active=True).count()
    expect(page.locator("[data-question] input[value=yes]:checked")).to_have_count(questions)
    expect(page.locator("input[name=result][value=passed]")).to_be_checked()
    goods_inside = ChecklistItem.objects.get(code="goods_inside")
    page.locator(f"label[for=id_item_{goods_inside.pk}_1]").click()
    appearance = ProblemCategory.objects.get(code="appearance")
    expect(page.locator("#id_findings-0-category")).to_have_value(str(appearance.pk))
    expect(page.locator("input[name=result][value=problems]")).to_be_checked()
    page.fill("#id_findings-0-description", "废纸板堆放在店外人行道上")
    page.set_input_files(
        "#id_findings-0-photos",
        files=[{"name": "piling.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "phone-offline-report-form.png", full_page=True)
    page.set_viewport_size(LAPTOP)
    page.screenshot(path=ARTIFACTS / "laptop-offline-report-form.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.click(".report-submit button[type=submit]")

    # Queued on the phone: back on 我的巡查 (kept), the report waits as 待上传.
    expect(page).to_have_url(re.compile(r"/patrols/"))
    waiting = page.locator("[data-outbox-report]")
    expect(waiting).to_have_count(1)
    expect(waiting).to_have_attribute("data-state", "waiting")
    expect(waiting).to_contain_text("待上传")
    expect(waiting).to_contain_text(near.name)
    expect(page.locator(f"[data-task-site='{near.pk}'] .patrol-card-queued")).to_be_visible()
    assert Inspection.objects.count() == 0
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "phone-offline-queued.png", full_page=True)

    # The first send reaches the server but its answer never arrives (a timeout).
    posts = []

    def first_times_out(route):
        posts.append(route.request.headers.get("x-requested-with"))
        if len(posts) == 1:
            route.fetch()  # the server files the report ...
            route.abort("timedout")  # ... and the phone never hears of it
        else:
            route.continue_()

    page.route(
        re.compile(r"/report/site/\d+/"),
        lambda route: (
            first_times_out(route) if route.request.method == "POST" else route.continue_()
        ),
    )
    page.context.set_offline(False)

    expect(waiting).to_have_attribute("data-state", "sent", timeout=30_000)
    assert len(posts) == 2 and set(posts) == {"outbox"}
    expect(waiting).to_contain_text("已上传")
    inspection = Inspection.objects.get()  # exactly one
    assert inspection.site == near and inspection.inspector == worker
    assert inspection.idempotency_key is not None
    finding = inspection.findings.get()
    assert finding.category == appearance
    assert Evidence.objects.filter(finding=finding).count() == 1
    assert PatrolTask.objects.get(site=near).inspection == inspection
    expect(waiting.locator("a")).to_have_attribute("href", inspection.get_absolute_url())
    expect(page.locator(f"[data-task-site='{near.pk}'] .patrol-card-sent")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "phone-offline-sent.png", full_page=True)

    page.set_viewport_size(LAPTOP)
    page.screenshot(path=ARTIFACTS / "laptop-offline-sent.png", full_page=True)
    # Reloading sends nothing again.
    page.reload()
    expect(page.locator("[data-outbox-report][data-state=sent]")).to_have_count(1)
    page.wait_for_timeout(1000)
    assert Inspection.objects.count() == 1 and len(posts) == 2
    assert unexpected(page.errors) == []
    assert inspection.inspected_at > timezone.now() - dt.timedelta(hours=1)
