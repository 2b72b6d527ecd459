from rest_framework import serializers

from anji_recycling.api.fields import RelatedNameField
from anji_recycling.api.relations import FormScopedRelationsMixin

from ..choices import SiteStatus
from ..forms import OperatorForm, SiteForm
from ..models import Material, Operator, Site, SiteStatusChange


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = ["id", "code", "name"]


class OperatorSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    is_filing_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        scope_form = OperatorForm
        model = Operator
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "legal_representative",
            "contact_phone",
            "township",
            "township_name",
            "address",
            "business_scope",
            "licence_issued_on",
            "licence_valid_until",
            "filing_number",
            "filed_on",
            "is_coop_enterprise",
            "is_leading_enterprise",
            "is_third_party_operator",
            "contract_starts_on",
            "contract_ends_on",
            "is_filing_overdue",
            "note",
        ]
        validators = []


class SiteSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    # The village as the pages show it (康山村); its NBS name (康山村委会) beside it.
    village_name = RelatedNameField(source="village")
    village_official_name = RelatedNameField(source="village.name")
    operator_name = RelatedNameField(source="operator.name")
    materials = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Material.objects.all(), required=False
    )

    class Meta:
        scope_form = SiteForm
        model = Site
        fields = [
            "id",
            "code",
            "name",
            "tier",
            "status",
            "township",
            "township_name",
            "village",
            "village_name",
            "village_official_name",
            "venue_type",
            "address",
            "latitude",
            "longitude",
            "operator",
            "operator_name",
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
        read_only_fields = ["code"]
        validators = []


class SiteStatusChangeInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=SiteStatus.choices)
    reason = serializers.CharField(max_length=300)


class SiteStatusChangeSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.__str__", read_only=True, default="")

    class Meta:
        model = SiteStatusChange
        fields = ["id", "from_status", "to_status", "at", "actor", "actor_name", "reason", "source"]
