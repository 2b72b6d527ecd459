"""A grid worker files a patrol report on a phone (390×844): the site chooser puts the nearest
site first from the phone's position, the form takes the position, a checklist "no" suggests the
problem, a photo goes with it; the case opened lands in the urban enforcement bureau's queue.
Recording an unregistered point leads to its report. No JavaScript error, no CSP violation."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import ProblemCategory, Township, Village
from inspections.models import Case, ChecklistItem, Evidence, Inspection
from sites.models import Site
from sites.services import register_site
from tests.factories import make_user

from .conftest import ARTIFACTS, PHONE, log_in

DIPU = "330523001"  # 递铺街道
CHANGLE = "330523001018"  # 长乐社区: urban-rural code 121, built-up
MIN_TOUCH = 44

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (170, 90, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def collection_point(*, actor, name, latitude, longitude):
    return register_site(
        site=Site(
            name=name,
            tier=3,
            status="operating",
            township=Township.objects.get(code=DIPU),
            village=Village.objects.get(code=CHANGLE),
            venue_type="community",
            address="递铺街道长乐路18号",
            latitude=latitude,
            longitude=longitude,
        ),
        actor=actor,
    )


def assert_fits_the_phone(page):
    """Nothing wider than the screen, and every control of the form big enough to tap."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    too_small = page.evaluate(
        """minimum => Array.from(document.querySelectorAll(
                ".report-page button, .report-page .choice span, .report-page select, "
                + ".report-page input:not([type=hidden]):not([type=radio]):not([type=checkbox]), "
                + ".report-page textarea, .report-page .report-check label"))
            .filter(element => element.offsetParent !== null)
            .filter(element => !element.closest("template, .portal-map"))
            .filter(element => element.getBoundingClientRect().height < minimum)
            .map(element => element.outerHTML.slice(0, 80))""",
        MIN_TOUCH,
    )
    assert too_small == []


def test_grid_worker_files_a_report_on_a_phone_and_the_case_reaches_urban_enforcement(phone):
    page = phone
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    grid_worker = make_user(Role.GRID_WORKER, township_code=DIPU)
    urban_officer = make_user(Role.AGENCY_OFFICER, agency_code="urban")
    collection_point(
        actor=officer, name="递铺远处回收点", latitude="30.660000", longitude="119.700000"
    )
    site = collection_point(
        actor=officer, name="长乐社区回收点", latitude="30.638200", longitude="119.681100"
    )
    log_in(page, grid_worker)

    # The chooser asks for the position and reloads with it: the nearest site first.
    page.goto(reverse("inspections:report-choose-site"))
    expect(page).to_have_url(re.compile(r"[?&]lat=30\.638300&lng=119\.681200"))
    first = page.locator("a.report-site").first
    expect(first).to_contain_text(site.name)
    assert_fits_the_phone(page)
    page.screenshot(path=ARTIFACTS / "phone-report-choose-site.png", full_page=True)
    first.click()

    # The report form: the position comes from the phone.
    expect(page).to_have_url(re.compile(reverse("inspections:report-file", args=[site.pk])))
    expect(page.locator("#id_latitude")).to_have_value("30.638300")
    expect(page.locator("#id_longitude")).to_have_value("119.681200")
    assert_fits_the_phone(page)

    # "Goods kept inside?" — no: the problem is suggested with its category.
    goods_inside = ChecklistItem.objects.get(code="goods_inside")
    page.locator(f"label[for=id_item_{goods_inside.pk}_1]").click()
    appearance = ProblemCategory.objects.get(code="appearance")
    expect(page.locator("#id_findings-0-category")).to_have_value(str(appearance.pk))
    expect(page.locator("#id_findings-0-description")).to_have_value(
        re.compile(re.escape(goods_inside.text))
    )
    page.fill("#id_findings-0-description", "废纸板堆放在店外人行道上")
    page.set_input_files(
        "#id_findings-0-photos",
        files=[{"name": "piling.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    expect(page.locator("[data-previews] img")).to_have_count(1)
    expect(page.locator("input[name=result][value=problems]")).to_be_checked()

    # Another problem can be added and taken back again.
    page.click("[data-add-finding]")
    expect(page.locator("[data-finding]")).to_have_count(2)
    expect(page.locator("#id_findings-1-category")).to_be_visible()
    page.locator("[data-finding]").nth(1).locator("[data-remove-finding]").click()
    expect(page.locator("[data-finding]")).to_have_count(1)
    expect(page.locator("#id_findings-TOTAL_FORMS")).to_have_value("1")

    page.locator("[data-finding]").first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "phone-report-form.png", full_page=True)
    page.click(".report-submit button[type=submit]")

    # Filed: the message names the case, routed to 县综合执法局 (built-up area).
    inspection = Inspection.objects.get()
    expect(page).to_have_url(re.compile(rf"{inspection.get_absolute_url()}$"))
    case = Case.objects.get()
    assert case.lead_agency.code == "urban"
    assert Evidence.objects.get().finding.case == case
    message = page.locator(".message.success")
    expect(message).to_contain_text(case.number)
    expect(message.locator("a")).to_have_attribute("href", case.get_absolute_url())
    expect(page.locator(".report-finding-view img")).to_have_count(1)
    assert_fits_the_phone(page)
    page.screenshot(path=ARTIFACTS / "phone-report-filed.png", full_page=True)

    # The urban enforcement bureau finds the case in its queue (at a desk).
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, urban_officer)
    page.goto(reverse("inspections:case-list"))
    row = page.locator("table.data-table tbody tr", has_text=case.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(site.name)
    page.screenshot(path=ARTIFACTS / "phone-report-case-queue.png", full_page=True)

    assert page.errors == []


def test_grid_worker_records_an_illegal_point_on_a_phone_and_goes_on_to_its_report(phone):
    page = phone
    grid_worker = make_user(Role.GRID_WORKER, township_code=DIPU)
    log_in(page, grid_worker)

    page.goto(reverse("inspections:report-choose-site"))
    expect(page).to_have_url(re.compile(r"lat="))
    page.click("a.report-illegal")

    # The position comes from the phone and shows on the map, which centres on it.
    expect(page.locator("#id_latitude")).to_have_value("30.638300")
    point_map = page.locator(".portal-map")
    expect(point_map).to_have_attribute("data-map-state", "ready")
    expect(point_map.locator(".leaflet-marker-icon.leaflet-marker-draggable")).to_have_count(1)
    expect(page.locator("#id_township")).to_be_disabled()
    page.fill("#id_address", "递铺街道长乐路口空地")
    assert_fits_the_phone(page)
    page.screenshot(path=ARTIFACTS / "phone-illegal-point.png", full_page=True)
    page.click(".report-submit button[type=submit]")

    site = Site.objects.get(status="illegal")
    expect(page).to_have_url(re.compile(reverse("inspections:report-file", args=[site.pk])))
    expect(page.locator(".message.success")).to_contain_text(site.code)
    expect(page.locator(".report-site-card")).to_contain_text("无证回收点")
    assert site.township.code == DIPU
    assert str(site.latitude) == "30.638300"

    assert page.errors == []
