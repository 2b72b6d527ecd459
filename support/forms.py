from agencies.forms import UserFormMixin
from anji_recycling.forms import ModelForm
from anji_recycling.validators import validate_attachment
from sites.models import Operator, Site

from .models import LandSupportCase, Subsidy


class SubsidyForm(UserFormMixin, ModelForm):
    class Meta:
        model = Subsidy
        fields = [
            "operator",
            "kind",
            "basis_document",
            "amount",
            "granted_on",
            "purpose",
            "evidence",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Operator.objects.visible_to(self.user).select_related(
            "township"
        )
        self.fields["evidence"].validators.append(validate_attachment)


class LandSupportForm(UserFormMixin, ModelForm):
    class Meta:
        model = LandSupportCase
        fields = [
            "site",
            "kind",
            "request",
            "requested_on",
            "area",
            "decision",
            "decided_on",
            "decision_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(self.user).select_related("township")
