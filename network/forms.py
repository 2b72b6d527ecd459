"""Forms check shape; the services and the model check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import UserFormMixin
from agencies.models import Township, Village
from anji_recycling.forms import DateInput, Form, ModelForm
from anji_recycling.validators import validate_image_upload
from sites.forms import PositionFormMixin
from sites.models import Operator, Site
from sites.selectors import parent_candidates

from .models import NetworkProject, is_county_builder
from .selectors import kinds_for

AMOUNT_INPUT = {"inputmode": "decimal", "step": "0.01", "min": "0"}


class ProjectForm(UserFormMixin, PositionFormMixin, ModelForm):
    class Meta:
        model = NetworkProject
        fields = [
            "name",
            "kind",
            "township",
            "village",
            "venue_type",
            "address",
            "latitude",
            "longitude",
            "builder",
            "operator",
            "parent",
            "site",
            "investment_government",
            "investment_enterprise",
            "investment_social",
            "subsidy",
            "land_status",
            "target_year",
            "planned_on",
            "planned_approval_on",
            "planned_construction_on",
            "planned_completion_on",
            "planned_operation_on",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        if not is_county_builder(user):
            self.fields["township"].queryset = Township.objects.filter(pk=user.township_id)
            self.fields["township"].initial = user.township_id
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds_for(user)]
        self.fields["village"].queryset = (
            Village.objects.visible_to(user).filter(is_active=True).select_related("township")
        )
        self.fields["operator"].queryset = Operator.objects.visible_to(user)
        self.fields["parent"].queryset = parent_candidates(user=user)
        self.fields["site"].queryset = (
            Site.objects.visible_to(user)
            .filter(network_project__isnull=True)
            .select_related("township")
            .order_by("tier", "code")
        )
        self.offer_current_choices("village", "operator", "parent", "site")
        for name in ["latitude", "longitude"]:
            self.fields[name].widget.attrs.update({"step": "0.000001", "inputmode": "decimal"})
        for name in [
            "investment_government",
            "investment_enterprise",
            "investment_social",
            "subsidy",
        ]:
            self.fields[name].widget.attrs.update(AMOUNT_INPUT)


class AdvanceForm(Form):
    on = forms.DateField(label=_("Date of the stage"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ProjectPhotoForm(Form):
    image = forms.ImageField(label=_("Photo"), validators=[validate_image_upload])
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class SuggestionForm(Form):
    """The suggestions' township and radius (the page's and the API's query)."""

    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Township.objects.none(), required=False
    )
    radius = forms.DecimalField(
        label=_("Radius (km)"),
        min_value=0.2,
        max_value=20,
        decimal_places=1,
        required=False,
        help_text=_("Unserved villages closer than this share one suggested point."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Township.objects.in_territory_of(user)
