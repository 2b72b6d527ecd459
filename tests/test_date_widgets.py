"""Every date, date-and-time and time field of every form and filter in the portal renders a
value the browser's picker accepts (ISO 8601), in Chinese and in English, and reads it back as
the same value; every text area keeps LF line breaks. The forms and FilterSets are found by
walking the apps (tests/portal_forms.py), so a new one is checked without being listed."""

import datetime as dt

import pytest
from django import forms
from django.utils import timezone, translation

from anji_recycling.forms import DateInput, DateTimeInput, Textarea
from tests.html_forms import page_forms, sanitised
from tests.portal_forms import label, portal_filtersets, portal_form_classes, portal_model_forms

ANJI = dt.timezone(dt.timedelta(hours=8))
# A value each kind of field holds, and the picker that must show it.
SAMPLES = (
    (forms.DateTimeField, dt.datetime(2027, 6, 30, 9, 5, tzinfo=ANJI), "datetime-local"),
    (forms.DateTimeField, dt.datetime(2027, 6, 30, 9, 5, 42, tzinfo=ANJI), "datetime-local"),
    (forms.DateField, dt.date(2027, 6, 30), "date"),
    (forms.TimeField, dt.time(9, 5), "time"),
    (forms.TimeField, dt.time(9, 5, 42), "time"),
)


def form_fields():
    """(where, field) for every field of every portal form class and FilterSet."""
    for form_class in portal_form_classes():
        for name, field in form_class.base_fields.items():
            yield f"{label(form_class)}.{name}", field
    for filterset in portal_filtersets():
        for name, filter_ in filterset.base_filters.items():
            yield f"{label(filterset)}.{name}", filter_.field


def rendered_input(field, value) -> dict:
    html = field.widget.render("when", field.prepare_value(value))
    inputs = page_forms(f"<form>{html}</form>")[0].inputs
    assert len(inputs) == 1, html
    return inputs[0]


def test_the_walk_finds_the_forms_and_filters_with_dates():
    """The walk reaches into every app: the date fields the issue names are among those
    checked."""
    where = {name for name, _field in form_fields()}
    assert {
        "sites.forms.OperatorForm.licence_valid_until",
        "sites.forms.OperatorForm.filed_on",
        "inspections.case_forms.EnforcementForm.decided_on",
        "agencies.meeting_forms.ActionItemForm.due_on",
        "agencies.forms.MembershipForm.start_date",
        "agencies.meeting_forms.MeetingForm.starts_at",
        "inspections.forms.ReportForm.inspected_at",
        "inspections.filters.CaseFilterSet.closed_after",
    } <= where


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_field_renders_a_value_the_picker_accepts_and_reads_it_back(language):
    checked = 0
    with translation.override(language), timezone.override("Asia/Shanghai"):
        for where, field in form_fields():
            for field_class, value, picker in SAMPLES:
                if not isinstance(field, field_class):
                    continue
                attributes = rendered_input(field, value)
                shown = attributes.get("value", "")
                assert attributes.get("type") == picker, f"{where} renders {attributes}"
                assert sanitised(picker, shown) == shown != "", f"{where} renders {shown!r}"
                assert field.clean(shown) == value, f"{where} reads {shown!r} back wrong"
                checked += 1
    assert checked


def test_a_date_and_time_is_shown_in_beijing_time():
    field = forms.DateTimeField(widget=DateTimeInput())
    utc = dt.datetime(2027, 6, 30, 17, 30, tzinfo=dt.UTC)
    with timezone.override("Asia/Shanghai"):
        assert rendered_input(field, utc)["value"] == "2027-07-01T01:30"
        assert field.clean("2027-07-01T01:30") == utc


def test_django_date_widgets_on_a_portal_form_get_the_portal_widgets():
    """A field declared with Django's own widget (which renders 2027/06/30 in Chinese) still
    renders ISO 8601 on a portal form: the base puts the portal's widget in its place, keeping
    its attributes."""
    from anji_recycling.forms import Form

    class AppointmentForm(Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"class": "narrow"}))
        starts = forms.DateTimeField(widget=forms.DateTimeInput)
        at = forms.TimeField(widget=forms.TimeInput)
        note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    fields = AppointmentForm.base_fields
    assert isinstance(fields["day"].widget, DateInput)
    assert fields["day"].widget.attrs["class"] == "narrow"
    assert isinstance(fields["note"].widget, Textarea)
    initial = {
        "day": dt.date(2027, 6, 30),
        "starts": dt.datetime(2027, 6, 30, 9, 5, 42, tzinfo=ANJI),
        "at": dt.time(9, 5),
    }
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        inputs = page_forms(f"<form>{AppointmentForm(initial=initial).as_div()}</form>")[0].inputs
    shown = {attrs["name"]: (attrs["type"], attrs["value"], attrs.get("step")) for attrs in inputs}
    assert shown == {
        "day": ("date", "2027-06-30", None),
        "starts": ("datetime-local", "2027-06-30T09:05:42", "1"),
        "at": ("time", "09:05", None),
    }


def test_every_text_area_keeps_lf_line_breaks():
    """Browsers submit CRLF; text saved unchanged must stay as stored (LF), or every edit
    would record a change in the history that nobody made."""
    for where, field in form_fields():
        if isinstance(field.widget, forms.Textarea):
            assert isinstance(field.widget, Textarea), f"{where} uses Django's Textarea"
            data = {"text": "第一行\r\n第二行"}
            assert field.widget.value_from_datadict(data, {}, "text") == "第一行\n第二行"


def test_every_model_form_is_built_on_the_portal_base():
    """So that a date field added to a model gets the ISO widget on every form without anyone
    remembering it."""
    from anji_recycling.forms import ModelForm

    assert portal_model_forms()
    for form_class in portal_model_forms():
        assert issubclass(form_class, ModelForm), label(form_class)
