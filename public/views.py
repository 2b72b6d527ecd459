"""Public pages: no login, no cookies, phone first. Everything they show comes from
`public.cache` (and through it from `public.selectors`, the whitelist)."""

import secrets
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from anji_recycling.api.throttling import (
    DEVICE_COOKIE,
    PublicReportDeviceThrottle,
    PublicReportRateThrottle,
    throttled_message,
)
from sites.models import Site

from . import cache, challenge, selectors, services
from .choices import PublicStatus, ReportKind
from .forms import PublicReportForm
from .models import PublicReport, PublicReporting
from .navigation import navigation_links
from .services import CLOSED_MESSAGE

MAX_AGE = 300
MAX_QUERY = 50
MAX_PAGE = 10_000
DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60


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
    """举报: a form without an account, with photos and a small sum as the challenge; the
    report gets a tracking number and a private link. This page (its form needs a CSRF token)
    is the one public page that sets cookies: the CSRF token and the device cookie the
    per-device limit counts by. Refused while the commerce bureau has closed reporting."""
    if not PublicReporting.current().is_open:
        response = render(request, "public/report_closed.html", {"message": CLOSED_MESSAGE})
        response["Cache-Control"] = "no-store"
        return response
    initial = {"kind": ReportKind.ILLEGAL_POINT}
    pk = _int(request.GET.get("site"))
    site = cache.cached_site(pk) if pk else None
    if site:
        initial = {"kind": ReportKind.SITE_PROBLEM, "site": site["id"], "place": site["name"]}
    asked = challenge.new_challenge()
    form = PublicReportForm(
        request.POST or None,
        request.FILES or None,
        initial={**initial, "challenge": asked["token"]},
        question=asked["question"],
    )
    context = {"form": form, "site": site}
    status = 200
    if request.method == "POST":
        refused = _throttled(request)
        if refused:
            context["refused"], status = refused, 429
        elif form.is_valid():
            entry = _report_from(form.cleaned_data)
            try:
                entry = services.file_public_report(
                    report=entry, photos=form.cleaned_data["photos"]
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect(entry.get_absolute_url())
        # A fresh sum: a challenge is good once.
        form.data = form.data.copy()
        form.data["challenge"], form.data["challenge_answer"] = asked["token"], ""
    response = render(request, "public/report.html", context, status=status)
    _give_device_cookie(request, response)
    response["Cache-Control"] = "no-store"
    return response


def _throttled(request) -> str:
    for throttle in (PublicReportRateThrottle(), PublicReportDeviceThrottle()):
        if not throttle.allow_request(request, None):
            return throttled_message(throttle.wait())
    return ""


def _report_from(data) -> PublicReport:
    sites = Site.objects.filter(pk=data["site"]) if data["site"] else Site.objects.none()
    return PublicReport(
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


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _give_device_cookie(request, response) -> None:
    if request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE):
        return
    response.set_signed_cookie(
        DEVICE_COOKIE,
        secrets.token_urlsafe(16),
        salt=DEVICE_COOKIE,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


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
