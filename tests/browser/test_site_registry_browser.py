"""The maps in a real browser: a township officer registers a site, setting its position on the
map, and finds it in the site list and on the county map; the county map draws tiers, statuses,
clusters and the villages layer; configured tiles are used. Every page runs without a
JavaScript error or a Content-Security-Policy violation (both reach the console)."""

import re

import leaflet
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Township, Village
from sites.choices import UNREGISTERED_STATUSES
from sites.models import Site
from sites.services import register_site
from tests.factories import make_user

from .conftest import ARTIFACTS, fill_collection_point_form, log_in

DIPU = "330523001"  # 递铺街道
ANJI_LATITUDES = (30.2, 30.9)
ANJI_LONGITUDES = (119.2, 119.9)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for_map(page, selector=".portal-map"):
    page.wait_for_selector(f"{selector}[data-map-state=ready]")
    return page.locator(selector)


def register(*, actor, township_code, tier, status, offset=(0.0, 0.0), **fields):
    """A site near its township's centre, registered through the service."""
    township = Township.objects.get(code=township_code)
    village = None
    if tier == 3 and status not in UNREGISTERED_STATUSES:
        village = Village.objects.filter(township=township, is_active=True).first()
    site = Site(
        name=fields.pop("name", f"{township.name}{tier}级{status}"),
        tier=tier,
        status=status,
        township=township,
        village=village,
        venue_type="community" if village else "",
        address=f"{township.name}测试路",
        latitude=round(float(township.latitude) + offset[0], 6),
        longitude=round(float(township.longitude) + offset[1], 6),
        **fields,
    )
    return register_site(site=site, actor=actor)


def test_officer_registers_a_site_on_the_map_and_finds_it_in_the_list_and_on_the_map(
    browser_page,
):
    page = browser_page
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    log_in(page, officer)

    # The registration form: fill it, then click the map for the position.
    page.goto(reverse("sites:site-create"))
    fill_collection_point_form(
        page,
        name="递铺浏览器测试回收点",
        address="递铺街道浏览器路1号",
        township_id=officer.township_id,
    )

    picker = wait_for_map(page)
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert ANJI_LATITUDES[0] <= latitude <= ANJI_LATITUDES[1]
    assert ANJI_LONGITUDES[0] <= longitude <= ANJI_LONGITUDES[1]
    assert re.fullmatch(r"\d+\.\d{6}", page.input_value("#id_latitude"))
    marker = picker.locator(".leaflet-marker-icon.leaflet-marker-draggable")
    expect(marker).to_have_count(1)

    # Typing a position moves the marker: a little north is higher up on the screen.
    before = marker.bounding_box()
    latitude = round(latitude + 0.01, 6)
    page.fill("#id_latitude", f"{latitude:.6f}")
    assert marker.bounding_box()["y"] < before["y"]
    page.screenshot(
        path=ARTIFACTS / "site-form-position.png", full_page=True, animations="disabled"
    )

    page.click("form.edit-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/sites/\d+/$"))
    site = Site.objects.get(name="递铺浏览器测试回收点")
    assert float(site.latitude) == pytest.approx(latitude, abs=1e-6)
    assert float(site.longitude) == pytest.approx(longitude, abs=1e-6)
    assert site.township.code == DIPU
    wait_for_map(page)  # the site page's small map
    page.screenshot(path=ARTIFACTS / "site-detail.png", full_page=True, animations="disabled")

    # Its edit page shows the position it has, ready to be dragged.
    page.goto(reverse("sites:site-update", args=[site.pk]))
    expect(wait_for_map(page).locator(".leaflet-marker-draggable")).to_have_count(1)
    expect(page.locator("#id_latitude")).to_have_value(f"{latitude:.6f}")

    # The site list shows it.
    page.goto(reverse("sites:site-list"))
    expect(page.locator("table.data-table")).to_contain_text(site.name)
    expect(page.locator("table.data-table")).to_contain_text(site.code)

    # The county map shows it as a marker whose popup links to the site.
    page.goto(reverse("sites:site-map"))
    county_map = wait_for_map(page)
    expect(county_map).to_have_attribute("data-feature-count", "1")
    expect(
        county_map.locator(".leaflet-portal-townships-pane .portal-map-township")
    ).not_to_have_count(0)
    site_marker = county_map.locator("path.portal-map-site.tier-3.status-operating")
    expect(site_marker).to_have_count(1)
    site_marker.click()
    popup = county_map.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(site.name)
    expect(popup).to_contain_text(site.code)
    expect(popup.locator("a")).to_have_attribute("href", site.get_absolute_url())
    expect(county_map.locator(".portal-map-legend")).to_be_visible()
    page.mouse.move(0, 0)
    page.screenshot(path=ARTIFACTS / "site-map.png", full_page=True, animations="disabled")

    # The filters apply to the map too, without reloading the page.
    page.select_option("#id_tier", "2")
    expect(county_map).to_have_attribute("data-feature-count", "0")
    expect(page).to_have_url(re.compile(r"/sites/map/\?(.*&)?tier=2(&|$)"))
    page.select_option("#id_tier", "3")
    expect(county_map).to_have_attribute("data-feature-count", "1")

    assert page.errors == []


