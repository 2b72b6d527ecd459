"""Reads of inspections and cases. Every selector starts from `visible_to(user)`."""

from django.db.models import Exists, OuterRef, Prefetch

from agencies.models import Agency
from sites.choices import UNREGISTERED_STATUSES

from .models import (
    Case,
    CaseEvent,
    CaseRequest,
    ChecklistItem,
    EnforcementAction,
    Evidence,
    Finding,
    Inspection,
    InspectionOfficer,
    JointPart,
)


def cases_for_list(*, user):
    """Cases with what a queue, the ledger or the API shows, in a fixed number of queries;
    `from_public` marks the cases residents' reports (public.PublicReport.case) opened or joined."""
    from_public = Case.objects.filter(pk=OuterRef("pk"), public_reports__isnull=False)
    return (
        Case.objects.visible_to(user)
        .annotate(from_public=Exists(from_public))
        .select_related("site", "township", "village", "category", "lead_agency", "assigned_to")
        .prefetch_related(Prefetch("assisting_agencies", queryset=Agency.objects.order_by("pk")))
    )


def cases_to_act_on(*, user):
    """Cases with what their policy reads (the joint action's parts too): for the case page
    and the API, which show each case's allowed actions."""
    return cases_for_list(user=user).prefetch_related(
        Prefetch("parts", queryset=JointPart.objects.select_related("agency", "closed_by"))
    )


def case_for_page(*, user, pk):
    return (
        cases_to_act_on(user=user)
        .select_related("duty_rule", "reported_by", "site__operator")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related("actor").prefetch_related("attachments"),
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related(
                    "inspection__inspector", "category"
                ).prefetch_related("photos"),
            ),
            Prefetch(
                "actions",
                queryset=EnforcementAction.objects.select_related(
                    "recorded_by", "referred_to", "agency"
                ),
            ),
            Prefetch("requests", queryset=CaseRequest.objects.select_related("requested_by")),
        )
        .get(pk=pk)
    )


def inspections_for_list(*, user):
    return Inspection.objects.visible_to(user).select_related("site", "township", "inspector")


def inspection_for_page(*, user, pk):
    return (
        inspections_for_list(user=user)
        .prefetch_related(
            "answers__item",
            Prefetch(
                "officers_present",
                queryset=InspectionOfficer.objects.select_related("agency", "officer"),
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related(
                    "category", "case__lead_agency", "case__township"
                ).prefetch_related(Prefetch("photos", queryset=Evidence.objects.order_by("pk"))),
            ),
        )
        .get(pk=pk)
    )


def requests_for_register(*, user):
    cases = Case.objects.visible_to(user)
    return CaseRequest.objects.filter(case__in=cases).select_related(
        "case", "case__lead_agency", "case__township", "requested_by", "decided_by"
    )


def checklist_for(site) -> tuple[list, list]:
    """The checklist items a report on `site` asks, and those it leaves out: at a point that
    is not registered (an illegal point, a banned one), the questions it answers by being one
    (`applies_to_unregistered` off: licence shown, filed with the bureau)."""
    items = list(ChecklistItem.objects.filter(is_active=True).select_related("category"))
    if site.status not in UNREGISTERED_STATUSES:
        return items, []
    return (
        [item for item in items if item.applies_to_unregistered],
        [item for item in items if not item.applies_to_unregistered],
    )
