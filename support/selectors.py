"""Reads of the support records, in the reader's scope: SQL aggregates, fixed query counts."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from accounts.access import township_scope
from agencies.models import Township

from .choices import LandDecision, SubsidyKind
from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


def subsidies_for_list(*, user):
    return Subsidy.objects.visible_to(user).select_related(
        "operator", "operator__township", "granted_by"
    )


def land_cases_for_list(*, user):
    return LandSupportCase.objects.visible_to(user).select_related("site", "site__township")


NOTICES_SHOWN = 20


def notices_for_list(*, user):
    return AssociationNotice.objects.visible_to(user).select_related("published_by")


def publicity_for_list(*, user):
    return PublicityActivity.objects.visible_to(user).select_related("township", "agency")


def publicity_by_township(*, user, start=None, end=None) -> list[dict]:
    """Per township in the user's scope: publicity activities held, online and offline, and
    the people reached (one aggregate query and the townships)."""
    activities = PublicityActivity.objects.visible_to(user)
    if start is not None:
        activities = activities.filter(held_on__gte=start)
    if end is not None:
        activities = activities.filter(held_on__lte=end)
    counts = {
        row["township_id"]: row
        for row in activities.order_by()
        .values("township_id")
        .annotate(
            total=Count("pk"),
            online=Count("pk", filter=Q(form="online")),
            offline=Count("pk", filter=Q(form="offline")),
            reached=Sum("audience_count"),
        )
    }
    townships = Township.objects.order_by("code")
    scope = township_scope(user)
    if scope is not None:
        townships = townships.filter(pk=scope)
    empty = {"total": 0, "online": 0, "offline": 0, "reached": 0}
    return [
        {"township": t, **{k: counts.get(t.pk, empty)[k] or 0 for k in empty}} for t in townships
    ]


def support_received(*, operator, user) -> dict:
    """What one operator received: its subsidies and awards, the land cases of its sites, and
    the total (three queries)."""
    subsidies = list(subsidies_for_list(user=user).filter(operator=operator))
    land = list(land_cases_for_list(user=user).filter(site__operator=operator))
    notices = list(
        AssociationNotice.objects.visible_to(user).filter(operators=operator)[:NOTICES_SHOWN]
    )
    return {
        "subsidies": subsidies,
        "land_cases": land,
        "notices": notices,
        "total": sum((s.amount for s in subsidies), Decimal("0")),
    }


def support_years(*, user) -> list[int]:
    years = set(
        subsidies_for_list(user=user)
        .annotate(year=ExtractYear("granted_on"))
        .values_list("year", flat=True)
        .distinct()
    )
    years |= set(
        land_cases_for_list(user=user)
        .annotate(year=ExtractYear("requested_on"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)


def support_summary(*, user, year: int | None = None) -> list[dict]:
    """Per year and township: subsidies and awards (count, yuan), land-support cases and the
    approved area. Two aggregate queries and the townships, whatever the number of records."""
    subsidies = Subsidy.objects.visible_to(user).annotate(year=ExtractYear("granted_on"))
    land = LandSupportCase.objects.visible_to(user).annotate(year=ExtractYear("requested_on"))
    if year is not None:
        subsidies = subsidies.filter(year=year)
        land = land.filter(year=year)
    rows: dict = defaultdict(
        lambda: {
            "subsidies": 0,
            "subsidy_amount": Decimal("0"),
            "awards": 0,
            "award_amount": Decimal("0"),
            "land_cases": 0,
            "land_approved": 0,
            "approved_area": Decimal("0"),
        }
    )
    for row in (
        subsidies.order_by()
        .values("year", "operator__township_id")
        .annotate(
            subsidies=Count("pk", filter=Q(kind=SubsidyKind.SUBSIDY)),
            subsidy_amount=Sum("amount", filter=Q(kind=SubsidyKind.SUBSIDY)),
            awards=Count("pk", filter=Q(kind=SubsidyKind.AWARD)),
            award_amount=Sum("amount", filter=Q(kind=SubsidyKind.AWARD)),
        )
    ):
        entry = rows[(row["year"], row["operator__township_id"])]
        entry["subsidies"] = row["subsidies"]
        entry["subsidy_amount"] = row["subsidy_amount"] or Decimal("0")
        entry["awards"] = row["awards"]
        entry["award_amount"] = row["award_amount"] or Decimal("0")
    approved = Q(decision=LandDecision.APPROVED)
    for row in (
        land.order_by()
        .values("year", "site__township_id")
        .annotate(
            land_cases=Count("pk"),
            land_approved=Count("pk", filter=approved),
            approved_area=Sum("area", filter=approved),
        )
    ):
        entry = rows[(row["year"], row["site__township_id"])]
        entry["land_cases"] = row["land_cases"]
        entry["land_approved"] = row["land_approved"]
        entry["approved_area"] = row["approved_area"] or Decimal("0")
    townships = Township.objects.in_bulk({township_id for _year, township_id in rows})
    result = [
        {"year": year_, "township": townships[township_id], **values}
        for (year_, township_id), values in rows.items()
    ]
    result.sort(key=lambda row: (-row["year"], row["township"].code))
    for row in result:
        row["total_amount"] = row["subsidy_amount"] + row["award_amount"]
    return result
