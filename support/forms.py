from django.utils.translation import gettext_lazy as _

from accounts.access import township_scope
from agencies.forms import UserFormMixin
from agencies.models import Township
from anji_recycling.forms import ModelForm
from anji_recycling.validators import validate_attachment, validate_image_upload
from network.models import NetworkProject
from sites.models import Operator, Site

from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


class SubsidyForm(UserFormMixin, ModelForm):
    class Meta:
        model = Subsidy
        fields = [
            "operator",
            "project",
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
        self.fields["operator"].help_text = _(
            "The operator the grant goes to; leave empty for a grant to a network project."
        )
        self.fields["project"].queryset = NetworkProject.objects.visible_to(
            self.user
        ).select_related("township")
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


class NoticeForm(UserFormMixin, ModelForm):
    """Operators left empty: the notice goes to every operator of the county."""

    class Meta:
        model = AssociationNotice
        fields = ["kind", "title", "body", "published_on", "operators"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        operators = self.fields["operators"]
        operators.required = False
        operators.queryset = Operator.objects.visible_to(self.user).select_related("township")
        operators.help_text = _("Leave empty to publish to every operator of the county.")


class PublicityForm(UserFormMixin, ModelForm):
    class Meta:
        model = PublicityActivity
        fields = [
            "held_on",
            "township",
            "form",
            "topic",
            "audience",
            "audience_count",
            "materials",
            "photo",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = township_scope(self.user) if self.user is not None else None
        if scope is not None:
            self.fields["township"].queryset = Township.objects.filter(pk=scope)
        self.fields["photo"].validators.append(validate_image_upload)
