"""Forms check shape; services and models check the rules."""

from decimal import ROUND_HALF_UP

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.access import is_county_admin
from agencies.forms import UserFormMixin
from agencies.models import Township, Village
from anji_recycling.coordinates import DECIMAL_PLACE, CoordinateSystem, parse_pair, to_wgs84
from anji_recycling.forms import Form, ModelForm
from anji_recycling.validators import validate_image_upload, validate_position

from . import selectors
from .choices import SiteStatus
from .models import Material, Operator, Site


def _limit_townships(form, user):
    """A township officer registers only in their own township."""
    if is_county_admin(user):
        return
    townships = Township.objects.filter(pk=user.township_id)
    form.fields["township"].queryset = townships
    form.fields["township"].initial = user.township_id


class OperatorForm(UserFormMixin, ModelForm):
    class Meta:
        model = Operator
        fields = [
            "name",
            "kind",
            "credit_code",
            "legal_representative",
            "contact_phone",
            "township",
            "address",
            "business_scope",
            "licence_issued_on",
            "licence_valid_until",
            "filing_number",
            "filed_on",
            "note",
            "is_coop_enterprise",
            "is_leading_enterprise",
            "is_third_party_operator",
            "contract_starts_on",
            "contract_ends_on",
        ]
        widgets = {"business_scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_townships(self, self.user)


class PositionFormMixin(forms.Form):
    """The position of a site or a project, beside the map picker (sites/site_form.html):
    picked on the map (WGS-84), or numbers copied from a map app in its own system, converted
    to WGS-84 here (anji_recycling/coordinates.py) before the model checks that the place lies
    in the county. The form's model has township, village, latitude and longitude."""

    pasted_position = forms.CharField(
        label=_("Paste a position"),
        required=False,
        max_length=60,
        help_text=_(
            "A pair copied from a map app, such as 119.681234,30.638123: it fills in the "
            "longitude and latitude."
        ),
    )
    coordinate_system = forms.ChoiceField(
        label=_("Coordinate system"),
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.WGS84,
        required=False,  # WGS-84 when not sent (the API, older pages)
        help_text=_(
            "Where the numbers come from: a point clicked on this map or a phone's location is "
            "WGS-84; one copied from Amap or Tencent Maps is GCJ-02, from Baidu Maps BD-09. "
            "It is converted to WGS-84 when saved."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["latitude", "longitude"]:
            self.fields[name].widget.attrs.update({"step": "0.000001", "inputmode": "decimal"})
        self.fields["latitude"].help_text = _(
            "North latitude, such as 30.638123 (in Anji between 30.2 and 30.9)."
        )
        self.fields["longitude"].help_text = _(
            "East longitude, such as 119.681234 (in Anji between 119.2 and 119.9)."
        )
        self.fields["township"].help_text = _("The map goes to the township you choose.")
        self.fields["village"].help_text = _(
            "Only the chosen township's villages are listed; the map goes to the village."
        )

    # Under the map, in this order.
    POSITION_FIELDS = ("pasted_position", "coordinate_system", "latitude", "longitude")

    def position_fields(self):
        return [self[name] for name in self.POSITION_FIELDS]

    def clean(self):
        cleaned = super().clean()
        pasted = cleaned.get("pasted_position")
        if pasted:
            pair = parse_pair(pasted)
            if pair is None:
                self.add_error(
                    "pasted_position",
                    _("Paste two numbers, longitude and latitude, such as 119.681234,30.638123."),
                )
                return cleaned
            cleaned["latitude"], cleaned["longitude"] = pair
        system = cleaned.get("coordinate_system") or CoordinateSystem.WGS84
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and longitude is not None:
            cleaned["latitude"], cleaned["longitude"] = to_wgs84(system, latitude, longitude)
        return cleaned


def _degrees(label, limit, required, message):
    return forms.DecimalField(
        label=label,
        min_value=-limit,
        max_value=limit,
        error_messages={
            "required": required,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class PositionPreviewForm(Form):
    """The map picker's preview (sites:position-wgs84): numbers in a named system, converted
    to WGS-84 with the form's own conversion; outside_county() says what saving would say of a
    place outside the county."""

    system = forms.ChoiceField(
        choices=CoordinateSystem.choices,
        error_messages={"invalid_choice": _("Choose WGS-84, GCJ-02 or BD-09 as the system.")},
    )
    latitude = _degrees(
        _("latitude"),
        90,
        _("Give the latitude."),
        _("The latitude must be a number of degrees between -90 and 90."),
    )
    longitude = _degrees(
        _("longitude"),
        180,
        _("Give the longitude."),
        _("The longitude must be a number of degrees between -180 and 180."),
    )

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if self.errors or latitude is None or longitude is None:
            return cleaned
        latitude, longitude = to_wgs84(cleaned["system"], latitude, longitude)
        cleaned["latitude"] = latitude.quantize(DECIMAL_PLACE, ROUND_HALF_UP)
        cleaned["longitude"] = longitude.quantize(DECIMAL_PLACE, ROUND_HALF_UP)
        return cleaned

    def outside_county(self) -> str:
        """What saving would say of the converted position ("" when it lies in the county)."""
        try:
            validate_position(self.cleaned_data["latitude"], self.cleaned_data["longitude"])
        except ValidationError as error:
            return error.messages[0]
        return ""


class SiteForm(UserFormMixin, PositionFormMixin, ModelForm):
    materials = forms.ModelMultipleChoiceField(
        label=_("Materials"),
        queryset=Material.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Site
        fields = [
            "name",
            "tier",
            "status",
            "township",
            "village",
            "venue_type",
            "address",
            "latitude",
            "longitude",
            "operator",
            "parent",
            "materials",
            "floor_area",
            "daily_capacity",
            "opening_hours",
            "dual_use",
            "contact_name",
            "contact_phone",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        _limit_townships(self, user)
        self.fields["village"].queryset = (
            Village.objects.visible_to(user).filter(is_active=True).select_related("township")
        )
        self.fields["operator"].queryset = Operator.objects.visible_to(user)
        self.fields["parent"].queryset = selectors.parent_candidates(user=user)
        # A site keeps its village when the NBS list drops the village's code, and an
        # operator or parent the commerce bureau set outside the officer's township.
        self.offer_current_choices("village", "operator", "parent")
        if self.instance.pk:
            # The status changes through the status action, which asks for a reason.
            self.fields["status"].disabled = True
        else:
            self.fields["status"].initial = SiteStatus.PLANNED


class SiteStatusForm(Form):
    to = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(value, SiteStatus(value).label) for value in choices]


class SitePhotoForm(Form):
    image = forms.ImageField(label=_("Photo"), validators=[validate_image_upload])
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)
