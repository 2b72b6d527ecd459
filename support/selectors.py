"""Reads of the support records, in the reader's scope: SQL aggregates, fixed query counts."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from accounts.access import township_scope
from accounts.models import Notification
from agencies.models import Township

from .choices import LandDecision, NoticeAction, SubsidyKind
from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy
from .policy import NOTICE_POLICY


def subsidies_for_list(*, user):
    return Subsidy.objects.visible_to(user).select_related(
        "operator", "operator__township", "project", "project__township", "granted_by"
    )


def land_cases_for_list(*, user):
    return LandSupportCase.objects.visible_to(user).select_related("site", "site__township")


NOTICES_SHOWN = 20


def notices_for_list(*, user):
    return AssociationNotice.objects.visible_to(user).select_related("published_by")


RECIPIENTS_SHOWN = 200


def notice_recipients(*, notice, user) -> dict:
    """Who received a notice, for its publishers (support.policy): the operators it went to
    and the township officers told in their inbox, with when they read it; bounded lists and
    their counts (four queries). Anyone else gets None."""
    if NoticeAction.SEE_RECIPIENTS not in NOTICE_POLICY.allowed_actions(notice, user):
        return None
    operators = notice.operators.select_related("township").order_by("township__code", "name")
    # The delivery record: the inbox entries the publication wrote, read here for the
    # publisher (a notification is otherwise its recipient's alone).
    deliveries = (
        Notification.objects.filter(dedupe_key=notice.notification_key)
        .select_related("recipient", "recipient__township")
        .order_by("recipient__township__code", "recipient__username")
    )
    counts = deliveries.aggregate(
        people=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False))
    )
    return {
        "operators": list(operators[:RECIPIENTS_SHOWN]),
        "operator_count": operators.count(),
        "people": list(deliveries[:RECIPIENTS_SHOWN]),
        "people_count": counts["people"],
        "read_count": counts["read"],
    }


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
    """Per year and township: subsidies and awards (count, yuan), land-support cases decided
    and under review, and the approved area (None while nothing is decided). Two aggregate
    queries and the townships, whatever the number of records."""
    subsidies = Subsidy.objects.visible_to(user).annotate(
        year=ExtractYear("granted_on"),
        recipient_township=Coalesce("operator__township_id", "project__township_id"),
    )
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
            "project_amount": Decimal("0"),
            "land_cases": 0,
            "land_pending": 0,
            "land_approved": 0,
            "approved_area": None,
        }
    )
    for row in (
        subsidies.order_by()
        .values("year", "recipient_township")
        .annotate(
            subsidies=Count("pk", filter=Q(kind=SubsidyKind.SUBSIDY)),
            subsidy_amount=Sum("amount", filter=Q(kind=SubsidyKind.SUBSIDY)),
            awards=Count("pk", filter=Q(kind=SubsidyKind.AWARD)),
            award_amount=Sum("amount", filter=Q(kind=SubsidyKind.AWARD)),
            project_amount=Sum("amount", filter=Q(project__isnull=False)),
        )
    ):
        entry = rows[(row["year"], row["recipient_township"])]
        entry["project_amount"] = row["project_amount"] or Decimal("0")
        entry["subsidies"] = row["subsidies"]
        entry["subsidy_amount"] = row["subsidy_amount"] or Decimal("0")
        entry["awards"] = row["awards"]
        entry["award_amount"] = row["award_amount"] or Decimal("0")
    approved = Q(decision=LandDecision.APPROVED)
    pending = Q(decision=LandDecision.PENDING)
    for row in (
        land.order_by()
        .values("year", "site__township_id")
        .annotate(
            land_cases=Count("pk", filter=~pending),
            land_pending=Count("pk", filter=pending),
            land_approved=Count("pk", filter=approved),
            approved_area=Sum("area", filter=approved),
        )
    ):
        entry = rows[(row["year"], row["site__township_id"])]
        entry["land_cases"] = row["land_cases"]
        entry["land_pending"] = row["land_pending"]
        entry["land_approved"] = row["land_approved"]
        # Decided cases only: a case under review has no approved area yet (shown as 待定, not
        # as 0), and a row whose cases were all refused approved 0 m².
        if row["land_cases"]:
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


def project_support(*, project, user) -> dict:
    """The subsidies and awards a network project received, and their total (one query)."""
    subsidies = list(subsidies_for_list(user=user).filter(project=project))
    return {"subsidies": subsidies, "total": sum((s.amount for s in subsidies), Decimal("0"))}
