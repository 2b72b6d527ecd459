"""One FilterSet per model, shared by the queues, the API and the ledger export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.filters import TerritoryChoicesMixin
from agencies.models import Agency, ProblemCategory, Township
from anji_recycling.filters import YesNoFilter
from anji_recycling.forms import DateInput

from .choices import CaseStatus, InspectionResult, RequestKind, RequestState
from .models import Case, CaseRequest, Inspection


class CaseFilterSet(TerritoryChoicesMixin, django_filters.FilterSet):
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
    reported_after = django_filters.DateFilter(
        label=_("Reported from"),
        field_name="reported_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    reported_before = django_filters.DateFilter(
        label=_("Reported until"),
        field_name="reported_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    closed_after = django_filters.DateFilter(
        label=_("Closed from"), field_name="closed_at", lookup_expr="date__gte", widget=DateInput()
    )
    closed_before = django_filters.DateFilter(
        label=_("Closed until"), field_name="closed_at", lookup_expr="date__lte", widget=DateInput()
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


class InspectionFilterSet(TerritoryChoicesMixin, django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    result = django_filters.ChoiceFilter(label=_("Result"), choices=InspectionResult.choices)
    site = django_filters.NumberFilter(label=_("Site"), field_name="site_id")
    inspected_after = django_filters.DateFilter(
        label=_("Inspected from"),
        field_name="inspected_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    inspected_before = django_filters.DateFilter(
        label=_("Inspected until"),
        field_name="inspected_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        model = Inspection
        fields = ["township", "result", "site", "inspected_after", "inspected_before"]


class CaseRequestFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RequestKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=RequestState.choices)

    class Meta:
        model = CaseRequest
        fields = ["kind", "state"]
