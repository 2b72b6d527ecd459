from rest_framework import serializers

from ..models import Agency, AgencyDuty, DutyRule, ProblemCategory, Township, Village


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "code", "name", "kind", "latitude", "longitude", "source"]


class VillageSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = Village
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "township",
            "township_name",
            "kind",
            "urban_rural_code",
            "urban_rural_source",
            "latitude",
            "longitude",
            "is_active",
            "source",
        ]
        read_only_fields = ["urban_rural_source"]


class AgencyDutySerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyDuty
        fields = ["id", "text", "sort_order"]


class AgencySerializer(serializers.ModelSerializer):
    duties = AgencyDutySerializer(many=True, read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name", "kind", "sort_order", "duties"]


class ProblemCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemCategory
        fields = ["id", "code", "name", "examples", "sort_order", "is_active"]


class DutyRuleSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    lead_label = serializers.CharField(read_only=True)

    class Meta:
        model = DutyRule
        fields = [
            "id",
            "category",
            "category_name",
            "area",
            "lead_kind",
            "lead_agency",
            "lead_label",
            "register_days",
            "dispatch_days",
            "handle_days",
            "verify_days",
            "note",
            "is_active",
        ]
        # The model and service validate the rule as a whole (one message for page, admin
        # and API); the serializer checks only shape.
        validators = []
