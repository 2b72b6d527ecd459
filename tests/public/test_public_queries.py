"""The public pages stay fast at 100× data: a fixed number of queries when the cache is cold,
none for the registry when it is warm."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites.models import Material
from tests.factories import make_operator, make_site

pytestmark = pytest.mark.django_db


def _add_sites(actor, count, seed):
    materials = list(Material.objects.all()[:3])
    for index in range(count):
        operator = make_operator(actor=actor, seed=seed + index, kind="individual")
        site = make_site(actor=actor, operator=operator, latitude=30.6, longitude=119.6)
        site.materials.set(materials)


def _queries(url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name", ["public:site-list", "api:public-site-list", "api:public-site-geojson"]
)
def test_the_list_takes_the_same_queries_for_3_and_30_sites(commerce_admin, name):
    from django.core.cache import cache

    _add_sites(commerce_admin, 3, seed=100)
    cache.clear()
    few = _queries(reverse(name))
    _add_sites(commerce_admin, 27, seed=200)
    cache.clear()
    many = _queries(reverse(name))
    assert many == few <= 2
    assert _queries(reverse(name)) == 0  # warm: from the cache


def test_a_site_page_takes_fixed_queries_cold_and_none_warm(commerce_admin):
    _add_sites(commerce_admin, 2, seed=300)
    from sites.models import Site

    site = Site.objects.latest("pk")
    url = reverse("public:site", args=[site.pk])
    assert _queries(url) <= 3  # the site, its materials, the board
    assert _queries(url) == 0
