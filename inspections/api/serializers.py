from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from agencies.models import Agency, ProblemCategory
from anji_recycling.api.fields import AllowedActionsField, MomentField
from anji_recycling.api.relations import FormScopedRelationsMixin
from sites.models import Site

from ..choices import (
    CaseAction,
    ChecklistAnswer,
    EnforcementKind,
    InspectionResult,
    RequestKind,
    Stage,
)
from ..models import (
    Case,
    CaseEvent,
    CaseRequest,
    ChecklistItem,
    EnforcementAction,
    Finding,
    Inspection,
    InspectionOfficer,
    JointPart,
    PatrolTask,
)
from ..policy import CASE_POLICY, PATROL_TASK_POLICY, REQUEST_POLICY
from ..services import MAX_FINDINGS, MAX_PHOTOS_PER_FINDING, FindingInput


class FindingSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    routed_to = serializers.IntegerField(
        source="case.lead_agency_id",
        read_only=True,
        default=None,
        help_text=_("The agency whose duty covers the problem (null: the township leads)."),
    )
    routed_to_name = serializers.CharField(source="case.lead_label", read_only=True, default=None)

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
            "routed_to",
            "routed_to_name",
        ]


class OfficerPresentSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    officer_name = serializers.CharField(source="officer.__str__", read_only=True)

    class Meta:
        model = InspectionOfficer
        fields = ["agency", "agency_name", "officer", "officer_name"]
        read_only_fields = fields


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
            "idempotency_key",
            "joint_action",
        ]
        extra_kwargs = {
            "joint_action": {
                "help_text": _(
                    "The joint action open on the site when the report was filed: the report "
                    "is the inspection that follows it (null otherwise)."
                )
            }
        }


class InspectionDetailSerializer(InspectionSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    officers_present = OfficerPresentSerializer(
        many=True,
        read_only=True,
        help_text=_("A joint inspection: each present agency's officers (empty otherwise)."),
    )

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "officers_present", "findings"]


class FindingInputSerializer(serializers.Serializer):
    """One problem found: its category decides who handles it (the duty table)."""

    category = serializers.PrimaryKeyRelatedField(
        queryset=ProblemCategory.objects.filter(is_active=True)
    )
    description = serializers.CharField(max_length=2000)
    is_serious = serializers.BooleanField(default=False)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_PHOTOS_PER_FINDING,
        help_text=_("JPEG, PNG or WebP, at most 10 MB each."),
    )


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.filter(is_active=True))
    answer = serializers.ChoiceField(choices=ChecklistAnswer.choices)


class ReportInputSerializer(serializers.Serializer):
    """A patrol report as the phone page files it: when and where, the checklist answers, the
    overall result and the findings with their photos. As JSON without photos, or as
    multipart/form-data with DRF's list notation: `findings[0]category`,
    `findings[0]description`, `findings[0]photos[0]` (a file), `answers[0]item`, ..."""

    inspected_at = MomentField(
        required=False, help_text=_("Date and time of the inspection (default: now).")
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    result = serializers.ChoiceField(
        choices=InspectionResult.choices,
        required=False,
        default="",
        help_text=_("Default: from the findings (none: passed; a serious one: serious)."),
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    idempotency_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "A new UUID for each report: the same report sent again (a retry) returns the "
            "inspection already filed (200) instead of filing a second one."
        ),
    )
    answers = AnswerInputSerializer(many=True, required=False)
    findings = FindingInputSerializer(many=True, required=False, max_length=MAX_FINDINGS)
    present_officers = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=User.objects.filter(is_active=True).select_related("agency"),
        help_text=_(
            "A joint inspection (联合检查): the ids of the agencies' officers present. The "
            "commerce bureau or the site's township officer files it; it counts for every "
            "agency present."
        ),
    )

    def report(self) -> dict:
        """The keyword arguments of file_inspection."""
        data = dict(self.validated_data)
        answers = data.pop("answers", [])
        findings = data.pop("findings", [])
        present = data.pop("present_officers", [])
        return {
            **data,
            "present": present,
            "answers": {row["item"].pk: row["answer"] for row in answers},
            "findings": [FindingInput(**row) for row in findings],
        }


class InspectionInputSerializer(ReportInputSerializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all())


class PatrolTaskSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    allowed_actions = AllowedActionsField(
        PATROL_TASK_POLICY,
        help_text=_(
            "What the requesting user may do to the task now (the patrol-task policy): "
            "file_report (POST file), assign."
        ),
    )

    class Meta:
        model = PatrolTask
        fields = [
            "id",
            "plan",
            "site",
            "site_name",
            "township",
            "township_name",
            "period_start",
            "due_on",
            "assigned_to",
            "status",
            "is_overdue",
            "inspection",
            "allowed_actions",
        ]
        read_only_fields = fields


class PatrolAssignInputSerializer(serializers.Serializer):
    worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text=_("A grid worker of the task's township."),
    )


class JointPartSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = JointPart
        fields = ["agency", "agency_name", "state", "note", "closed_by", "closed_at"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    lead_label = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    assisting_agencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    parts = JointPartSerializer(many=True, read_only=True)
    # Blank once the case has left the stages (dismissed, closed): the schema says so too.
    stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True, read_only=True)
    allowed_actions = AllowedActionsField(
        CASE_POLICY,
        help_text=_(
            "What the requesting user may do to the case now (the case policy): the moves "
            "of POST act, and reroute, assign, request_time, record_enforcement, "
            "add_assisting, remove_assisting, finish_part, waive_part, set_joint_inspection."
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
            "parts",
            "joint_inspection_on",
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
    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "actor",
            "at",
            "comment",
        ]


class AssistingInputSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    reason = serializers.CharField()


class PartInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class JointInspectionInputSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("The day of the joint inspection (today or later)."))
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("What to bring or check.")
    )


class AssignInputSerializer(serializers.Serializer):
    officer = serializers.IntegerField(help_text=_("An active officer of the lead agency."))


class CaseActionInputSerializer(serializers.Serializer):
    """A move of the case, as the case page takes it: JSON, or multipart/form-data when it
    carries evidence (`attachments` repeated, one file each)."""

    action = serializers.ChoiceField(choices=CaseAction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_(
            "Photos or PDF documents kept with the move (the evidence of the handling, say): "
            "multipart/form-data only."
        ),
    )


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


class EnforcementActionSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EnforcementKind.choices)

    class Meta:
        # The case is checked against the user's cases by the view; the category and the
        # agency referred to are the county's reference lists (the service checks duties).
        unscoped_relations = ["case", "category", "referred_to"]
        model = EnforcementAction
        fields = [
            "id",
            "case",
            "kind",
            "category",
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
