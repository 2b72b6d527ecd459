"""The public pages stay fast and small at 10× data: the list is paginated in SQL (a fixed
number of queries and bounded bytes a page, cold), none for the registry when the cache is
warm, and 离我最近 orders every page nearest first."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public import selectors
from sites.models import Material
from tests.factories import make_operator, make_site

pytestmark = pytest.mark.django_db

PAGE = 5


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", PAGE)


def _add_sites(actor, count, seed):
    """`count` operating points north of 30.6 N, 0.001° (~110 m) apart, wrapping at 30.85 N."""
    materials = list(Material.objects.all()[:3])
    for index in range(count):
        operator = make_operator(actor=actor, seed=seed + index, kind="individual")
        site = make_site(
            actor=actor,
            operator=operator,
            name=f"网点{seed + index}",
            latitude=Decimal("30.600000") + Decimal("0.001") * ((seed + index) % 250),
            longitude=Decimal("119.600000"),
        )
        site.materials.set(materials)


def _get(url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url, params)
    assert response.status_code == 200
    return len(captured), len(response.content)


@pytest.mark.parametrize(
    "name", ["public:site-list", "api:public-site-list", "api:public-site-geojson"]
)
def test_a_page_takes_the_same_queries_and_bytes_for_1x_and_10x_sites(commerce_admin, name):
    _add_sites(commerce_admin, PAGE, seed=0)
    cache.clear()
    few_queries, few_bytes = _get(reverse(name))
    _add_sites(commerce_admin, 9 * PAGE, seed=100)
    cache.clear()
    many_queries, many_bytes = _get(reverse(name))
    assert many_queries == few_queries <= 4  # count, rows, materials (+ the cache's versions)
    assert many_bytes < few_bytes * 1.1  # one page, whatever the number of sites
    assert _get(reverse(name))[0] == 0  # warm: from the cache
    cache.clear()
    assert _get(reverse(name), near="30.640,119.600", page=7)[0] == many_queries


def test_nearest_first_runs_across_pages(commerce_admin):
    _add_sites(commerce_admin, 3 * PAGE, seed=0)  # 网点0 … 网点14, north from 30.600
    near = selectors.Near.parse("30.6104,119.6")  # nearest 网点10 (rounded to 30.610)
    first = selectors.public_sites_page(near=near, page=1)
    second = selectors.public_sites_page(near=near, page=2)
    assert first["count"] == 3 * PAGE and first["num_pages"] == 3
    names = [site["name"] for site in first["sites"] + second["sites"]]
    assert names[:3] == ["网点10", "网点9", "网点11"] or names[:3] == ["网点10", "网点11", "网点9"]
    distances = [site["distance_km"] for site in first["sites"] + second["sites"]]
    assert distances == sorted(distances)
    assert distances[0] == 0.0
    page = Client().get(reverse("public:site-list"), {"near": "30.610,119.600"}).content.decode()
    assert "0.0 公里" in page and "已按与您的距离排序" in page
    assert 'name="near" value="30.610,119.600"' in page  # a search keeps the order
    api = Client().get(reverse("api:public-site-list"), {"near": "30.610,119.600"}).json()
    assert api["count"] == 3 * PAGE and api["num_pages"] == 3 and api["previous"] is None
    assert "near=30.610%2C119.600" in api["next"] and "page=2" in api["next"]
    assert api["results"][0]["name"] == "网点10" and api["results"][0]["distance_km"] == 0.0


def test_a_bad_position_or_page_falls_back_to_the_plain_list(commerce_admin):
    _add_sites(commerce_admin, 2, seed=0)
    for params in [{"near": "x"}, {"near": "95,200"}, {"page": "abc"}, {"page": "99999"}]:
        response = Client().get(reverse("api:public-site-list"), params)
        assert response.status_code == 200
        assert response.json()["count"] == 2


def test_a_site_page_takes_fixed_queries_cold_and_none_warm(commerce_admin):
    _add_sites(commerce_admin, 2, seed=300)
    from sites.models import Site

    site = Site.objects.latest("pk")
    url = reverse("public:site", args=[site.pk])
    assert _get(url)[0] <= 4  # the site, its materials, the board (+ the cache's versions)
    assert _get(url)[0] == 0
