from rest_framework import serializers

from anji_recycling.api.fields import RelatedNameField
from anji_recycling.api.relations import FormScopedRelationsMixin

from ..forms import LandSupportForm, NoticeForm, PublicityForm, SubsidyForm
from ..models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


class SubsidySerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    # "" when the grant has the other kind of recipient; present in PATCH answers too.
    operator_name = RelatedNameField(source="operator.name")
    project_name = RelatedNameField(source="project.name")
    granted_by_name = serializers.CharField(source="granted_by.name", read_only=True)

    class Meta:
        scope_form = SubsidyForm
        model = Subsidy
        fields = [
            "id",
            "operator",
            "operator_name",
            "project",
            "project_name",
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
        # One recipient, operator or project: the service's check (Chinese message).
        validators = []


class LandSupportSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)

    class Meta:
        scope_form = LandSupportForm
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


class NoticeSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    class Meta:
        scope_form = NoticeForm
        model = AssociationNotice
        fields = ["id", "kind", "title", "body", "published_on", "operators", "published_by"]
        read_only_fields = ["published_by"]
        extra_kwargs = {
            "operators": {"required": False, "allow_empty": True},
            "published_on": {"required": False},
        }


class PublicitySerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        scope_form = PublicityForm
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


class NoticeOperatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    township = serializers.CharField(source="township.name")


class NoticeDeliverySerializer(serializers.Serializer):
    recipient = serializers.CharField()
    township = serializers.CharField(source="recipient.township.name", default="")
    told_at = serializers.DateTimeField(source="created_at")
    read_at = serializers.DateTimeField(allow_null=True)


class NoticeRecipientsSerializer(serializers.Serializer):
    """Who received a notice (its publishers only): bounded lists and their counts."""

    operator_count = serializers.IntegerField()
    operators = NoticeOperatorSerializer(many=True)
    people_count = serializers.IntegerField()
    read_count = serializers.IntegerField()
    people = NoticeDeliverySerializer(many=True)