def test_county_map_draws_tiers_and_statuses_clusters_dense_sites_and_shows_villages(
    browser_page,
):
    page = browser_page
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    leader = make_user(Role.LEADER)
    spread = [
        ("330523001", 1, "operating"),
        ("330523105", 2, "under_construction"),
        ("330523104", 3, "planned"),
        ("330523106", 3, "rectifying"),
        ("330523107", 3, "suspended"),
        ("330523110", 3, "banned"),
        ("330523111", 3, "closed"),
        ("330523206", 3, "illegal"),
    ]
    for township_code, tier, status in spread:
        register(actor=admin, township_code=township_code, tier=tier, status=status)
    dense = 12  # collection points a few hundred metres apart in 天荒坪镇
    for number in range(dense):
        register(
            actor=admin,
            township_code="330523108",
            tier=3,
            status="operating",
            offset=(0.001 * (number % 4), 0.001 * (number // 4)),
            name=f"天荒坪回收点{number + 1}",
        )
    log_in(page, leader)

    page.goto(reverse("sites:site-map"))
    county_map = wait_for_map(page)
    expect(county_map).to_have_attribute("data-feature-count", str(len(spread) + dense))
    cluster = county_map.locator(".marker-cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_have_text(str(dense))
    for tier, status in {(tier, status) for _, tier, status in spread}:
        expect(
            county_map.locator(f"path.portal-map-site.tier-{tier}.status-{status}")
        ).to_have_count(1)
    legend = county_map.locator(".portal-map-legend")
    expect(legend.locator("li")).to_have_count(3 + len({status for *_, status in spread}))
    page.mouse.move(0, 0)
    page.screenshot(path=ARTIFACTS / "site-map-county.png", full_page=True, animations="disabled")

    cluster.click()  # zooms in until the points stand apart
    expect(county_map.locator("path.portal-map-site.tier-3.status-operating")).to_have_count(dense)
    expect(cluster).to_have_count(0)

    # The villages layer, as the coverage page uses it: unserved villages, those without a
    # position of their own at their township's centre.
    page.evaluate(
        """url => {
            const element = document.createElement("div");
            element.className = "portal-map";
            element.id = "villages-map";
            element.dataset.layer = "villages";
            element.dataset.geojson = url;
            document.querySelector("main").append(element);
            window.PortalMaps.initialise();
        }""",
        reverse("api:coverage-unserved-villages"),
    )
    villages_map = wait_for_map(page, "#villages-map")
    assert int(villages_map.get_attribute("data-feature-count")) > 0
    expect(villages_map.locator(".portal-map-legend li")).to_have_count(2)
    villages_map.scroll_into_view_if_needed()
    villages_map.screenshot(path=ARTIFACTS / "villages-map.png", animations="disabled")

    assert page.errors == []


def test_map_uses_the_tiles_a_deployment_configures(browser_page, monkeypatch):
    page = browser_page
    # Any same-origin image stands in for a tile server (the CSP lets tiles come from
    # CSP_TILE_SOURCES; the test serves its "tiles" from the portal itself).
    tile_url = "/static/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    monkeypatch.setitem(leaflet.app_settings, "TILES", [["测试底图", tile_url, "© 测试"]])
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    register(actor=officer, township_code=DIPU, tier=2, status="operating")
    log_in(page, officer)

    page.goto(reverse("sites:site-map"))
    site_map = wait_for_map(page)

    expect(site_map.locator("img.leaflet-tile-loaded").first).to_be_visible()
    expect(site_map).not_to_have_class(re.compile(r"portal-map-plain"))
    expect(site_map.locator(".portal-map-township")).to_have_count(0)
    expect(site_map.locator(".leaflet-control-attribution")).to_contain_text("© 测试")
    assert page.errors == []
