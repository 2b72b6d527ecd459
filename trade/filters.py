"""One FilterSet per model, shared by the market's pages, the API and the exports."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agencies.models import Township
from anji_recycling.filters import ScopedFilterSet, SearchSelect, YesNoFilter, date_range_filters
from sites.choices import SiteTier
from sites.models import Material, Site

from .choices import SellerTier
from .models import PriceEntry, Settlement, Shipment, Transfer


@extend_schema_field(OpenApiTypes.INT)
class TownshipFilter(django_filters.ModelChoiceFilter):
    """A township's id, matched against either site of a transfer."""


@extend_schema_field(OpenApiTypes.INT)
class PayingTownshipFilter(django_filters.ModelChoiceFilter):
    """A township's id, matched against the receiving site of a transfer, the one that pays."""


def _receiving_site_filter(*, label, field_name):
    """A transfer station or sorting centre (thousands at province scale): the page carries
    only the chosen one, the rest come from the site API (receiving sites only) as one types."""
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=Site.objects.exclude(tier=SiteTier.COLLECTION_POINT),
        field_name=field_name,
        widget=SearchSelect(search_url=_RECEIVING_SITES_URL),
    )


_RECEIVING_SITES_URL = format_lazy("{}?receiving=true", reverse_lazy("api:site-list"))


class TransferFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    date_from, date_to = date_range_filters(
        "transferred_on",
        from_label=_("Delivered on or after"),
        until_label=_("Delivered on or before"),
    )
    material = django_filters.ModelChoiceFilter(
        label=_("Material"), queryset=Material.objects.all()
    )
    tier = django_filters.ChoiceFilter(
        label=_("Sale"), choices=SellerTier.choices, field_name="from_site__tier"
    )
    township = TownshipFilter(
        label=_("Township"), queryset=Township.objects.all(), method="filter_township"
    )
    paying_township = PayingTownshipFilter(
        label=_("Paying township"), queryset=Township.objects.all(), field_name="to_site__township"
    )
    site = _receiving_site_filter(label=_("Receiving site"), field_name="to_site")
    settled = YesNoFilter(label=_("Settled"), method="filter_settled")
    below_board = YesNoFilter(label=_("Below the board"), method="filter_below_board")

    class Meta:
        model = Transfer
        fields = [
            "q",
            "date_from",
            "date_to",
            "material",
            "tier",
            "township",
            "paying_township",
            "site",
            "settled",
            "below_board",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(from_site__name__icontains=value)
            | Q(from_site__code__icontains=value)
            | Q(to_site__name__icontains=value)
            | Q(to_site__code__icontains=value)
        )

    def filter_township(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(from_site__township=value) | Q(to_site__township=value))

    def filter_settled(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(settlement__isnull=not value)

    def filter_below_board(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(below_board=value)


class SettlementFilterSet(ScopedFilterSet):
    site = _receiving_site_filter(label=_("Paying site"), field_name="payer")
    paid = YesNoFilter(label=_("Paid"), method="filter_paid")

    class Meta:
        model = Settlement
        fields = ["site", "paid"]

    def filter_paid(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(paid_on__isnull=not value)


class ShipmentFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    material = django_filters.ModelChoiceFilter(
        label=_("Material"), queryset=Material.objects.all()
    )
    date_from, date_to = date_range_filters(
        "shipped_on", from_label=_("Shipped on or after"), until_label=_("Shipped on or before")
    )
    from_site = django_filters.NumberFilter(widget=forms.HiddenInput)

    class Meta:
        model = Shipment
        fields = ["q", "material", "date_from", "date_to", "from_site"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(processor_name__icontains=value) | Q(processor_credit_code__icontains=value)
        )


class PriceEntryFilterSet(ScopedFilterSet):
    material = django_filters.ModelChoiceFilter(
        label=_("Material"), queryset=Material.objects.all()
    )
    seller_tier = django_filters.ChoiceFilter(label=_("Sale"), choices=SellerTier.choices)

    class Meta:
        model = PriceEntry
        fields = ["material", "seller_tier"]
