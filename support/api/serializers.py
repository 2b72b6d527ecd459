from rest_framework import serializers

from ..models import LandSupportCase, Subsidy


class SubsidySerializer(serializers.ModelSerializer):
    operator_name = serializers.CharField(source="operator.name", read_only=True)
    granted_by_name = serializers.CharField(source="granted_by.name", read_only=True)

    class Meta:
        model = Subsidy
        fields = [
            "id",
            "operator",
            "operator_name",
            "kind",
            "basis_document",
            "amount",
            "granted_on",
            "purpose",
            "granted_by",
            "granted_by_name",
            "evidence",
        ]
        read_only_fields = ["granted_by", "evidence"]


class LandSupportSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)

    class Meta:
        model = LandSupportCase
        fields = [
            "id",
            "site",
            "site_name",
            "kind",
            "request",
            "requested_on",
            "area",
            "decision",
            "decided_on",
            "decision_note",
        ]
