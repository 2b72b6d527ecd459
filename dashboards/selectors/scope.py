"""Whose dashboard it is (the county's, one township's, one agency's cases), and the two helpers
every figure counts with.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.access import is_agency_officer, township_scope

from ..choices import DashboardKind
from ..periods import Period


@dataclass(frozen=True)
class Scope:
    """Whose dashboard: the county's, one township's, or one agency's cases."""

    kind: str
    township: object = None  # agencies.Township
    agency: object = None  # agencies.Agency

    @property
    def name(self) -> str:
        if self.kind == DashboardKind.TOWNSHIP:
            return self.township.name
        if self.kind == DashboardKind.AGENCY:
            return self.agency.name
        return _("Anji County")

    @property
    def shows_registry(self) -> bool:
        """Sites, coverage and patrols: not on an agency's dashboard of its cases."""
        return self.kind != DashboardKind.AGENCY


def dashboard_scope(*, user) -> Scope:
    """One condition a line, as `visible_to` decides: an agency officer's cases, a township's
    staff their township, everyone else with a role the county."""
    if is_agency_officer(user):
        return Scope(kind=DashboardKind.AGENCY, agency=user.agency)
    if township_scope(user) is not None:
        return Scope(kind=DashboardKind.TOWNSHIP, township=user.township)
    return Scope(kind=DashboardKind.COUNTY)


def once_each(queryset):
    """The rows of a `visible_to` queryset, each once. An agency's scope joins the assisting
    agencies and asks for DISTINCT, which a GROUP BY does not apply before counting."""
    if queryset.query.distinct:
        return queryset.model.objects.filter(pk__in=queryset.values("pk"))
    return queryset


def within(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})
