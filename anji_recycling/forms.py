"""The pieces every portal form shares: one date widget, one date-and-time widget, one time
widget and one text area, and the ModelForm base that puts them on every field.

The browser's pickers (<input type="date">, "datetime-local", "time") accept only ISO 8601
values (2027-06-30, 2027-06-30T09:30, 09:30). Django's own widgets render the locale's first
input format (2027/06/30 in Chinese): the picker rejects it and shows an empty field, and
saving the form erases the stored date. These widgets always render ISO 8601, whatever the
language, and keep the seconds of a value that has them.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import ModelFormMetaclass
from django.utils import timezone
from django.utils.translation import gettext as _


def _iso_timespec(value: dt.time | dt.datetime) -> str:
    """Minutes, unless the value has seconds (or milliseconds) that editing must keep."""
    if value.microsecond:
        return "milliseconds"
    if value.second:
        return "seconds"
    return "minutes"


def _step(value) -> str | None:
    """The picker's step for a value with seconds or milliseconds (its default is a minute)."""
    if not isinstance(value, dt.time | dt.datetime):
        return None
    return {"seconds": "1", "milliseconds": "0.001"}.get(_iso_timespec(value))


class DateInput(forms.DateInput):
    """The portal's date picker: always ISO 8601 (2027-06-30)."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value or None


class _KeepsSeconds:
    """A time picker steps by the minute unless told otherwise; a value with seconds gets a
    step that shows (and keeps) them."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        step = _step(value)
        if step and "step" not in context["widget"]["attrs"]:
            context["widget"]["attrs"]["step"] = step
        return context


class TimeInput(_KeepsSeconds, forms.TimeInput):
    """The portal's time picker: always ISO 8601 (09:30, or 09:30:15 when it has seconds)."""

    input_type = "time"

    def format_value(self, value):
        if isinstance(value, dt.time):
            return value.isoformat(timespec=_iso_timespec(value))
        return value or None


class DateTimeInput(_KeepsSeconds, forms.DateTimeInput):
    """The portal's date-and-time picker (datetime-local): always ISO 8601 in Beijing time
    (2027-06-30T09:30), the time zone every portal time is shown in."""

    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.make_naive(value)
            return value.isoformat(sep="T", timespec=_iso_timespec(value))
        return value or None


class Textarea(forms.Textarea):
    """Browsers send a textarea's line breaks as CRLF; stored text keeps LF (as the API and the
    imports write it), so saving a form with unchanged text leaves the text as it was."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


# (form field, the Django widget it is given, the portal's widget in its place). Django's form
# DateTimeField is not a DateField; their widgets are all DateTimeBaseInput.
PORTAL_WIDGETS = (
    (forms.DateTimeField, forms.widgets.DateTimeBaseInput, DateTimeInput),
    (forms.DateField, forms.widgets.DateTimeBaseInput, DateInput),
    (forms.TimeField, forms.widgets.DateTimeBaseInput, TimeInput),
    (forms.CharField, forms.Textarea, Textarea),
)


def with_portal_widget(field: forms.Field) -> forms.Field:
    """Put the portal's widget on a date, date-and-time or time field in place of a localised
    one (Django's DateInput, DateTimeInput, TimeInput and their subclasses), and on a text area,
    keeping the widget's attributes. Other widgets (hidden inputs, selects, text inputs) do not
    localise and are left alone."""
    for field_class, django_widget, portal_widget in PORTAL_WIDGETS:
        widget = field.widget
        if not isinstance(field, field_class) or not isinstance(widget, django_widget):
            continue
        if not isinstance(widget, portal_widget):
            attrs = {key: value for key, value in widget.attrs.items() if key != "type"}
            replacement = portal_widget(attrs=attrs)
            replacement.is_required = widget.is_required
            replacement.is_localized = widget.is_localized
            field.widget = replacement
        break
    return field


class PortalFormMetaclass(DeclarativeFieldsMetaclass):
    """Every field of a portal form gets the portal's widget: no form can render a localised
    date that the picker drops."""

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        for field in new_class.base_fields.values():
            with_portal_widget(field)
        return new_class


class PortalModelFormMetaclass(PortalFormMetaclass, ModelFormMetaclass):
    """The same for ModelForms, whose fields come from the model as well as the form."""


class Form(forms.Form, metaclass=PortalFormMetaclass):
    """The base of every plain form in the portal."""


class ModelForm(forms.ModelForm, metaclass=PortalModelFormMetaclass):
    """The base of every ModelForm in the portal (tests/test_edit_round_trip.py checks that
    opening one to edit and saving it unchanged changes nothing)."""

    def offer_current_choices(self, *names: str) -> None:
        """Choices narrowed to what new rows may take (current villages, active users, the
        user's own area) also offer what the row being edited already holds: otherwise the
        browser selects nothing (or the first choice) and saving drops it. Only that value is
        added, so nobody can choose anything they could not choose before."""
        if self.instance.pk is None:
            return
        for name in names:
            field = self.fields[name]
            model_field = self.instance._meta.get_field(name)
            if model_field.many_to_many:
                held = getattr(self.instance, name).values("pk")
            else:
                held = [value] if (value := getattr(self.instance, model_field.attname)) else []
            field.queryset = field.queryset | field.queryset.model._base_manager.filter(pk__in=held)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ticked rows of a list page, at most `max_count` (refused before the database is asked)."""

    def __init__(self, *args, max_count: int, **kwargs):
        self.max_count = max_count
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if value and len(value) > self.max_count:
            raise ValidationError(
                _("Tick at most %(count)s rows at once.") % {"count": self.max_count},
                code="too_many",
            )
        return super().clean(value)
