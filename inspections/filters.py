"""One FilterSet per model, shared by the queues, the API and the ledger export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, ProblemCategory, Township
from anji_recycling.filters import ScopedFilterSet, YesNoFilter, date_range_filters

from .choices import CaseStatus, InspectionResult, PatrolTaskStatus, RequestKind, RequestState
from .models import Case, CaseRequest, Inspection, InspectionOfficer, PatrolTask


class CaseFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    # Tick boxes: a multi-select list needs Ctrl-click, which nobody finds on a phone.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Problem category"), queryset=ProblemCategory.objects.all()
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency (lead or assisting)"), queryset=Agency.objects.all(), method="filter_agency"
    )
    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Lead agency"),
        queryset=Agency.objects.all(),
        null_label=_("Township (territorial lead)"),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    overdue = YesNoFilter(label=_("Overdue"), method="filter_overdue")
    open = YesNoFilter(label=_("Open"), method="filter_open")
    deadline_provisional = YesNoFilter(
        label=_("Provisional deadline"), field_name="stage_deadline_provisional"
    )
    reported_after, reported_before = date_range_filters(
        "reported_at",
        from_label=_("Reported from"),
        until_label=_("Reported until"),
        on_datetime=True,
    )
    closed_after, closed_before = date_range_filters(
        "closed_at", from_label=_("Closed from"), until_label=_("Closed until"), on_datetime=True
    )
    closed_on_time = YesNoFilter(label=_("Closed on time"))
    site = django_filters.NumberFilter(label=_("Site"), field_name="site_id")

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "category",
            "agency",
            "lead_agency",
            "township",
            "overdue",
            "open",
            "deadline_provisional",
            "reported_after",
            "reported_before",
            "closed_after",
            "closed_before",
            "closed_on_time",
            "site",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(site__name__icontains=value)
            | Q(site__code__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_agency(self, queryset, name, value: int):
        if value is None:
            return queryset
        return queryset.filter(Q(lead_agency=value) | Q(assisting_agencies=value)).distinct()

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(today=timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))


class InspectionFilterSet(ScopedFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    result = django_filters.ChoiceFilter(label=_("Result"), choices=InspectionResult.choices)
    site = django_filters.NumberFilter(label=_("Site"), field_name="site_id")
    present_agency = django_filters.ModelChoiceFilter(
        label=_("Joint inspection with"),
        queryset=Agency.objects.all(),
        field_name="officers_present__agency",
        method="filter_present_agency",
    )
    inspected_after, inspected_before = date_range_filters(
        "inspected_at",
        from_label=_("Inspected from"),
        until_label=_("Inspected until"),
        on_datetime=True,
    )

    class Meta:
        model = Inspection
        fields = [
            "township",
            "result",
            "site",
            "present_agency",
            "inspected_after",
            "inspected_before",
        ]

    def filter_present_agency(self, queryset, name, value):
        present = InspectionOfficer.objects.filter(agency=value).values("inspection_id")
        return queryset.filter(pk__in=present)


class CaseRequestFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RequestKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=RequestState.choices)

    class Meta:
        model = CaseRequest
        fields = ["kind", "state"]


class PatrolTaskFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PatrolTaskStatus.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    mine = YesNoFilter(label=_("Assigned to me"), method="filter_mine")

    class Meta:
        model = PatrolTask
        fields = ["status", "township", "mine"]

    def filter_mine(self, queryset, name, value):
        user_id = getattr(getattr(self.request, "user", None), "pk", None)
        return (
            queryset.filter(assigned_to_id=user_id)
            if value
            else queryset.exclude(assigned_to_id=user_id)
        )
