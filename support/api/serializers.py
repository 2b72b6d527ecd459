from rest_framework import serializers

from ..models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


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


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssociationNotice
        fields = ["id", "kind", "title", "body", "published_on", "operators", "published_by"]
        read_only_fields = ["published_by"]
        extra_kwargs = {
            "operators": {"required": False, "allow_empty": True},
            "published_on": {"required": False},
        }


class PublicitySerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = PublicityActivity
        fields = [
            "id",
            "held_on",
            "township",
            "township_name",
            "agency",
            "form",
            "topic",
            "audience",
            "audience_count",
            "materials",
        ]
        read_only_fields = ["agency"]
