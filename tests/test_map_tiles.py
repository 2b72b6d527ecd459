"""The maps' base layers from the deployment's settings (anji_recycling/map_tiles.py): 天地图
vector and imagery with their label layers when a key is configured, OpenStreetMap only where a
foreign default is allowed (the local demo), nothing in production unless configured, and the
CSP's img-src following the configured hosts."""

import json
import os
import subprocess
import sys

import environ
import pytest

from anji_recycling import map_tiles


def _configure(monkeypatch, allow_foreign_default=False, **variables):
    for name in ["MAP_TILES", "MAP_OVERLAYS", "TIANDITU_KEY", "LEAFLET_TILES"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return map_tiles.configure(environ.Env(), allow_foreign_default=allow_foreign_default)


def test_a_tianditu_key_gives_vector_and_imagery_each_with_its_labels(monkeypatch):
    tiles = _configure(monkeypatch, TIANDITU_KEY="k123")
    (vector, vector_url, vector_options), (image, image_url, image_options) = tiles["TILES"]
    assert (vector, image) == ("矢量地图", "影像地图")
    assert "/vec_w/" in vector_url and "LAYER=vec" in vector_url and "tk=k123" in vector_url
    assert "/cva_w/" in vector_options["labels"] and "tk=k123" in vector_options["labels"]
    assert "/img_w/" in image_url and "/cia_w/" in image_options["labels"]
    assert vector_options["subdomains"] == "01234567"
    assert tiles["IMG_SRC"] == [f"https://t{n}.tianditu.gov.cn" for n in range(8)]


def test_without_configuration_production_loads_no_foreign_server(monkeypatch):
    assert _configure(monkeypatch) == {"TILES": [], "OVERLAYS": [], "IMG_SRC": []}
    demo = _configure(monkeypatch, allow_foreign_default=True)
    assert demo["TILES"][0][1] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert demo["IMG_SRC"] == ["https://tile.openstreetmap.org"]
    # Chosen explicitly, OpenStreetMap is allowed in production too; `none` turns tiles off.
    assert _configure(monkeypatch, MAP_TILES="osm")["IMG_SRC"] == ["https://tile.openstreetmap.org"]
    assert _configure(monkeypatch, MAP_TILES="none", TIANDITU_KEY="k")["TILES"] == []


def test_own_layers_and_overlays_from_json(monkeypatch):
    tiles = _configure(
        monkeypatch,
        MAP_TILES='[["县底图", "https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png",'
        ' {"subdomains": "ab"}]]',
        MAP_OVERLAYS='[["行政区划", "https://overlay.example.gov.cn/{z}/{x}/{y}.png", {}]]',
    )
    assert [label for label, *_ in tiles["TILES"]] == ["县底图"]
    assert [label for label, *_ in tiles["OVERLAYS"]] == ["行政区划"]
    assert tiles["IMG_SRC"] == [
        "https://a.tiles.example.gov.cn",
        "https://b.tiles.example.gov.cn",
        "https://overlay.example.gov.cn",
    ]
    # The old LEAFLET_TILES is still read.
    old = _configure(
        monkeypatch, LEAFLET_TILES='[["旧", "https://old.example.gov.cn/{z}/{x}/{y}", "©"]]'
    )
    assert old["IMG_SRC"] == ["https://old.example.gov.cn"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"MAP_TILES": "tianditu"}, "TIANDITU_KEY"),
        ({"MAP_TILES": "{not json"}, "MAP_TILES"),
        ({"MAP_TILES": '{"url": "x"}'}, "MAP_TILES"),
        ({"MAP_OVERLAYS": '[["x"]]'}, "MAP_OVERLAYS"),
    ],
)
def test_a_setting_that_cannot_be_read_stops_the_start(monkeypatch, variables, message):
    with pytest.raises(map_tiles.MapTilesError, match=message):
        _configure(monkeypatch, **variables)


def _settings(module: str, **variables) -> dict:
    """The settings a process starting with these variables gets."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"MAP_TILES", "MAP_OVERLAYS", "TIANDITU_KEY", "LEAFLET_TILES"}
    }
    environment.update(variables, DJANGO_SETTINGS_MODULE=f"anji_recycling.settings.{module}")
    code = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'img': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
        "'tiles': [t[0] for t in settings.LEAFLET_CONFIG['TILES']]}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_settings_csp_follows_the_configured_tiles():
    keyed = _settings("test", TIANDITU_KEY="k")
    assert keyed["tiles"] == ["矢量地图", "影像地图"]
    assert {"https://t0.tianditu.gov.cn", "https://t7.tianditu.gov.cn"} <= set(keyed["img"])
    bare = _settings("test")
    assert bare["tiles"] == [] and not any("openstreetmap" in source for source in bare["img"])
    demo = _settings("local")
    assert demo["tiles"] == ["OpenStreetMap"] and "https://tile.openstreetmap.org" in demo["img"]
