"""Addresses of the filtered lists behind the dashboard's figures: the site list, the case list
and the coverage page, with the filters their FilterSets accept (sites/filters.py,
inspections/filters.py). The lists are scoped by the same `visible_to(user)`, so a link never
shows more than the figure counted."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode

from .periods import Period


def _with_query(url: str, params: dict) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{url}?{query}" if query else url


@lru_cache(maxsize=16)
def _address(name: str, script_prefix: str) -> str:
    """A list's address, reversed once per script prefix (a dashboard links it hundreds of
    times)."""
    return reverse(name)


def site_list(**params) -> str:
    return _with_query(_address("sites:site-list", get_script_prefix()), params)


def case_list(**params) -> str:
    return _with_query(_address("inspections:case-list", get_script_prefix()), params)


def reported_in(period: Period) -> dict:
    return {"reported_after": period.start.isoformat(), "reported_before": period.end.isoformat()}


def closed_in(period: Period) -> dict:
    return {
        "status": "closed",
        "closed_after": period.start.isoformat(),
        "closed_before": period.end.isoformat(),
    }


def coverage(*, year: int, anchor: str = "") -> str:
    url = _with_query(reverse("sites:coverage"), {"year": year})
    return f"{url}#{anchor}" if anchor else url


def patrols() -> str:
    return reverse("inspections:patrol-overview")
