"""The maps' base layers, from the deployment's settings (README, 地图底图).

- `TIANDITU_KEY` set: 天地图 vector (vec_w with its label layer cva_w) and imagery (img_w with
  cia_w), switchable on every map.
- `MAP_TILES`: `tianditu`, `osm`, `none`, or a JSON list `[[label, url, options], …]` (Leaflet
  tile layer options; `"labels": url` pairs a label layer with that base layer). `MAP_OVERLAYS`:
  the same JSON for layers shown over every base layer (switchable). The old `LEAFLET_TILES` is
  read when `MAP_TILES` is not set.
- Nothing configured: OpenStreetMap where the settings allow a foreign default (local demo), no
  tiles at all in production (the county reference layer only), so a government deployment never
  sends its users' map views to a server nobody chose.

The CSP's img-src is derived from the hosts of the layers actually configured.
"""

import json
from urllib.parse import urlsplit

TIANDITU_URL = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
TIANDITU_SUBDOMAINS = "01234567"
TIANDITU_ATTRIBUTION = "天地图 © 国家地理信息公共服务平台"
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


class MapTilesError(ValueError):
    """A tile setting that cannot be read (raised at start-up, naming the setting)."""


def tianditu(key: str) -> list:
    def layer(name: str) -> str:
        return TIANDITU_URL.format(layer=name, key=key)

    options = {"subdomains": TIANDITU_SUBDOMAINS, "attribution": TIANDITU_ATTRIBUTION}
    return [
        ["矢量地图", layer("vec"), {**options, "labels": layer("cva")}],
        ["影像地图", layer("img"), {**options, "labels": layer("cia")}],
    ]


def osm() -> list:
    return [["OpenStreetMap", OSM_URL, {"attribution": OSM_ATTRIBUTION}]]


def _layers(name: str, value: str) -> list:
    try:
        layers = json.loads(value)
    except ValueError as error:
        raise MapTilesError(f"{name} is neither a keyword nor JSON: {error}") from None
    if not isinstance(layers, list) or not all(
        isinstance(layer, list) and len(layer) >= 2 and isinstance(layer[1], str)
        for layer in layers
    ):
        raise MapTilesError(f"{name} must be a JSON list of [label, url, options]")
    return layers


def base_layers(*, tiles: str, key: str, allow_foreign_default: bool) -> list:
    choice = tiles.strip()
    if not choice:
        choice = "tianditu" if key else ("osm" if allow_foreign_default else "none")
    if choice == "tianditu":
        if not key:
            raise MapTilesError("MAP_TILES=tianditu needs TIANDITU_KEY")
        return tianditu(key)
    if choice == "osm":
        return osm()
    if choice == "none":
        return []
    return _layers("MAP_TILES", choice)


def _hosts(url: str, options: dict) -> list[str]:
    if not url.startswith(("https://", "http://")):
        return []
    subdomains = options.get("subdomains", "abc")
    urls = [url.replace("{s}", s) for s in subdomains] if "{s}" in url else [url]
    hosts = []
    for one in urls:
        parts = urlsplit(one)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in hosts:
            hosts.append(origin)
    return hosts


def image_sources(tiles: list, overlays: list) -> list[str]:
    """The origins the maps load tiles from, for the CSP's img-src."""
    sources = []
    for _label, url, *rest in [*tiles, *overlays]:
        options = rest[0] if rest and isinstance(rest[0], dict) else {}
        for candidate in [url, options.get("labels")]:
            for host in _hosts(candidate or "", options):
                if host not in sources:
                    sources.append(host)
    return sources


def configure(env, *, allow_foreign_default: bool) -> dict:
    """TILES, OVERLAYS and the CSP image sources from the environment."""
    tiles = env.str("MAP_TILES", default="") or env.str("LEAFLET_TILES", default="")
    if tiles.strip() == "[]":
        tiles = "none"
    layers = base_layers(
        tiles=tiles, key=env.str("TIANDITU_KEY", default=""),
        allow_foreign_default=allow_foreign_default,
    )  # fmt: skip
    overlays_value = env.str("MAP_OVERLAYS", default="")
    overlays = _layers("MAP_OVERLAYS", overlays_value) if overlays_value.strip() else []
    return {"TILES": layers, "OVERLAYS": overlays, "IMG_SRC": image_sources(layers, overlays)}
