"""The county map of sites: the page, its filters, and the GeoJSON layer it reads, which shows
each user only the sites they may see."""

import html
import re

import pytest
from django.urls import reverse

from sites.models import Site
from sites.services import register_site

pytestmark = pytest.mark.django_db


def register(*, actor, township, village=None, tier=2, position=(30.63, 119.68), **fields):
    latitude, longitude = position
    site = Site(
        name=fields.pop("name", f"{township.name}测试站点"),
        tier=tier,
        status=fields.pop("status", "operating"),
        township=township,
        village=village,
        address=f"{township.name}测试路1号",
        latitude=latitude,
        longitude=longitude,
        **fields,
    )
    return register_site(site=site, actor=actor)


@pytest.fixture
def located_sites(commerce_admin, dipu, changshuo, dipu_village):
    return {
        "dipu_station": register(actor=commerce_admin, township=dipu, name="递铺中转站"),
        "dipu_point": register(
            actor=commerce_admin,
            township=dipu,
            village=dipu_village,
            tier=3,
            name="递铺回收点",
            position=(30.64, 119.69),
        ),
        "changshuo_station": register(
            actor=commerce_admin, township=changshuo, name="昌硕中转站", position=(30.65, 119.7)
        ),
    }


def map_layer_url(page: str) -> str:
    """The address the page's map reads its GeoJSON from."""
    match = re.search(r'class="portal-map[^"]*"[^>]*data-geojson="([^"]+)"', page)
    assert match, "the page has no map"
    return html.unescape(match.group(1))


def feature_names(collection) -> set[str]:
    return {feature["properties"]["name"] for feature in collection["features"]}


def test_township_officer_sees_a_map_of_their_township(
    client, dipu_officer, located_sites, django_assert_max_num_queries
):
    client.force_login(dipu_officer)

    with django_assert_max_num_queries(13):
        response = client.get(reverse("sites:site-map"))

    assert response.status_code == 200
    page = response.content.decode()
    assert dipu_officer.township.name in page  # "Sites in 递铺街道."
    assert 'data-filter-form="site-map-filters"' in page
    assert 'id="site-map-filters"' in page
    assert map_layer_url(page).startswith(reverse("api:site-geojson") + "?")


def test_officer_map_layer_holds_only_the_sites_of_their_township(
    client, dipu_officer, located_sites
):
    client.force_login(dipu_officer)
    page = client.get(reverse("sites:site-map")).content.decode()

    layer = client.get(map_layer_url(page)).json()

    assert layer["type"] == "FeatureCollection"
    assert feature_names(layer) == {"递铺中转站", "递铺回收点"}
    assert {feature["properties"]["township"] for feature in layer["features"]} == {"递铺街道"}


def test_leader_sees_a_map_of_the_whole_county(client, leader, located_sites):
    client.force_login(leader)
    response = client.get(reverse("sites:site-map"))

    assert response.status_code == 200
    layer = client.get(map_layer_url(response.content.decode())).json()
    assert feature_names(layer) == {"递铺中转站", "递铺回收点", "昌硕中转站"}


def test_map_layer_follows_the_filters_of_the_page(client, leader, located_sites, changshuo):
    client.force_login(leader)
    page = client.get(reverse("sites:site-map"), {"tier": 2, "township": changshuo.pk})

    layer_url = map_layer_url(page.content.decode())

    assert "tier=2" in layer_url
    assert feature_names(client.get(layer_url).json()) == {"昌硕中转站"}


def test_map_page_says_when_no_site_has_a_position(client, dipu_officer, dipu):
    register(actor=dipu_officer, township=dipu, name="未定位站点", position=(None, None))
    client.force_login(dipu_officer)

    page = client.get(reverse("sites:site-map")).content.decode()

    assert 'class="map-empty"' in page
    assert 'class="portal-map' not in page
    assert 'href="' + reverse("sites:site-list") + '"' in page


def test_map_page_needs_a_login(client):
    response = client.get(reverse("sites:site-map"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
