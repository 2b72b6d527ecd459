"""The site form's position picker in Chromium, at phone and laptop width: choosing a township
moves the map there and narrows the village list; a click far outside the township asks first;
a pair copied from 高德 (GCJ-02) is pasted with its 坐标系, the marker moves at once to its
WGS-84 conversion, which is what is stored and what the form shows when reopened."""

import re
from decimal import Decimal

import prcoords
import pytest
from django.db.models import Count, Q
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Township, Village
from anji_recycling.coordinates import CoordinateSystem, to_wgs84
from sites.models import Site
from tests.factories import make_site, make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def map_view(page):
    """The picker map's centre, zoom and size (Leaflet's own view of it)."""
    return page.evaluate(
        """() => {
            const map = document.querySelector('.portal-map').portalMap;
            const centre = map.getCenter();
            const size = map.getSize();
            return {lat: centre.lat, lng: centre.lng, zoom: map.getZoom(), x: size.x, y: size.y};
        }"""
    )


def located_township():
    """The township (not the county seat) with the most villages that have their own position,
    and one of those villages."""
    township = (
        Township.objects.exclude(code="330523001")
        .annotate(located=Count("villages", filter=Q(villages__latitude__isnull=False)))
        .order_by("-located", "code")
        .first()
    )
    village = Village.objects.filter(
        township=township, is_active=True, latitude__isnull=False
    ).first()
    return township, village


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_picker_follows_the_township_and_stores_a_pasted_gcj02_pair_as_wgs84(
    browser_page, viewport
):
    page = browser_page
    page.set_viewport_size(viewport)
    width = viewport["width"]
    township, village = located_township()
    log_in(page, make_user(Role.COMMERCE_ADMIN, username=f"picker-{width}"))

    page.goto(reverse("sites:site-create"))
    page.wait_for_selector(".portal-map[data-map-state=ready][data-pick-ready=true]")
    picker = page.locator(".position-picker")
    before = map_view(page)
    assert before["x"] > 0 and before["y"] > 0

    # Choosing the township moves the map to it and lists only its villages.
    page.fill("#id_name", "位置选取测试回收点")
    page.select_option("#id_tier", "3")
    page.select_option("#id_status", "operating")
    page.select_option("#id_township", str(township.pk))
    page.wait_for_function(
        "zoom => document.querySelector('.portal-map').portalMap.getZoom() > zoom",
        arg=before["zoom"],
    )
    after = map_view(page)
    assert after["x"] > 0 and after["y"] > 0  # fitted at its real size (390 px too)
    assert abs(after["lat"] - float(village.latitude)) < 0.15
    assert abs(after["lng"] - float(village.longitude)) < 0.15
    offered = page.eval_on_selector_all(
        "#id_village option:not([value=''])", "options => options.filter(o => !o.hidden).length"
    )
    assert offered == Village.objects.filter(township=township, is_active=True).count()

    # Choosing the village centres the map on it.
    page.select_option("#id_village", str(village.pk))
    page.wait_for_function("() => document.querySelector('.portal-map').portalMap.getZoom() === 15")
    centred = map_view(page)
    assert centred["lat"] == pytest.approx(float(village.latitude), abs=1e-4)
    assert centred["lng"] == pytest.approx(float(village.longitude), abs=1e-4)
    page.select_option("#id_venue_type", "community")
    page.fill("#id_address", f"{village}测试路8号")
    page.screenshot(path=ARTIFACTS / f"picker-township-{width}.png", full_page=True)
    picker.screenshot(path=ARTIFACTS / f"picker-township-map-{width}.png")

    # A click far outside the township asks first; declining leaves the position empty.
    page.evaluate(
        "() => document.querySelector('.portal-map').portalMap.setView([30.25, 119.25], 13)"
    )
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer)
    box = page.locator(".portal-map").bounding_box()
    page.locator(".portal-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    assert questions and township.name in questions[0] and "以外" in questions[0]
    expect(page.locator("#id_latitude")).to_have_value("")

    # GCJ-02 numbers far outside the county: the preview says so, and no marker stands.
    page.select_option("#id_coordinate_system", CoordinateSystem.GCJ02)
    page.fill("#id_pasted_position", "121.473701,31.230416")  # 上海, as 高德 shows it
    expect(page.locator("#position-preview-error")).to_be_visible()
    expect(page.locator("#position-preview-error")).to_contain_text("安吉县范围以外")
    expect(page.locator(".portal-map .leaflet-marker-draggable")).to_have_count(0)
    picker.screenshot(path=ARTIFACTS / f"picker-outside-{width}.png")
    page.select_option("#id_coordinate_system", CoordinateSystem.WGS84)
    expect(page.locator("#position-preview-error")).to_be_hidden()

    # A pair copied from 高德 (longitude first, GCJ-02): split into the two fields.
    wanted = (float(village.latitude) + 0.0012, float(village.longitude) - 0.0015)
    gcj = prcoords.wgs_gcj(wanted)
    page.fill("#id_pasted_position", f"{gcj.lon:.6f},{gcj.lat:.6f}")
    page.select_option("#id_coordinate_system", CoordinateSystem.GCJ02)
    expect(page.locator("#id_latitude")).to_have_value(f"{gcj.lat:.6f}")
    expect(page.locator("#id_longitude")).to_have_value(f"{gcj.lon:.6f}")
    expect(page.locator("#position-system-hint")).to_be_visible()
    # The marker moves at once to the converted WGS-84 position, the one saving stores.
    expected = to_wgs84(
        CoordinateSystem.GCJ02, Decimal(f"{gcj.lat:.6f}"), Decimal(f"{gcj.lon:.6f}")
    )
    expect(page.locator(".portal-map")).to_have_attribute(
        "data-pick-previewed", f"{expected[0]},{expected[1]}"
    )
    marker = page.evaluate(
        """() => {
            const map = document.querySelector('.portal-map').portalMap;
            const found = [];
            map.eachLayer((layer) => {
                if (layer instanceof L.Marker && layer.options.draggable) {
                    found.push(layer.getLatLng());
                }
            });
            return found;
        }"""
    )
    assert len(marker) == 1
    assert marker[0]["lat"] == pytest.approx(float(expected[0]), abs=1e-9)
    assert marker[0]["lng"] == pytest.approx(float(expected[1]), abs=1e-9)
    assert marker[0]["lat"] == pytest.approx(wanted[0], abs=1e-5)
    assert marker[0]["lng"] == pytest.approx(wanted[1], abs=1e-5)
    picker.screenshot(path=ARTIFACTS / f"picker-pasted-{width}.png")

    page.click("form.edit-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/sites/\d+/$"))
    site = Site.objects.get(name="位置选取测试回收点")
    assert (site.latitude, site.longitude) == expected
    assert float(site.latitude) == pytest.approx(wanted[0], abs=2e-6)
    assert float(site.longitude) == pytest.approx(wanted[1], abs=2e-6)
    assert site.township == township and site.village == village

    # Reopened: the WGS-84 value, its marker, and WGS-84 as the 坐标系.
    page.goto(reverse("sites:site-update", args=[site.pk]))
    page.wait_for_selector(".portal-map[data-map-state=ready][data-pick-ready=true]")
    expect(page.locator("#id_latitude")).to_have_value(f"{site.latitude:.6f}")
    expect(page.locator("#id_longitude")).to_have_value(f"{site.longitude:.6f}")
    expect(page.locator("#id_coordinate_system")).to_have_value(CoordinateSystem.WGS84)
    expect(page.locator("#position-system-hint")).to_be_hidden()
    expect(page.locator(".portal-map .leaflet-marker-draggable")).to_have_count(1)
    reopened = map_view(page)
    assert reopened["lat"] == pytest.approx(float(site.latitude), abs=1e-3)
    picker.screenshot(path=ARTIFACTS / f"picker-reopened-{width}.png")

    assert page.errors == []


