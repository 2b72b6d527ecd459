"""One FilterSet per model, shared by the portal's lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anji_recycling.filters import ScopedFilterSet, YesNoFilter

from .choices import (
    ActionItemStatus,
    AreaCondition,
    LeadKind,
    MeetingKind,
    MeetingStatus,
    UrbanRuralCode,
    VillageKind,
)
from .models import ActionItem, Agency, DutyRule, Meeting, ProblemCategory, Township, Village


class TownshipFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Township
        fields = ["kind", "code"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


class VillageFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=VillageKind.choices)
    urban_rural_code = django_filters.ChoiceFilter(
        label=_("Urban-rural code"), choices=UrbanRuralCode.choices
    )
    missing_urban_rural_code = YesNoFilter(
        label=_("Without urban-rural code"), method="filter_missing_code"
    )
    is_active = YesNoFilter(label=_("Current"))

    class Meta:
        model = Village
        fields = ["q", "township", "kind", "urban_rural_code", "missing_urban_rural_code"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__startswith=value)
        )

    def filter_missing_code(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(urban_rural_code="") if value else queryset.exclude(urban_rural_code="")
        )


class AgencyFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Agency
        fields = ["kind", "code"]


class ProblemCategoryFilterSet(ScopedFilterSet):
    class Meta:
        model = ProblemCategory
        fields = ["code", "is_active"]


class DutyRuleFilterSet(ScopedFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Problem category"), queryset=ProblemCategory.objects.all()
    )
    area = django_filters.ChoiceFilter(label=_("Area"), choices=AreaCondition.choices)
    lead_kind = django_filters.ChoiceFilter(label=_("Lead"), choices=LeadKind.choices)
    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Lead agency"), queryset=Agency.objects.all()
    )
    is_active = YesNoFilter(label=_("In force"))

    class Meta:
        model = DutyRule
        fields = ["category", "area", "lead_kind", "lead_agency", "is_active"]


class MeetingFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)

    class Meta:
        model = Meeting
        fields = ["status", "kind"]


class ActionItemFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionItemStatus.choices)
    agency = django_filters.ModelChoiceFilter(label=_("Agency"), queryset=Agency.objects.all())
    meeting = django_filters.NumberFilter(label=_("Meeting"), field_name="meeting_id")

    class Meta:
        model = ActionItem
        fields = ["status", "agency", "meeting"]
