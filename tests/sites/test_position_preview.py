"""The map picker's preview (sites:position-wgs84): numbers copied from 高德/腾讯 (GCJ-02) or
百度 (BD-09) answer the WGS-84 position the site form stores for them; numbers that are not
degrees or an unknown system are refused (400) in Chinese; a place outside the county is
answered with the message saving would give."""

from decimal import Decimal

import prcoords
import pytest
from django.urls import reverse

from anji_recycling.coordinates import CoordinateSystem, to_wgs84

pytestmark = pytest.mark.django_db

URL = reverse("sites:position-wgs84")
WANTED = (30.659012, 119.692345)  # 长乐社区 (递铺街道), WGS-84
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.mark.parametrize(
    ("system", "convert"),
    [(CoordinateSystem.GCJ02, prcoords.wgs_gcj), (CoordinateSystem.BD09, prcoords.wgs_bd)],
)
def test_the_preview_is_the_position_the_form_stores(client, dipu_officer, system, convert):
    shown = convert(WANTED)
    latitude, longitude = f"{shown.lat:.6f}", f"{shown.lon:.6f}"
    client.force_login(dipu_officer)

    response = client.get(URL, {"system": system, "latitude": latitude, "longitude": longitude})

    assert response.status_code == 200
    expected = to_wgs84(system, Decimal(latitude), Decimal(longitude))
    assert response.json() == {
        "latitude": str(expected[0]),
        "longitude": str(expected[1]),
        "outside_county": "",
    }
    assert float(response.json()["latitude"]) == pytest.approx(WANTED[0], abs=1e-5)
    assert float(response.json()["longitude"]) == pytest.approx(WANTED[1], abs=1e-5)


def test_wgs84_numbers_are_answered_as_they_are(client, dipu_officer):
    client.force_login(dipu_officer)
    response = client.get(URL, {"system": "wgs84", "latitude": "30.659012", "longitude": "119.69"})
    assert response.json() == {
        "latitude": "30.659012",
        "longitude": "119.690000",
        "outside_county": "",
    }


def test_a_place_outside_the_county_is_answered_with_what_saving_would_say(client, dipu_officer):
    client.force_login(dipu_officer)

    response = client.get(
        URL, {"system": "gcj02", "latitude": "31.230416", "longitude": "121.473701"}, **ZH
    )  # 上海, as 高德 shows it

    assert response.status_code == 200
    body = response.json()
    wgs = to_wgs84(CoordinateSystem.GCJ02, Decimal("31.230416"), Decimal("121.473701"))
    assert (body["latitude"], body["longitude"]) == (str(wgs[0]), str(wgs[1]))
    assert "安吉县范围以外" in body["outside_county"] and body["latitude"] in body["outside_county"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"latitude": "abc", "longitude": "119.69"}, "latitude", "纬度须为 -90 到 90 之间的度数。"),
        (
            {"latitude": "30.65", "longitude": "1e9"},
            "longitude",
            "经度须为 -180 到 180 之间的度数。",
        ),
        ({"latitude": "NaN", "longitude": "119.69"}, "latitude", "纬度"),
        ({"longitude": "119.69"}, "latitude", "请填写纬度。"),
        ({"latitude": "30.65", "longitude": "119.69", "system": "北京54"}, "system", "坐标系"),
    ],
)
def test_bad_or_absurd_numbers_are_refused_in_chinese(client, dipu_officer, query, field, message):
    client.force_login(dipu_officer)

    response = client.get(URL, {"system": "gcj02", **query}, **ZH)

    assert response.status_code == 400
    body = response.json()
    assert message in body["error"]
    assert field in body["errors"]


def test_the_preview_needs_a_login(client):
    response = client.get(URL, {"system": "gcj02", "latitude": "30.65", "longitude": "119.69"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