def test_a_map_fitted_while_hidden_shows_its_sites_once_shown_at_phone_width(browser_page):
    """The fitBounds bug at 390 px: a map laid out with no size (a folded panel, a column not
    laid out yet) fitted its layer to a zero-sized box and stayed at the county's widest zoom,
    its sites out of view. The fit now waits for the map's first real size."""
    page = browser_page
    page.set_viewport_size(PHONE)
    commerce = make_user(Role.COMMERCE_ADMIN, username="picker-hidden")
    township, village = located_township()
    make_site(
        actor=commerce,
        township_code=township.code,
        village=village,
        venue_type="community",
        latitude=village.latitude,
        longitude=village.longitude,
    )
    log_in(page, commerce)
    page.goto(reverse("sites:site-map"))
    page.wait_for_selector(".portal-map[data-map-state=ready]")

    page.evaluate(
        """url => {
            const element = document.createElement('div');
            element.className = 'portal-map';
            element.id = 'hidden-map';
            element.hidden = true;
            element.dataset.layer = 'sites';
            element.dataset.geojson = url;
            document.querySelector('main').append(element);
            window.PortalMaps.initialise();
        }""",
        reverse("api:site-geojson"),
    )
    page.wait_for_selector("#hidden-map[data-map-state=ready]", state="attached")
    page.evaluate("() => { document.getElementById('hidden-map').hidden = false; }")
    page.wait_for_function(
        """() => {
            const map = document.getElementById('hidden-map').portalMap;
            return map.getZoom() >= 13 && !map._animatingZoom;
        }"""
    )
    shown = page.evaluate(
        """([lat, lng]) => {
            const map = document.getElementById('hidden-map').portalMap;
            return {size: map.getSize().x, contains: map.getBounds().contains([lat, lng])};
        }""",
        [float(village.latitude), float(village.longitude)],
    )
    assert shown["size"] > 300 and shown["contains"]
    page.locator("#hidden-map").scroll_into_view_if_needed()
    page.locator("#hidden-map").screenshot(path=ARTIFACTS / "map-fitted-while-hidden-390.png")
    assert page.errors == []
