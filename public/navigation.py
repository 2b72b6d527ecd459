"""Links that open a site in the phone's map app. The portal stores WGS-84; 高德 and 腾讯 take
GCJ-02, 百度 BD-09 (prcoords, already used to load the reference data, does the conversion)."""

from urllib.parse import quote, urlencode

import prcoords

DECIMALS = 6


def to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    converted = prcoords.wgs_gcj((lat, lng))
    return round(converted.lat, DECIMALS), round(converted.lon, DECIMALS)


def to_bd09(lat: float, lng: float) -> tuple[float, float]:
    converted = prcoords.wgs_bd((lat, lng))
    return round(converted.lat, DECIMALS), round(converted.lon, DECIMALS)


def navigation_links(*, lat: float, lng: float, name: str, address: str = "") -> list[dict]:
    """[{"app": "amap"|"baidu"|"tencent", "url": …}] for one position (WGS-84)."""
    gcj_lat, gcj_lng = to_gcj02(lat, lng)
    bd_lat, bd_lng = to_bd09(lat, lng)
    amap = "https://uri.amap.com/marker?" + urlencode(
        {
            "position": f"{gcj_lng},{gcj_lat}",
            "name": name,
            "coordinate": "gaode",
            "callnative": 1,
            "src": "anji-recycling",
        }
    )
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {
            "location": f"{bd_lat},{bd_lng}",
            "title": name,
            "content": address or name,
            "coord_type": "bd09ll",
            "output": "html",
            "src": "webapp.anji.recycling",
        }
    )
    marker = f"coord:{gcj_lat},{gcj_lng};title:{name};addr:{address or name}"
    tencent = (
        "https://apis.map.qq.com/uri/v1/marker?marker="
        + quote(marker, safe=":,;")
        + "&referer=anji-recycling"
    )
    return [
        {"app": "amap", "url": amap},
        {"app": "baidu", "url": baidu},
        {"app": "tencent", "url": tencent},
    ]
