"""Breadcrumbs on every detail page (issue #17): 首页 › the list › (the parent) › this page,
from the URLconf's detail pages, as the commerce bureau; each link opens."""

import re

import pytest
from django.urls import reverse

from tests.test_pages import DETAIL_PAGES, detail_objects  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

# The residents' pages have no portal home to lead back to: a link to the public list instead.
WITHOUT_BREADCRUMBS = {"public:site"}
CRUMBS = re.compile(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', re.S)


def _crumbs(response):
    found = CRUMBS.search(response.content.decode())
    assert found, response.request["PATH_INFO"]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', found.group(1))
    here = re.search(r'<span aria-current="page">([^<]*)</span>', found.group(1))
    return links, here.group(1).strip() if here else ""


def test_every_detail_page_has_breadcrumbs_home_the_list_and_itself(
    client,
    commerce_admin,
    detail_objects,  # noqa: F811
):
    client.force_login(commerce_admin)
    pages = [name for name in DETAIL_PAGES if name.endswith("-detail")]
    assert len(pages) >= 15
    for name in pages:
        if name in WITHOUT_BREADCRUMBS:
            continue
        response = client.get(reverse(name, args=detail_objects[name]))
        assert response.status_code == 200, name
        links, here = _crumbs(response)
        assert links[0] == (reverse("home"), "首页"), name
        assert len(links) >= 2 and here, (name, links, here)
        for url, _label in links[1:]:
            assert client.get(url).status_code == 200, (name, url)
