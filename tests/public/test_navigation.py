"""Navigation links open the site in 高德, 百度 and 腾讯 with coordinates in their datum."""

from urllib.parse import parse_qs, urlparse

import pytest

from public.navigation import navigation_links, to_bd09, to_gcj02

# 安吉县政府 (WGS-84) and the same place as Amap's and Baidu's own pickers give it.
WGS = (30.638000, 119.680000)


def test_gcj02_shifts_an_anji_point_by_a_few_hundred_metres_south_east():
    lat, lng = to_gcj02(*WGS)
    assert lat == pytest.approx(30.635, abs=0.002)  # GCJ-02 lies ~0.0025° south here
    assert lng == pytest.approx(119.685, abs=0.002)  # and ~0.0048° east
    assert (lat, lng) != WGS


def test_bd09_lies_a_further_offset_north_east_of_gcj02():
    gcj_lat, gcj_lng = to_gcj02(*WGS)
    bd_lat, bd_lng = to_bd09(*WGS)
    assert bd_lat - gcj_lat == pytest.approx(0.006, abs=0.002)
    assert bd_lng - gcj_lng == pytest.approx(0.0065, abs=0.002)


def test_each_map_app_gets_its_own_datum_and_the_site_name():
    links = {
        link["app"]: link["url"]
        for link in navigation_links(
            lat=WGS[0], lng=WGS[1], name="递铺中转站", address="递铺街道1号"
        )
    }
    gcj_lat, gcj_lng = to_gcj02(*WGS)
    bd_lat, bd_lng = to_bd09(*WGS)

    amap = parse_qs(urlparse(links["amap"]).query)
    assert urlparse(links["amap"]).netloc == "uri.amap.com"
    assert amap["position"] == [f"{gcj_lng},{gcj_lat}"]  # Amap: longitude first
    assert amap["name"] == ["递铺中转站"]

    baidu = parse_qs(urlparse(links["baidu"]).query)
    assert baidu["location"] == [f"{bd_lat},{bd_lng}"]
    assert baidu["coord_type"] == ["bd09ll"]

    tencent = parse_qs(urlparse(links["tencent"]).query)
    assert tencent["marker"] == [f"coord:{gcj_lat},{gcj_lng};title:递铺中转站;addr:递铺街道1号"]
