"""The site form's position: numbers copied from 高德/腾讯 (GCJ-02) or 百度 (BD-09), typed or
pasted as a pair, are stored as WGS-84 (anji_recycling/coordinates.py); a pair that is not two
numbers is refused in Chinese, naming the field, and nothing is saved."""

from decimal import Decimal

import prcoords
import pytest
from django.urls import reverse

from agencies.models import Village
from anji_recycling.coordinates import CoordinateSystem, to_wgs84
from sites.models import Site

pytestmark = pytest.mark.django_db

# A point in 长乐社区 (递铺街道), WGS-84.
WANTED = (30.659012, 119.692345)
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def site_data(**position):
    village = Village.objects.get(code="330523001018")
    return {
        "name": "坐标换算回收点",
        "tier": 3,
        "status": "planned",
        "township": village.township_id,
        "village": village.pk,
        "venue_type": "community",
        "address": "递铺街道长乐社区2号",
        **position,
    }


def saved_position():
    site = Site.objects.get(name="坐标换算回收点")
    return site.latitude, site.longitude


def test_a_pasted_amap_pair_is_stored_as_wgs84(client, dipu_officer):
    gcj = prcoords.wgs_gcj(WANTED)
    client.force_login(dipu_officer)

    response = client.post(
        reverse("sites:site-create"),
        site_data(pasted_position=f"{gcj.lon:.6f}，{gcj.lat:.6f}", coordinate_system="gcj02"),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    expected = to_wgs84(
        CoordinateSystem.GCJ02, Decimal(f"{gcj.lat:.6f}"), Decimal(f"{gcj.lon:.6f}")
    )
    assert saved_position() == expected
    assert float(expected[0]) == pytest.approx(WANTED[0], abs=2e-6)
    assert float(expected[1]) == pytest.approx(WANTED[1], abs=2e-6)


def test_typed_baidu_numbers_are_stored_as_wgs84(client, dipu_officer):
    bd = prcoords.wgs_bd(WANTED)
    client.force_login(dipu_officer)

    response = client.post(
        reverse("sites:site-create"),
        site_data(latitude=f"{bd.lat:.6f}", longitude=f"{bd.lon:.6f}", coordinate_system="bd09"),
    )

    assert response.status_code == 302
    latitude, longitude = saved_position()
    assert float(latitude) == pytest.approx(WANTED[0], abs=2e-6)
    assert float(longitude) == pytest.approx(WANTED[1], abs=2e-6)


def test_wgs84_numbers_and_a_form_without_a_system_are_stored_as_typed(client, dipu_officer):
    client.force_login(dipu_officer)

    response = client.post(
        reverse("sites:site-create"), site_data(latitude="30.659012", longitude="119.692345")
    )

    assert response.status_code == 302
    assert saved_position() == (Decimal("30.659012"), Decimal("119.692345"))


@pytest.mark.parametrize("pasted", ["119.69", "北纬30度", "119.69,30.65,12", "nan,inf", "1e999,1"])
def test_a_pasted_text_that_is_not_a_pair_is_refused_in_chinese(client, dipu_officer, pasted):
    client.force_login(dipu_officer)

    response = client.post(reverse("sites:site-create"), site_data(pasted_position=pasted), **ZH)

    assert response.status_code == 200
    assert response.context["form"].errors["pasted_position"] == [
        "请粘贴经度和纬度两个数字，如 119.681234,30.638123。"
    ]
    assert not Site.objects.filter(name="坐标换算回收点").exists()


def test_a_converted_position_outside_the_county_is_refused(client, dipu_officer):
    client.force_login(dipu_officer)

    response = client.post(
        reverse("sites:site-create"),
        site_data(pasted_position="121.47,31.23", coordinate_system="gcj02"),  # Shanghai
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Site.objects.filter(name="坐标换算回收点").exists()


def test_an_unknown_coordinate_system_is_refused(client, dipu_officer):
    client.force_login(dipu_officer)

    response = client.post(
        reverse("sites:site-create"),
        site_data(latitude="30.65", longitude="119.69", coordinate_system="utm"),
        **ZH,
    )

    assert response.status_code == 200
    assert "coordinate_system" in response.context["form"].errors
    assert not Site.objects.filter(name="坐标换算回收点").exists()


def test_the_form_explains_the_position_fields_in_chinese(client, dipu_officer):
    client.force_login(dipu_officer)

    page = client.get(reverse("sites:site-create"), **ZH).content.decode()

    for words in ["粘贴坐标", "坐标系", "从高德地图、腾讯地图复制的选 GCJ-02", "北纬", "东经"]:
        assert words in page
    assert "十进制度数" not in page
    assert 'data-villages-url="/api/v1/villages/reference/"' in page
