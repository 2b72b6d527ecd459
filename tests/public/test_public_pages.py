"""Residents' pages and the public API: no login, no cookies, Chinese, operating sites only."""

import pytest
from django.test import Client
from django.urls import reverse

from sites.services import update_site
from tests.factories import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return Client()


def test_the_map_page_lists_operating_sites_without_a_login(anonymous, public_world):
    response = anonymous.get(reverse("public:site-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "长乐社区回收点" in page and "递铺中转站" in page
    assert "离我最近" in page
    assert 'data-geojson="/api/v1/public/sites/geojson/"' in page
    assert "leaflet/leaflet.js" in page
    assert 'data-townships="/api/v1/public/townships/"' in page
    assert "uri.amap.com" in page and "api.map.baidu.com" in page and "apis.map.qq.com" in page


def test_search_by_village_narrows_the_list_and_the_map_layer(anonymous, public_world):
    page = anonymous.get(reverse("public:site-list"), {"q": "长乐"}).content.decode()
    assert "长乐社区回收点" in page
    assert "递铺中转站" not in page
    assert "/api/v1/public/sites/geojson/?q=%E9%95%BF%E4%B9%90" in page
    layer = anonymous.get(reverse("api:public-site-geojson"), {"q": "长乐"}).json()
    assert [f["properties"]["name"] for f in layer["features"]] == ["长乐社区回收点"]


def test_a_site_page_shows_what_residents_need(anonymous, public_world):
    point = public_world.public_sites[0]
    page = anonymous.get(reverse("public:site", args=[point.pk])).content.decode()
    for text in [
        "长乐社区回收点",
        point.code,
        "三级回收网点",
        "废纸",
        "李**",
        "个体工商户",
        "1650.00",
    ]:
        assert text in page
    assert "营业执照" in page


def test_a_site_without_prices_on_the_board_has_no_price_section(
    anonymous, public_world, commerce_admin
):
    bare = make_site(actor=commerce_admin, name="无价格网点")
    page = anonymous.get(reverse("public:site", args=[bare.pk])).content.decode()
    assert "参考价" not in page


def test_private_sites_answer_404(anonymous, public_world):
    for site in public_world.private_sites:
        assert anonymous.get(reverse("public:site", args=[site.pk])).status_code == 404
        url = reverse("api:public-site-detail", args=[site.pk])
        assert anonymous.get(url).status_code == 404


def test_public_pages_and_api_send_no_cookies(anonymous, public_world):
    point = public_world.public_sites[0]
    for url in [
        reverse("public:site-list"),
        reverse("public:site", args=[point.pk]),
        reverse("api:public-site-list"),
        reverse("api:public-site-detail", args=[point.pk]),
        reverse("api:public-site-geojson"),
        reverse("api:public-township-list"),
    ]:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response.headers, url


def test_the_login_page_links_to_the_public_map(anonymous):
    page = anonymous.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("public:site-list")}"' in page


def test_the_public_api_needs_no_login_and_ignores_a_session(client, commerce_admin, public_world):
    client.force_login(commerce_admin)  # a signed-in official gets the same public rows
    rows = client.get(reverse("api:public-site-list")).json()["results"]
    assert {row["name"] for row in rows} == {"长乐社区回收点", "递铺中转站"}


def test_the_public_api_is_read_only(anonymous, public_world):
    response = anonymous.post(reverse("api:public-site-list"), {"name": "x"})
    assert response.status_code == 405


def test_the_public_api_is_in_the_schema(anonymous):
    schema = anonymous.get(reverse("api-schema"), {"format": "json"}).json()
    for path in [
        "/api/v1/public/sites/",
        "/api/v1/public/sites/{id}/",
        "/api/v1/public/townships/",
    ]:
        assert path in schema["paths"], path
    detail = schema["paths"]["/api/v1/public/sites/{id}/"]["get"]
    assert detail["security"] == [{}] or not detail.get("security")


def test_the_public_api_is_throttled_per_address(anonymous, public_world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public": "2/minute",
        },
    }
    url = reverse("api:public-township-list")
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(url).status_code == 200
    refused = anonymous.get(url)
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.json()["detail"] or "秒" in refused.json()["detail"]


def test_a_change_to_a_site_shows_at_once(anonymous, public_world, commerce_admin):
    point = public_world.public_sites[0]
    url = reverse("public:site", args=[point.pk])
    assert "长乐社区回收点" in anonymous.get(url).content.decode()
    point.name = "长乐社区回收点（新址）"
    update_site(site=point, actor=commerce_admin)
    assert "长乐社区回收点（新址）" in anonymous.get(url).content.decode()
    assert "（新址）" in anonymous.get(reverse("public:site-list")).content.decode()


def test_a_banned_site_disappears_at_once(anonymous, public_world, commerce_admin):
    from sites.services import change_site_status

    station = public_world.public_sites[1]
    assert "递铺中转站" in anonymous.get(reverse("public:site-list")).content.decode()
    change_site_status(site=station, to="banned", actor=commerce_admin, reason="取缔")
    assert "递铺中转站" not in anonymous.get(reverse("public:site-list")).content.decode()
    assert anonymous.get(reverse("public:site", args=[station.pk])).status_code == 404


def test_an_officer_sets_opening_hours_and_residents_see_them(
    anonymous, public_world, dipu_officer
):
    from django.forms import model_to_dict

    from sites.forms import SiteForm

    point = public_world.public_sites[0]
    data = model_to_dict(point, fields=SiteForm.Meta.fields)
    data = {
        name: [m.pk for m in value] if name == "materials" else ("" if value is None else value)
        for name, value in data.items()
    }
    client = Client()
    client.force_login(dipu_officer)
    data["opening_hours"] = "每天 8:00–17:00，周一休息"
    response = client.post(reverse("sites:site-update", args=[point.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    point.refresh_from_db()
    assert point.opening_hours == "每天 8:00–17:00，周一休息"
    assert point.history.latest().opening_hours == "每天 8:00–17:00，周一休息"
    for url in [reverse("public:site", args=[point.pk]), reverse("public:site-list")]:
        page = anonymous.get(url).content.decode()
        assert "营业时间" in page and "每天 8:00–17:00，周一休息" in page
    api = anonymous.get(reverse("api:public-site-detail", args=[point.pk])).json()
    assert api["opening_hours"] == "每天 8:00–17:00，周一休息"
