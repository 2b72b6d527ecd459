"""The township's and the county office's forms on a resident's report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anji_recycling.forms import Form, Textarea

from .choices import PublicStatus


class ReplyForm(Form):
    status = forms.ChoiceField(label=_("Status the resident sees"), choices=PublicStatus.choices)
    reply = forms.CharField(label=_("Reply to the resident"), max_length=500, widget=Textarea)


class MergeForm(Form):
    into = forms.CharField(label=_("Merge into case number"), max_length=20)


class RejectForm(Form):
    comment = forms.CharField(label=_("Reason (the resident reads it)"), max_length=500)
