"""Reads of the county's organisation data."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from accounts.access import township_scope

from . import workdays
from .models import (
    CALENDAR_YEARS_AHEAD,
    Agency,
    AgencyDuty,
    CalendarYear,
    DutyRule,
    HolidayArrangement,
    LeadingGroupMembership,
    LeadingGroupPost,
    Township,
    Village,
)


def current_memberships(*, as_of: dt.date):
    return LeadingGroupMembership.objects.filter(start_date__lte=as_of).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=as_of)
    )


def leading_group_roster(*, user, as_of: dt.date):
    """Posts in the annex's order, each with `current` (holders on `as_of`) prefetched."""
    holders = current_memberships(as_of=as_of).order_by("start_date")
    return list(
        LeadingGroupPost.objects.visible_to(user)
        .select_related("agency", "township")
        .prefetch_related(Prefetch("memberships", queryset=holders, to_attr="current"))
        .order_by("sort_order", "pk")
    )


def duty_statements(*, user):
    return list(
        AgencyDuty.objects.visible_to(user).select_related("agency").order_by("sort_order", "pk")
    )


def agencies_with_duties(*, user):
    duties = AgencyDuty.objects.order_by("sort_order", "pk")
    return (
        Agency.objects.visible_to(user)
        .prefetch_related(Prefetch("duties", queryset=duties))
        .annotate(rule_count=Count("led_rules", filter=Q(led_rules__is_active=True)))
    )


def duty_table(*, user):
    return (
        DutyRule.objects.visible_to(user)
        .select_related("category", "lead_agency")
        .order_by("-is_active", "category__sort_order", "area")
    )


def townships_with_village_counts(*, user):
    villages = Village.objects.visible_to(user).filter(is_active=True)
    return Township.objects.visible_to(user).annotate(
        village_count=Count("villages", filter=Q(villages__in=villages)),
        uncoded_count=Count(
            "villages", filter=Q(villages__in=villages, villages__urban_rural_code="")
        ),
    )


def villages_missing_urban_rural_code(*, user):
    return (
        Village.objects.visible_to(user)
        .filter(is_active=True, urban_rural_code="")
        .select_related("township")
        .order_by("code")
    )


def organisation_summary(*, user) -> dict:
    villages = Village.objects.visible_to(user).filter(is_active=True)
    counts = villages.aggregate(
        villages=Count("pk"), uncoded=Count("pk", filter=Q(urban_rural_code=""))
    )
    township_id = township_scope(user)
    return {
        "township": Township.objects.filter(pk=township_id).first() if township_id else None,
        "township_count": Township.objects.visible_to(user).count(),
        "village_count": counts["villages"],
        "uncoded_village_count": counts["uncoded"],
        "agency_count": Agency.objects.visible_to(user).count(),
        "rule_count": DutyRule.objects.visible_to(user).filter(is_active=True).count(),
    }


# The working-day calendar ------------------------------------------------------------------

# From this month on, the commerce bureau is reminded to enter next year's holidays (the State
# Council publishes them late in the year before).
REMIND_FROM_MONTH = 11


def years_to_enter(*, today: dt.date) -> list[int]:
    """Years whose holidays are still unknown and due: this year, and from 1 November the
    next one, unless chinese-calendar knows them or the county marked them entered in full.
    No query when the package knows them."""
    due = [today.year, today.year + 1] if today.month >= REMIND_FROM_MONTH else [today.year]
    unknown = [year for year in due if not workdays.library_knows(year)]
    if not unknown:
        return []
    complete = set(
        CalendarYear.objects.filter(year__in=unknown, complete=True).values_list("year", flat=True)
    )
    return [year for year in unknown if year not in complete]


def calendar_years(*, user, today: dt.date) -> list[int]:
    """The years the calendar page offers: last year to the furthest that may be entered, and
    any other year with entries."""
    entered = {day.year for day in HolidayArrangement.objects.visible_to(user).dates("day", "year")}
    years = set(range(today.year - 1, today.year + CALENDAR_YEARS_AHEAD + 1)) | entered
    return sorted(years)


@dataclass(frozen=True)
class CalendarYearOverview:
    year: int
    library_knows: bool
    record: CalendarYear | None
    arrangements: list
    statutory: list  # [(day, name)], the fallback while the year is unknown
    changes: list  # the latest historical records of the year's entries, newest first

    @property
    def complete(self) -> bool:
        return self.record is not None and self.record.complete

    @property
    def known(self) -> bool:
        return self.library_knows or self.complete


def calendar_year_overview(*, user, year: int, history_limit: int = 50) -> CalendarYearOverview:
    """One year of the working-day calendar: the county's entries, whether the year is known
    and, while it is not, the statutory holidays deadlines are counted with."""
    arrangements = list(
        HolidayArrangement.objects.visible_to(user)
        .filter(day__year=year)
        .select_related("entered_by")
        .order_by("day")
    )
    record = (
        CalendarYear.objects.visible_to(user).filter(year=year).select_related("marked_by").first()
    )
    changes = list(
        HolidayArrangement.history.filter(day__year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:history_limit]
    )
    library_knows = workdays.library_knows(year)
    complete = record is not None and record.complete
    known = library_knows or complete
    statutory = [] if known else list(workdays.statutory_holidays(year).items())
    return CalendarYearOverview(
        year=year,
        library_knows=library_knows,
        record=record,
        arrangements=arrangements,
        statutory=statutory,
        changes=changes,
    )
