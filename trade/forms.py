"""Forms check shape; the services check the market's rules (tiers, statuses, prices)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import is_county_admin
from agencies.forms import UserFormMixin
from anji_recycling.forms import Form, ModelForm
from sites.choices import SiteStatus, SiteTier
from sites.models import Site

from .choices import BalanceFlagKind
from .models import PriceEntry, Shipment, StockDeclaration, Transfer

DECIMAL_INPUT = {"inputmode": "decimal", "step": "0.01", "min": "0"}


def _entering_sites(user, *tiers):
    """Sites a user may enter records for: the county's for the commerce bureau, their own
    township's for a township officer."""
    sites = Site.objects.filter(tier__in=tiers).select_related("township").order_by("tier", "code")
    if user is None or is_county_admin(user):
        return sites
    return sites.filter(township_id=user.township_id)


def _receiving_sites():
    return (
        Site.objects.filter(
            tier__in=[SiteTier.TRANSFER_STATION, SiteTier.SORTING_CENTRE],
            status=SiteStatus.OPERATING,
        )
        .select_related("township")
        .order_by("tier", "code")
    )


def _decimal_inputs(form, *names):
    for name in names:
        form.fields[name].widget.attrs.update(DECIMAL_INPUT)


class TransferForm(UserFormMixin, ModelForm):
    class Meta:
        model = Transfer
        fields = [
            "transferred_on",
            "from_site",
            "to_site",
            "material",
            "grade",
            "weight_kg",
            "unit_price",
            "reason",
            "weighbridge_ticket",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["from_site"].queryset = _entering_sites(
            user, SiteTier.COLLECTION_POINT, SiteTier.TRANSFER_STATION
        ).exclude(status__in=[SiteStatus.BANNED, SiteStatus.CLOSED, SiteStatus.ILLEGAL])
        self.fields["to_site"].queryset = _receiving_sites()
        self.fields["grade"].queryset = (
            self.fields["grade"].queryset.filter(is_active=True).select_related("material")
        )
        self.offer_current_choices("from_site", "to_site", "grade")
        _decimal_inputs(self, "weight_kg", "unit_price")


class PriceEntryForm(UserFormMixin, ModelForm):
    class Meta:
        model = PriceEntry
        fields = ["material", "grade", "seller_tier", "price", "effective_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = self.fields["grade"].queryset.select_related("material")
        _decimal_inputs(self, "price")


class ShipmentForm(UserFormMixin, ModelForm):
    class Meta:
        model = Shipment
        fields = [
            "shipped_on",
            "from_site",
            "processor_name",
            "processor_credit_code",
            "processor_region",
            "material",
            "grade",
            "weight_kg",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_site"].queryset = _entering_sites(self.user, SiteTier.SORTING_CENTRE)
        self.fields["grade"].queryset = self.fields["grade"].queryset.select_related("material")
        self.offer_current_choices("from_site")
        _decimal_inputs(self, "weight_kg")


class StockDeclarationForm(UserFormMixin, ModelForm):
    class Meta:
        model = StockDeclaration
        fields = ["site", "month", "material", "stock_kg"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _entering_sites(
            self.user, SiteTier.TRANSFER_STATION, SiteTier.SORTING_CENTRE
        )
        self.offer_current_choices("site")
        _decimal_inputs(self, "stock_kg")

    def clean_month(self):
        month = self.cleaned_data["month"]
        return month.replace(day=1) if month else month


class SettlementForm(UserFormMixin, Form):
    """Settle every unsettled transfer one site delivered to the paying site in a period."""

    payer = forms.ModelChoiceField(label=_("Paying site"), queryset=Site.objects.none())
    payee = forms.ModelChoiceField(label=_("Paid site"), queryset=Site.objects.none())
    period_start = forms.DateField(label=_("Period from"))
    period_end = forms.DateField(label=_("Period to"))
    paid_on = forms.DateField(label=_("Paid on"), required=False)
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = _entering_sites(
            self.user, SiteTier.TRANSFER_STATION, SiteTier.SORTING_CENTRE
        )
        self.fields["payee"].queryset = (
            Site.objects.filter(tier__in=[SiteTier.COLLECTION_POINT, SiteTier.TRANSFER_STATION])
            .select_related("township")
            .order_by("tier", "code")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("A period cannot end before it starts."))
        return cleaned


class PaymentForm(Form):
    paid_on = forms.DateField(label=_("Paid on"))
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=60, required=False)


def _month_field(label):
    """A month as the browser's month picker sends it: 2026-03."""
    return forms.RegexField(
        label=label,
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Give a month such as 2026-03.")},
    )


class MonthForm(Form):
    """The month a page shows (GET), as the browser's month picker sends it: 2026-03."""

    month = _month_field(_("Month"))

    def month_start(self, default):
        """The first day of the chosen month, or of `default`'s month."""
        if self.is_valid() and self.cleaned_data.get("month"):
            year, month = self.cleaned_data["month"].split("-")
            return default.replace(year=int(year), month=int(month), day=1)
        return default.replace(day=1)


class BalanceForm(MonthForm):
    """The 进出平衡 page's month, and which of its flags to list (the dashboards link here)."""

    kind = forms.ChoiceField(
        label=_("Flag"),
        choices=[("", _("All flags")), *BalanceFlagKind.choices],
        required=False,
    )
    open = forms.BooleanField(label=_("Not cleared only"), required=False)
    # The dashboards' per-township counts link here with the township.
    township = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def shown_flags(self, flags):
        """The flags of the kind (and township) asked for, only those not cleared if asked."""
        if not self.is_valid():
            return flags
        kind, only_open = self.cleaned_data.get("kind"), self.cleaned_data.get("open")
        township = self.cleaned_data.get("township")
        return [
            flag
            for flag in flags
            if (not kind or flag.kind == kind)
            and not (only_open and flag.clearance)
            and (township is None or flag.site.township_id == township)
        ]


class ChartPeriodForm(Form):
    """The market dashboard's period (GET): from one month to another, and the material of
    the price trend. Without them: the twelve months up to this one."""

    start = _month_field(_("From month"))
    end = _month_field(_("To month"))
    material = forms.ModelChoiceField(
        label=_("Price trend of"),
        queryset=None,
        required=False,
        empty_label=_("The most delivered"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sites.models import Material

        self.fields["material"].queryset = Material.objects.all()

    def period(self, today: dt.date) -> tuple[dt.date, dt.date, object]:
        """(first day, last day, material or None)."""
        data = self.cleaned_data if self.is_valid() else {}
        end_month = _month(data.get("end")) or today.replace(day=1)
        start_month = _month(data.get("start")) or _months_before(end_month, 11)
        if start_month > end_month:
            start_month, end_month = end_month, start_month
        last = (end_month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return start_month, last, data.get("material")


def _month(value) -> dt.date | None:
    if not value:
        return None
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


def _months_before(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


class ClearFlagForm(Form):
    """Clear one mass-balance flag with an explanation (posted from the balance page)."""

    site = forms.IntegerField(widget=forms.HiddenInput)
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=BalanceFlagKind.choices, widget=forms.HiddenInput)
    material = forms.IntegerField(required=False, widget=forms.HiddenInput)
    explanation = forms.CharField(label=_("Explanation"), max_length=300)

    def clean_month(self):
        year, month = self.cleaned_data["month"].split("-")
        return dt.date(int(year), int(month), 1)
