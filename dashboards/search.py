"""全局搜索: one box for site numbers and names, operators (name or 统一社会信用代码), case
numbers and villages. Every kind starts from its model's `visible_to(user)`, so a township sees
its own rows only; each kind is one query of at most PER_KIND rows (four queries in all)."""

from dataclasses import dataclass

from django.db.models import Q

from agencies.models import Village
from inspections.models import Case
from sites.models import Operator, Site

PER_KIND = 10
# Shorter terms match too much to be useful.
MIN_LENGTH = 2


@dataclass
class SearchResults:
    term: str
    sites: list
    operators: list
    cases: list
    villages: list

    @property
    def count(self) -> int:
        return len(self.sites) + len(self.operators) + len(self.cases) + len(self.villages)


def search_portal(*, user, term: str) -> SearchResults:
    term = term.strip()[:50]
    if len(term) < MIN_LENGTH:
        return SearchResults(term, [], [], [], [])
    sites = (
        Site.objects.visible_to(user)
        .filter(Q(code__icontains=term) | Q(name__icontains=term))
        .select_related("township", "village")
        .order_by("code")[:PER_KIND]
    )
    operators = (
        Operator.objects.visible_to(user)
        .filter(Q(name__icontains=term) | Q(credit_code__iexact=term))
        .order_by("name", "pk")[:PER_KIND]
    )
    cases = (
        Case.objects.visible_to(user)
        .filter(number__icontains=term)
        .select_related("site", "category")
        .order_by("-number")[:PER_KIND]
    )
    villages = (
        Village.objects.visible_to(user)
        .filter(Q(name__icontains=term) | Q(short_name__icontains=term))
        .select_related("township")
        .order_by("code")[:PER_KIND]
    )
    return SearchResults(term, list(sites), list(operators), list(cases), list(villages))
