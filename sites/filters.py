"""One FilterSet per model, shared by the portal's lists, the API, the map and the exports."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Township, Village
from anji_recycling.filters import ScopedFilterSet, SearchSelect, YesNoFilter

from .choices import OperatorKind, SiteStatus, SiteTier, VenueType
from .models import FILING_DEADLINE_DAYS, Material, Operator, Site


def _unfiled_operators(queryset, prefix=""):
    """Operators past the 30-day filing deadline of their licence with no filing on record."""
    deadline = timezone.localdate() - dt.timedelta(days=FILING_DEADLINE_DAYS)
    return queryset.filter(
        **{
            f"{prefix}filed_on__isnull": True,
            f"{prefix}licence_issued_on__isnull": False,
            f"{prefix}licence_issued_on__lt": deadline,
        }
    )


def _licence_expiring(queryset, days, prefix=""):
    today = timezone.localdate()
    return queryset.filter(
        **{
            f"{prefix}licence_valid_until__gte": today,
            f"{prefix}licence_valid_until__lte": today + dt.timedelta(days=int(days)),
        }
    )


def _licence_expiring_filter():
    """Days ahead, up to ten years (a larger number would overflow the date arithmetic)."""
    return django_filters.NumberFilter(
        label=_("Licence expires within (days)"),
        method="filter_licence_expiring",
        min_value=0,
        max_value=3650,
    )


class SiteFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=SiteTier.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=SiteStatus.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village or community"), queryset=Village.objects.filter(is_active=True)
    )
    operator = django_filters.ModelChoiceFilter(
        label=_("Operator"),
        queryset=Operator.objects.all(),
        widget=SearchSelect(search_url=reverse_lazy("api:operator-list")),
    )
    venue_type = django_filters.ChoiceFilter(label=_("Venue type"), choices=VenueType.choices)
    materials = django_filters.ModelMultipleChoiceFilter(
        label=_("Materials"), queryset=Material.objects.all(), distinct=True
    )
    licence_expiring_within = _licence_expiring_filter()
    unfiled = YesNoFilter(label=_("Operator not filed in time"), method="filter_unfiled")
    dual_use = YesNoFilter(label=_("One site, two uses"))

    class Meta:
        model = Site
        fields = [
            "q",
            "tier",
            "status",
            "township",
            "village",
            "operator",
            "venue_type",
            "materials",
            "licence_expiring_within",
            "unfiled",
            "dual_use",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(address__icontains=value)
            | Q(operator__name__icontains=value)
        )

    def filter_licence_expiring(self, queryset, name, value):
        return queryset if value is None else _licence_expiring(queryset, value, "operator__")

    def filter_unfiled(self, queryset, name, value):
        if value is None:
            return queryset
        unfiled = _unfiled_operators(queryset, "operator__")
        return unfiled if value else queryset.exclude(pk__in=unfiled.values("pk"))


class SiteApiFilterSet(SiteFilterSet):
    """The site list's filters, and for the market's site filters (SearchSelect) the sites
    that receive deliveries: transfer stations and sorting centres."""

    receiving = YesNoFilter(label=_("Receiving site"), method="filter_receiving")

    class Meta(SiteFilterSet.Meta):
        fields = [*SiteFilterSet.Meta.fields, "receiving"]

    def filter_receiving(self, queryset, name, value):
        if value is None:
            return queryset
        collection = Q(tier=SiteTier.COLLECTION_POINT)
        return queryset.exclude(collection) if value else queryset.filter(collection)


class OperatorFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OperatorKind.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    licence_expiring_within = _licence_expiring_filter()
    unfiled = YesNoFilter(label=_("Not filed in time"), method="filter_unfiled")

    class Meta:
        model = Operator
        fields = ["q", "kind", "township", "licence_expiring_within", "unfiled"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(credit_code__icontains=value)
            | Q(legal_representative__icontains=value)
        )

    def filter_licence_expiring(self, queryset, name, value):
        return queryset if value is None else _licence_expiring(queryset, value)

    def filter_unfiled(self, queryset, name, value):
        if value is None:
            return queryset
        unfiled = _unfiled_operators(queryset)
        return unfiled if value else queryset.exclude(pk__in=unfiled.values("pk"))
