"""Public pages: no login, no cookies, phone first. Everything they show comes from
`public.cache` (and through it from `public.selectors`, the whitelist)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import cache, selectors
from .navigation import navigation_links

MAX_AGE = 300
MAX_QUERY = 50


def _with_navigation(site: dict) -> dict:
    if site["latitude"] is None:
        return {**site, "navigation": []}
    links = navigation_links(
        lat=site["latitude"], lng=site["longitude"], name=site["name"], address=site["address"]
    )
    return {**site, "navigation": links}


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def site_list(request):
    """The map and list of operating sites, searchable by village or address; 离我最近 sorts
    the list by the distance from the phone (in the browser: the position never leaves it)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    sites = selectors.search_sites(cache.cached_sites(), query)
    context = {"sites": [_with_navigation(site) for site in sites], "query": query}
    return render(request, "public/site_list.html", context)


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def site_detail(request, pk):
    site = cache.cached_site(pk)
    if site is None:
        raise Http404
    return render(request, "public/site_detail.html", {"site": _with_navigation(site)})
