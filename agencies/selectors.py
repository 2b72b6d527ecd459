"""Reads of the county's organisation data."""

import datetime as dt

from django.db.models import Count, Prefetch, Q

from accounts.access import township_scope

from .models import (
    Agency,
    AgencyDuty,
    DutyRule,
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
