"""The market in a real browser: a station's officer records a receipt on a phone (390×844:
the form and the transfer list fit the screen, the list's filters fold behind 筛选), and the
commerce admin sees the tonnage change on the county dashboard and on the market dashboard,
whose ECharts charts draw without a JavaScript error, and whose recovery per resident divides
the point's 2 500 kg by 递铺街道's population (50 000: 0.05 kg) and says 未录入人口 elsewhere."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Township, TownshipPopulation
from agencies.services import save_township_population
from sites.models import Material
from tests.factories import make_site, make_user
from trade.models import Transfer

from .conftest import ARTIFACTS, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def network(portal_data):
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce", username="market-admin")
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code="330523001", username="dipu-station")
    materials = Material.objects.filter(code__in=["paper", "plastic"])
    centre = make_site(actor=admin, tier=1, name="安吉县再生资源分拣中心")
    station = make_site(
        actor=admin,
        tier=2,
        name="递铺街道再生资源中转分拣站（城东片区一场两用）",
        parent=centre,
        daily_capacity=Decimal("5"),
    )
    point = make_site(actor=admin, tier=3, name="递铺街道阳光社区回收点", parent=station)
    for site in (centre, station, point):
        site.materials.set(materials)
    save_township_population(
        population=TownshipPopulation(
            township=Township.objects.get(code="330523001"),
            year=2024,
            population=50000,
            source="演示数据",
        ),
        actor=admin,
    )
    return admin, officer, station, point


def tonnage(page) -> str:
    return page.locator('[data-figure="market-tonnage"] .figure').inner_text().strip()


def fits(page, width) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_a_receipt_on_a_phone_shows_on_the_commerce_dashboards(browser_page, network):
    page = browser_page
    page.set_default_timeout(30_000)  # the live server shares two cores with the suite
    admin, officer, station, point = network

    log_in(page, admin)
    page.goto(reverse("dashboards:dashboard"))  # the home page is the to-do list
    expect(page.locator('[data-figure="market-tonnage"]')).to_be_visible()
    before = tonnage(page)
    assert Decimal(before) == 0

    # The station's officer, on a phone: the list, its folded filters, the form.
    page.set_viewport_size(PHONE)
    log_in(page, officer)
    page.goto(reverse("trade:transfer-list"))
    filters = page.locator("details[data-filter-panel] form.filter-form")
    expect(filters).to_be_hidden()
    page.locator("details[data-filter-panel] > summary", has_text="筛选").click()
    expect(filters).to_be_visible()
    expect(page.locator("#id_site")).to_be_visible()
    assert fits(page, PHONE["width"])
    page.screenshot(path=str(ARTIFACTS / "market-transfers-phone.png"), full_page=True)

    page.get_by_role("link", name="登记交售").click()
    page.select_option("#id_from_site", str(point.pk))
    page.select_option("#id_to_site", str(station.pk))
    page.select_option("#id_material", label="废纸")
    page.fill("#id_weight_kg", "2500")
    page.fill("#id_unit_price", "1500")
    assert fits(page, PHONE["width"])
    page.screenshot(path=str(ARTIFACTS / "market-receipt-phone.png"), full_page=True)
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_text("3750.00")).to_be_visible()  # the amount: 2.5 t × 1500 元/吨
    transfer = Transfer.objects.get()
    assert (transfer.to_site, transfer.entered_by) == (station, officer)
    page.screenshot(path=str(ARTIFACTS / "market-receipt-saved-phone.png"), full_page=True)

    # The commerce admin, on a laptop: the county dashboard and the market dashboard.
    page.set_viewport_size(LAPTOP)
    log_in(page, admin)
    page.goto(reverse("dashboards:dashboard"))
    assert Decimal(tonnage(page)) == Decimal("2.5")
    page.goto(reverse("trade:dashboard"))
    page.wait_for_selector("body[data-dashboard-state=ready]")
    assert Decimal(tonnage(page)) == Decimal("2.5")
    charts = page.locator(".chart[data-chart]")
    assert charts.count() == 5
    for index in range(charts.count()):
        assert charts.nth(index).get_attribute("data-chart-state") == "ready"
    assert page.locator('.chart[data-chart="tonnageByMaterial"] canvas').count() == 1
    recovery = page.locator('table[data-table="recovery"]')
    dipu = recovery.locator("tr", has_text="递铺街道")
    expect(dipu.locator('[data-figure="kg-per-resident"]')).to_have_text("0.05")
    expect(recovery.locator("tr", has_text="昌硕街道")).to_contain_text("未录入人口")
    page.screenshot(path=str(ARTIFACTS / "market-dashboard.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("body[data-dashboard-state=ready]")
    assert fits(page, PHONE["width"])
    page.screenshot(path=str(ARTIFACTS / "market-dashboard-phone.png"), full_page=True)

    assert page.errors == []


def test_the_settlement_backlog_per_township_opens_its_transfers(browser_page, network):
    """A sale delivered 40 days ago and not settled counts in the paying station's township;
    its count opens the transfer list with exactly that transfer, on a laptop and a phone."""
    import datetime as dt

    from django.utils import timezone

    from trade import services

    admin, _officer, station, point = network
    services.record_transfer(
        transfer=Transfer(
            transferred_on=timezone.localdate() - dt.timedelta(days=40),
            from_site=point,
            to_site=station,
            material=Material.objects.get(code="paper"),
            weight_kg=Decimal("800"),
            unit_price=Decimal("1500"),
        ),
        actor=admin,
    )
    page = browser_page
    log_in(page, admin)
    for size, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.goto(reverse("trade:dashboard"))
        page.wait_for_selector("body[data-dashboard-state=ready]")
        row = page.locator('[data-table="backlog"] tbody tr')
        expect(row).to_have_count(1)
        expect(row.locator("td").first).to_have_text("递铺街道")
        expect(row.locator('[data-figure="backlog-count"]')).to_have_text("1")
        row.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"market-backlog-{name}.png"), full_page=True)
        assert fits(page, size["width"])
    row.locator('[data-figure="backlog-count"]').click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr")).to_contain_text("递铺街道阳光社区回收点")
    page.screenshot(path=str(ARTIFACTS / "market-backlog-list-phone.png"), full_page=True)
    assert not page.errors
