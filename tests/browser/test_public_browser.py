"""A resident on a phone (390×844), without an account: finds the nearest recycling point
with 离我最近, files a report of an illegal point with a photo (the form says 附近已有人反映
first), and follows it on the private link, where the township's reply appears. No JavaScript
error, nothing wider than the screen."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import ProblemCategory, Township
from public.models import PublicReport, PublicReportPhoto
from public.services import file_public_report, reply_to_report
from tests.factories import make_site, make_user

from .conftest import ARTIFACTS, PHONE

DIPU = "330523001"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 90, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_resident_finds_the_nearest_point_reports_with_a_photo_and_follows_it(phone):
    page = phone
    commerce = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    for index in range(25):  # more than a page, the nearest one last by number
        make_site(
            actor=commerce,
            name=f"远处回收点{index:02d}",
            latitude=Decimal("30.45") + Decimal("0.001") * index,
            longitude=Decimal("119.60"),
        )
    make_site(
        actor=commerce,
        name="长乐社区回收点",
        latitude=Decimal("30.6390"),
        longitude=Decimal("119.6815"),
        opening_hours="每天 8:00–17:00",
    )
    appearance = ProblemCategory.objects.get(code="appearance")
    file_public_report(
        report=PublicReport(
            kind="illegal_point",
            township=Township.objects.get(code=DIPU),
            category=appearance,
            place="长乐路桥下",
            description="已有居民反映",
            latitude=Decimal("30.6385"),
            longitude=Decimal("119.6813"),
        )
    )

    # 离我最近: the nearest point heads the first page although its number comes last.
    page.goto(reverse("public:site-list"))
    expect(page.locator("h1")).to_have_text("查找回收点")
    page.click("#public-nearest")
    expect(page).to_have_url(re.compile(r"near=30\.638%2C119\.681"))
    first = page.locator("#public-sites > li").first
    expect(first.locator("h2 a")).to_have_text("长乐社区回收点")
    expect(first.locator("[data-distance]")).to_have_text("0.1 公里")
    expect(first).to_contain_text("每天 8:00–17:00")
    expect(page.locator(".pagination")).to_contain_text("共 26")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "public-nearest-390.png"), full_page=True)

    # The report: position from the phone, a photo, the sum; 附近已有人反映 before sending.
    page.click("text=举报非法回收点")
    expect(page.locator("h1")).to_have_text("我要举报")
    page.select_option("#id_township", label="递铺街道")
    page.select_option("#id_category", str(appearance.pk))
    page.fill("#id_place", "长乐路桥下东侧空地")
    page.fill("#id_description", "有人在空地上收购废品，堆放杂乱")
    page.click("#public-report-locate")
    expect(page.locator("#id_latitude")).to_have_value("30.638300")
    expect(page.locator("#public-report-nearby")).to_be_visible()
    expect(page.locator("#public-report-nearby")).to_contain_text("附近已有人反映")
    page.set_input_files(
        "#id_photos", files=[{"name": "scene.png", "mimeType": "image/png", "buffer": _png()}]
    )
    question = page.locator("label[for=id_challenge_answer]").inner_text()
    first_term, second_term = re.search(r"(\d+) \+ (\d+)", question).groups()
    page.fill("#id_challenge_answer", str(int(first_term) + int(second_term)))
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "public-report-form-390.png"), full_page=True)
    # The answer field opens the digit keyboard without being an <input type=number> (whose
    # scroll-into-view on pointer-down moved the page and made the tap on 提交 miss).
    answer = page.locator("#id_challenge_answer")
    assert answer.get_attribute("type") == "text" and answer.get_attribute("inputmode") == "numeric"
    # Sent by tapping 提交 right after typing the answer, as a resident does.
    submit = page.get_by_role("button", name="提交举报")
    submit.scroll_into_view_if_needed()
    before = submit.bounding_box()
    page.mouse.move(before["x"] + 5, before["y"] + 5)
    page.mouse.down()
    after = submit.bounding_box()
    assert abs(after["y"] - before["y"]) < 2, "the page moved under the finger"
    with page.expect_navigation(timeout=30_000):
        page.mouse.up()
    expect(page.locator("h1")).to_have_text("我的举报")
    report = PublicReport.objects.latest("pk")
    expect(page.locator("[data-tracking-number]")).to_have_text(report.tracking_number)
    expect(page.locator("[data-public-status]")).to_contain_text("已受理")
    assert PublicReportPhoto.objects.filter(report=report).count() == 1
    assert report.case.status == "reported" and report.latitude == Decimal("30.638300")
    tracking_url = page.url

    # The township answers; the resident's link shows the status and the reply only.
    reply_to_report(
        report=report, actor=officer, status="registered", reply="已派网格员核查，将依法处理。"
    )
    page.goto(tracking_url)
    expect(page.locator("[data-public-status]")).to_contain_text("已立案")
    expect(page.locator("[data-public-reply]")).to_have_text("已派网格员核查，将依法处理。")
    assert report.case.number not in page.content()
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "public-report-status-390.png"), full_page=True)
    assert page.errors == []
