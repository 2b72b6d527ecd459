"""Forms for filing a patrol report from a phone. They check shape (and give each message its
field); inspections.services.file_inspection and sites.services.register_site check the rules."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import township_scope
from agencies.models import ProblemCategory, Township, Village
from anji_recycling.forms import BoundedModelMultipleChoiceField, DateTimeInput, Form, ModelForm
from anji_recycling.validators import validate_image_upload, validate_position

from .bulk import MAX_ROWS
from .choices import ChecklistAnswer, InspectionResult
from .models import PatrolPlan, PatrolTask
from .services import (
    MAX_FINDINGS,
    MAX_PHOTOS_PER_FINDING,
    FindingInput,
    ensure_not_in_future,
    too_many_photos,
)

SIX_PLACES = Decimal("0.000001")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ILLEGAL_POINT_DEFAULT_NAME = "无证回收点"


class MultipleFileInput(forms.ClearableFileInput):
    """Several photos in one input (Django's "Uploading multiple files")."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []

    def has_changed(self, initial, data):
        # An empty multiple input submits [], which is no change: an untouched extra form of a
        # formset stays empty instead of asking for its required fields.
        return not self.disabled and bool(data)


class CoordinateInput(forms.TextInput):
    """Decimal degrees typed on a phone: the decimal keypad, no spinner, no autofill."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class CoordinateFormField(forms.DecimalField):
    """A phone's position has more decimals than the six (0.1 m) that are kept: round them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CoordinateInput())
        super().__init__(max_value=180, min_value=-180, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return None if value is None else value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


class PositionMixin:
    """Latitude and longitude: both or neither, inside Anji (the message goes to latitude)."""

    def clean(self):
        cleaned_data = super().clean()
        latitude, longitude = cleaned_data.get("latitude"), cleaned_data.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return cleaned_data
        try:
            validate_position(latitude, longitude)
        except ValidationError as error:
            self.add_error("latitude", error)
        return cleaned_data


def _local_now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class SiteSearchForm(Form):
    """The site chooser: a search, and the phone's position to put the nearest sites first."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, site number, address or operator"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )
    lat = CoordinateFormField(required=False, widget=forms.HiddenInput)
    lng = CoordinateFormField(required=False, widget=forms.HiddenInput)

    def position(self):
        """The phone's position, when it gave one (both coordinates, plausible values)."""
        if not self.is_valid():
            return None
        latitude, longitude = self.cleaned_data["lat"], self.cleaned_data["lng"]
        if latitude is None or longitude is None or abs(latitude) > 90:
            return None
        return latitude, longitude


class ReportForm(PositionMixin, Form):
    """One patrol report: when, where, the checklist, the overall result and a note. The
    findings come in FindingFormSet."""

    inspected_at = forms.DateTimeField(
        label=_("Date and time of the inspection"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=DateTimeInput(),
    )
    latitude = CoordinateFormField(label=_("Latitude"), required=False)
    longitude = CoordinateFormField(label=_("Longitude"), required=False)
    result = forms.ChoiceField(
        label=_("Overall result"),
        choices=InspectionResult.choices,
        widget=forms.RadioSelect,
        required=False,  # left open, the findings give it (services.result_of)
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A new key for each form shown (the offline queue sets its own): sending the same report
    # again returns the inspection already filed (inspections.services.file_inspection).
    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items=(), unregistered=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        if unregistered:
            # A point that is not registered is a problem in itself.
            self.fields["result"].choices = [
                choice
                for choice in InspectionResult.choices
                if choice[0] != InspectionResult.PASSED
            ]
        self.fields["inspected_at"].initial = _local_now_minute
        self.fields["idempotency_key"].initial = uuid.uuid4
        for item in self.items:
            self.fields[self.item_field_name(item)] = forms.ChoiceField(
                label=item.text,
                choices=ChecklistAnswer.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def item_field_name(item) -> str:
        return f"item_{item.pk}"

    def checklist(self):
        """(item, bound field) in the checklist's order, for the template."""
        return [(item, self[self.item_field_name(item)]) for item in self.items]

    def clean_inspected_at(self):
        value = self.cleaned_data["inspected_at"]
        ensure_not_in_future(value)
        return value

    def answers(self) -> dict:
        """{item id: answer} for the items answered."""
        return {
            item.pk: self.cleaned_data[self.item_field_name(item)]
            for item in self.items
            if self.cleaned_data.get(self.item_field_name(item))
        }


class FindingForm(Form):
    """One problem found: its category (which decides who handles it), what was seen, photos."""

    category = forms.ModelChoiceField(
        label=_("Problem category"),
        queryset=ProblemCategory.objects.filter(is_active=True),
        empty_label=_("Choose the kind of problem"),
    )
    description = forms.CharField(
        label=_("What was found"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_serious = forms.BooleanField(label=_("Serious violation"), required=False)
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("JPEG, PNG or WebP, at most 10 MB each."),
    )

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > MAX_PHOTOS_PER_FINDING:
            raise too_many_photos()
        errors = []
        for photo in photos:
            try:
                validate_image_upload(photo)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return photos

    def finding_input(self) -> FindingInput:
        data = self.cleaned_data
        return FindingInput(
            category=data["category"],
            description=data["description"],
            is_serious=data["is_serious"],
            photos=data["photos"],
        )


class BaseFindingFormSet(forms.BaseFormSet):
    def finding_inputs(self) -> list[FindingInput]:
        """The findings filled in; untouched empty forms are left out."""
        return [form.finding_input() for form in self.forms if form.cleaned_data]

    def has_photos(self) -> bool:
        """Whether photos came with the post (a browser cannot send them again by itself)."""
        return any(key.endswith("-photos") for key in self.files or {})


FindingFormSet = forms.formset_factory(
    FindingForm,
    formset=BaseFindingFormSet,
    extra=1,
    max_num=MAX_FINDINGS,
    validate_max=True,
)
FINDINGS_PREFIX = "findings"


class VillageSelect(forms.Select):
    """Each village names its township (data-township), so the page offers only the chosen
    township's villages."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-township"] = instance.township_id
        return option


class IllegalPointForm(PositionMixin, Form):
    """An unregistered recycling point found on patrol (非法点位): where it is, so it can be
    banned or regularised."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        initial=ILLEGAL_POINT_DEFAULT_NAME,
        help_text=_("A shop sign or the operator's name, if there is one."),
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none())
    village = forms.ModelChoiceField(
        label=_("Village or community"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("Not known"),
        widget=VillageSelect,
    )
    latitude = CoordinateFormField(label=_("Latitude"))
    longitude = CoordinateFormField(label=_("Longitude"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the point collects, who runs it, since when."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        townships = Township.objects.in_territory_of(user)
        self.fields["township"].queryset = townships
        self.fields["village"].queryset = (
            Village.objects.visible_to(user).filter(is_active=True).order_by("township", "code")
        )
        own = township_scope(user)
        if own is not None:
            # Township staff record points in their own township only.
            self.fields["township"].initial = own
            self.fields["township"].disabled = True

    def clean(self):
        cleaned_data = super().clean()
        township, village = cleaned_data.get("township"), cleaned_data.get("village")
        if township and village and village.township_id != township.pk:
            self.add_error(
                "village",
                _("%(village)s is not in %(township)s.")
                % {"village": village, "township": township},
            )
        return cleaned_data


class PatrolPlanForm(ModelForm):
    class Meta:
        model = PatrolPlan
        fields = ["name", "status", "tier", "township", "frequency", "is_active"]


class AssignPatrolTaskForm(Form):
    worker = forms.IntegerField(label=_("grid worker"))


class BulkAssignPatrolTasksForm(Form):
    """The unassigned tasks ticked on the page and the grid worker to give them to."""

    worker = forms.IntegerField(
        label=_("grid worker"), error_messages={"required": _("Choose a grid worker.")}
    )
    tasks = BoundedModelMultipleChoiceField(
        label=_("patrol tasks"),
        queryset=PatrolTask.objects.none(),
        max_count=MAX_ROWS,
        error_messages={
            "required": _("Tick the patrol tasks first."),
            "invalid_choice": _("Patrol task %(value)s is not one of yours (or no longer exists)."),
            "invalid_pk_value": _("“%(pk)s” is not a patrol task."),
        },
    )

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks.select_related("site", "township")
