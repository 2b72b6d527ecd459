"""Forms check shape; services and models check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import is_county_admin
from agencies.forms import UserFormMixin
from agencies.models import Township, Village
from anji_recycling.forms import Form, ModelForm
from anji_recycling.validators import validate_image_upload

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


class SiteForm(UserFormMixin, ModelForm):
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
        for name in ["latitude", "longitude"]:
            self.fields[name].widget.attrs.update({"step": "0.000001", "inputmode": "decimal"})
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
