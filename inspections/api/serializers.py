from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency
from anji_recycling.api.fields import AllowedActionsField

from ..choices import CaseAction, EnforcementKind, RequestKind
from ..models import (
    Case,
    CaseEvent,
    CaseRequest,
    EnforcementAction,
    Finding,
    Inspection,
)
from ..policy import CASE_POLICY, REQUEST_POLICY


class FindingSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = Finding
        fields = [
            "id",
            "category",
            "category_name",
            "description",
            "is_serious",
            "case",
            "case_number",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    inspector_name = serializers.CharField(source="inspector.__str__", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "site",
            "site_name",
            "township",
            "inspector",
            "inspector_name",
            "inspected_at",
            "result",
            "latitude",
            "longitude",
            "note",
        ]


class InspectionDetailSerializer(InspectionSerializer):
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "findings"]


class CaseSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    lead_label = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    assisting_agencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    allowed_actions = AllowedActionsField(
        CASE_POLICY,
        help_text=_(
            "What the requesting user may do to the case now (the case policy): the moves "
            "of POST act, and reroute, assign, request_time, record_enforcement, "
            "add_assisting, remove_assisting."
        ),
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "site",
            "site_name",
            "township",
            "township_name",
            "village",
            "category",
            "category_name",
            "status",
            "description",
            "area",
            "lead_agency",
            "lead_label",
            "assisting_agencies",
            "duty_rule",
            "stage",
            "stage_deadline",
            "stage_deadline_provisional",
            "handling_deadline",
            "handling_deadline_provisional",
            "is_overdue",
            "reported_at",
            "assigned_to",
            "return_count",
            "closed_at",
            "closed_on_time",
            "is_serious",
            "allowed_actions",
        ]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "at", "comment"]


class AssistingInputSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    reason = serializers.CharField()


class AssignInputSerializer(serializers.Serializer):
    officer = serializers.IntegerField(help_text=_("An active officer of the lead agency."))


class CaseActionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=CaseAction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RerouteInputSerializer(serializers.Serializer):
    lead_agency = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()
    previous_lead_assists = serializers.BooleanField(
        default=False, help_text=_("The previous lead agency becomes an assisting agency.")
    )


class TimeRequestInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    days = serializers.IntegerField(min_value=1, max_value=180)
    reason = serializers.CharField()


class CaseRequestSerializer(serializers.ModelSerializer):
    allowed_actions = AllowedActionsField(
        REQUEST_POLICY, help_text=_("What the requesting user may do to the request now: decide.")
    )

    class Meta:
        model = CaseRequest
        fields = [
            "id",
            "case",
            "kind",
            "days",
            "reason",
            "requested_by",
            "requested_at",
            "state",
            "decided_by",
            "decided_at",
            "decision_comment",
            "old_deadline",
            "old_deadline_provisional",
            "new_deadline",
            "new_deadline_provisional",
            "allowed_actions",
        ]
        read_only_fields = fields


class DecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EnforcementActionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EnforcementKind.choices)

    class Meta:
        model = EnforcementAction
        fields = [
            "id",
            "case",
            "kind",
            "decided_on",
            "agency",
            "rectify_by",
            "fine_amount",
            "referred_to",
            "document_number",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["agency", "recorded_by", "recorded_at"]
