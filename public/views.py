"""Public pages: no login, no cookies, phone first. Everything they show comes from
`public.cache` (and through it from `public.selectors`, the whitelist)."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from anji_recycling.api.throttling import PublicReportRateThrottle, throttled_message
from sites.models import Site

from . import cache, selectors, services
from .choices import PublicStatus, ReportKind
from .forms import PublicReportForm
from .models import PublicReport
from .navigation import navigation_links

MAX_AGE = 300
MAX_QUERY = 50
MAX_PAGE = 10_000


def _with_navigation(site: dict) -> dict:
    if site["latitude"] is None:
        return {**site, "navigation": []}
    links = navigation_links(
        lat=site["latitude"], lng=site["longitude"], name=site["name"], address=site["address"]
    )
    return {**site, "navigation": links}


def asked_page(params) -> dict:
    """The list's parameters as the public pages and API read them: `q` (words), `near`
    (`lat,lng`, rounded to about 100 m) and `page`."""
    return {
        "query": params.get("q", "").strip()[:MAX_QUERY],
        "near": selectors.Near.parse(params.get("near", "")),
        "page": min(max(_int(params.get("page")), 1), MAX_PAGE),
    }


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def site_list(request):
    """The map and list of operating sites, a page at a time, searchable by village or
    address; 离我最近 sends the phone's position (rounded) and gets the nearest first."""
    asked = asked_page(request.GET)
    found = cache.cached_sites_page(**asked)
    keep = {"q": asked["query"], "near": str(asked["near"] or "")}
    keep = {name: value for name, value in keep.items() if value}
    context = {
        **found,
        "sites": [_with_navigation(site) for site in found["sites"]],
        "query": asked["query"],
        "near": asked["near"],
        "querystring": urlencode(keep),
        "map_querystring": urlencode(
            {**keep, "page": found["page"]} if found["page"] > 1 else keep
        ),
        **_pagination(found),
    }
    return render(request, "public/site_list.html", context)


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def site_detail(request, pk):
    site = cache.cached_site(pk)
    if site is None:
        raise Http404
    return render(request, "public/site_detail.html", {"site": _with_navigation(site)})


@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    """举报: a form without an account; the report gets a tracking number and a private link.
    This page (its form needs a CSRF token) is the one public page that sets a cookie."""
    initial = {"kind": ReportKind.ILLEGAL_POINT}
    pk = _int(request.GET.get("site"))
    site = cache.cached_site(pk) if pk else None
    if site:
        initial = {"kind": ReportKind.SITE_PROBLEM, "site": site["id"], "place": site["name"]}
    form = PublicReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        throttle = PublicReportRateThrottle()
        if not throttle.allow_request(request, None):
            context = {"form": form, "refused": throttled_message(throttle.wait())}
            return render(request, "public/report.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            sites = Site.objects.filter(pk=data["site"]) if data["site"] else Site.objects.none()
            entry = PublicReport(
                kind=data["kind"],
                township=data["township"],
                category=data["category"],
                site=sites.first(),
                place=data["place"],
                description=data["description"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                phone=data["phone"],
            )
            try:
                entry = services.file_public_report(report=entry)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect(entry.get_absolute_url())
    return render(request, "public/report.html", {"form": form, "site": site})


def _pagination(found: dict) -> dict:
    """What includes/pagination.html reads, for a cached page (a dict, not a Page)."""
    number, pages = found["page"], found["num_pages"]
    return {
        "is_paginated": pages > 1,
        "page_obj": {
            "number": number,
            "has_previous": number > 1,
            "has_next": number < pages,
            "previous_page_number": number - 1,
            "next_page_number": number + 1,
            "paginator": {"num_pages": pages, "count": found["count"]},
        },
    }


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_safe
def report_status(request, token):
    """The resident's private link: the tracking number and one of three public statuses."""
    found = selectors.report_for_tracking(token=token[:40])
    if found is None:
        raise Http404
    context = {
        "report": found,
        "statuses": PublicStatus.choices,
        "status_label": PublicStatus(found["status"]).label,
    }
    response = render(request, "public/report_status.html", context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
