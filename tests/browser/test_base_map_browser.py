"""The base map in the browser (issue #17), from a tile server of its own on this machine: the
layers a deployment configures (a base layer with its label layer, a second base layer, an
overlay) load through the Content-Security-Policy derived from them, with no console error; when
the tile server fails, the map shows the county's reference layer (township names) and a note
that the base map is unavailable."""

import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import environ
import leaflet
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Village
from anji_recycling import map_tiles
from tests.factories import make_user

from .conftest import ARTIFACTS, PHONE, log_in
from .test_site_registry_browser import DIPU, register, wait_for_map

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TILE = (Path(django_settings.BASE_DIR) / "node_modules/leaflet/dist/images/layers.png").read_bytes()


def free_port():
    """A port of this session's range (TOPOLOGY_PORTS, e.g. 8800-8849) nobody listens on."""
    first, _, last = os.environ.get("TOPOLOGY_PORTS", "8800-8849").partition("-")
    for port in range(int(first), int(last or first) + 1):
        try:
            return ThreadingHTTPServer(("127.0.0.1", port), TileHandler)
        except OSError:
            continue
    pytest.fail("no free port in TOPOLOGY_PORTS")


class TileHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.paths.append(self.path)
        if self.server.failing:
            self.send_error(503)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE)))
        self.end_headers()
        self.wfile.write(TILE)

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_server():
    server = free_port()
    server.paths, server.failing = [], False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.origin = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def configured_tiles(tile_server, monkeypatch, settings):
    """MAP_TILES and MAP_OVERLAYS naming the local tile server, read as at start-up."""
    origin = tile_server.origin
    for name in ["MAP_TILES", "MAP_OVERLAYS", "TIANDITU_KEY", "LEAFLET_TILES"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(
        "MAP_TILES",
        f'[["县矢量底图", "{origin}/vec/{{z}}/{{x}}/{{y}}.png",'
        f' {{"labels": "{origin}/cva/{{z}}/{{x}}/{{y}}.png", "attribution": "© 测试底图"}}],'
        f' ["县影像底图", "{origin}/img/{{z}}/{{x}}/{{y}}.png", {{}}]]',
    )
    monkeypatch.setenv("MAP_OVERLAYS", f'[["行政区划", "{origin}/ov/{{z}}/{{x}}/{{y}}.png", {{}}]]')
    tiles = map_tiles.configure(environ.Env(), allow_foreign_default=False)
    assert tiles["IMG_SRC"] == [origin]
    monkeypatch.setitem(leaflet.app_settings, "TILES", tiles["TILES"])
    monkeypatch.setitem(leaflet.app_settings, "OVERLAYS", tiles["OVERLAYS"])
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {
            **policy["DIRECTIVES"],
            "img-src": [*policy["DIRECTIVES"]["img-src"], *tiles["IMG_SRC"]],
        },
    }
    return tile_server


def open_site_map(page):
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    register(actor=officer, township_code=DIPU, tier=2, status="operating")
    log_in(page, officer)
    page.goto(reverse("sites:site-map"))
    return wait_for_map(page)


def test_the_map_shows_the_configured_base_layers_from_the_tile_server(
    browser_page, configured_tiles
):
    page = browser_page
    site_map = open_site_map(page)

    tile = site_map.locator(f"img.leaflet-tile-loaded[src^='{configured_tiles.origin}/vec/']")
    expect(tile.first).to_be_visible()
    expect(
        site_map.locator(f"img.leaflet-tile-loaded[src^='{configured_tiles.origin}/cva/']").first
    ).to_be_visible()
    expect(
        site_map.locator(f"img.leaflet-tile-loaded[src^='{configured_tiles.origin}/ov/']").first
    ).to_be_visible()
    served = {path.split("/")[1] for path in configured_tiles.paths}
    assert {"vec", "cva", "ov"} <= served, served
    assert "img" not in served  # the second base layer waits until it is chosen
    expect(site_map).not_to_have_class(re.compile(r"portal-map-plain"))
    expect(site_map.locator("[data-base-unavailable]")).to_have_count(0)
    expect(site_map.locator(".leaflet-control-attribution")).to_contain_text("© 测试底图")

    # The layer switcher offers the other base layer, which then loads from the same server.
    switcher = site_map.locator(".leaflet-control-layers")
    switcher.hover()
    switcher.get_by_text("县影像底图").click()
    expect(
        site_map.locator(f"img.leaflet-tile-loaded[src^='{configured_tiles.origin}/img/']").first
    ).to_be_visible()
    site_map.screenshot(path=ARTIFACTS / "base-map-1366.png", animations="disabled")
    assert page.errors == []  # a tile the CSP refused would be a console error


def test_when_the_tiles_fail_the_map_shows_the_county_reference_layer(
    browser_page, configured_tiles
):
    page = browser_page
    configured_tiles.failing = True
    site_map = open_site_map(page)

    expect(site_map.locator("[data-base-unavailable]")).to_be_visible()
    expect(site_map).to_have_class(re.compile(r"portal-map-plain"))
    townships = site_map.locator(".portal-map-township")
    expect(townships.first).to_be_visible()
    expect(site_map.locator(".portal-map-township", has_text="递铺街道")).to_have_count(1)
    # Each of the officer's villages with a position of its own is a point (those at their
    # township's centre would only hide the township's dot).
    located = Village.objects.filter(
        township__code=DIPU, is_active=True, latitude__isnull=False
    ).count()
    assert located
    expect(site_map.locator("path.portal-map-village")).to_have_count(located)
    # The names and points lie beneath the sites and their clusters, never over them, and do
    # not take their clicks.
    z_index = site_map.evaluate(
        """map => Object.fromEntries(["villages", "townships", "marker", "overlay"].map(name => {
            const pane = map.querySelector(`.leaflet-${name === "villages" || name === "townships"
                ? "portal-" + name : name}-pane`);
            const style = getComputedStyle(pane);
            return [name, [Number(style.zIndex), style.pointerEvents]];
        }))"""
    )
    assert z_index["villages"][0] < z_index["townships"][0] < z_index["overlay"][0], z_index
    assert z_index["townships"][0] < z_index["marker"][0], z_index
    assert z_index["villages"][1] == z_index["townships"][1] == "none", z_index
    expect(site_map.locator("path.portal-map-site")).to_have_count(1)
    assert configured_tiles.paths
    site_map.screenshot(path=ARTIFACTS / "base-map-failed-1366.png", animations="disabled")
    # The only errors are the tiles the server refused.
    unexpected = [error for error in page.errors if configured_tiles.origin not in error]
    assert unexpected == [], unexpected


def test_on_a_phone_the_legend_folds_behind_its_button_and_opens_on_a_tap(browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    site_map = open_site_map(page)

    legend = site_map.locator(".portal-map-legend")
    toggle = legend.locator(".portal-map-legend-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(legend.locator(".portal-map-legend-body")).to_be_hidden()
    map_box, legend_box = site_map.bounding_box(), legend.bounding_box()
    assert legend_box["width"] * legend_box["height"] < map_box["width"] * map_box["height"] / 10

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(legend.locator(".portal-map-legend-body")).to_be_visible()
    site_map.screenshot(path=ARTIFACTS / "base-map-legend-390.png", animations="disabled")
    assert page.errors == []
