from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anji_recycling.api.fields import AllowedActionsField, RelatedNameField
from anji_recycling.api.relations import FormScopedRelationsMixin

from ..forms import ProjectForm
from ..models import NetworkProject
from ..policy import PROJECT_POLICY

AMOUNT = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": False, "min_value": 0}


class ProjectSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    township_name = RelatedNameField(source="township.name")
    # The village as the pages show it (康山村); its NBS name (康山村委会) beside it.
    village_name = RelatedNameField(source="village")
    village_official_name = RelatedNameField(source="village.name")
    site_code = RelatedNameField(source="site.code")
    investment_government = serializers.DecimalField(**AMOUNT, required=False)
    investment_enterprise = serializers.DecimalField(**AMOUNT, required=False)
    investment_social = serializers.DecimalField(**AMOUNT, required=False)
    subsidy = serializers.DecimalField(**AMOUNT, required=False)
    allowed_actions = AllowedActionsField(
        PROJECT_POLICY,
        help_text=_(
            "What the requesting user may do to the project now: change, advance, add_photo."
        ),
    )

    class Meta:
        scope_form = ProjectForm
        model = NetworkProject
        fields = [
            "id",
            "name",
            "kind",
            "stage",
            "township",
            "township_name",
            "village",
            "village_name",
            "village_official_name",
            "address",
            "venue_type",
            "latitude",
            "longitude",
            "builder",
            "operator",
            "parent",
            "site",
            "site_code",
            "investment_government",
            "investment_enterprise",
            "investment_social",
            "subsidy",
            "land_status",
            "target_year",
            "planned_on",
            "approved_on",
            "construction_started_on",
            "completed_on",
            "operating_on",
            "planned_approval_on",
            "planned_construction_on",
            "planned_completion_on",
            "planned_operation_on",
            "note",
            "allowed_actions",
        ]
        read_only_fields = [
            "stage",
            "approved_on",
            "construction_started_on",
            "completed_on",
            "operating_on",
        ]
        extra_kwargs = {"planned_on": {"required": False}, "target_year": {"required": False}}


class AdvanceInputSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("The date the project reached its next stage."))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SuggestionQuerySerializer(serializers.Serializer):
    township = serializers.IntegerField(required=False, help_text=_("A township's id."))
    radius = serializers.FloatField(
        min_value=0.2,
        max_value=20,
        required=False,
        help_text=_("Unserved villages closer than this (km) share one suggested point."),
    )
