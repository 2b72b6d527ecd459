from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.selectors import people_with_a_role
from anji_recycling.api.fields import AllowedActionsField, MomentField
from anji_recycling.api.relations import FormScopedRelationsMixin

from ..forms import DutyRuleForm, VillageForm
from ..meeting_forms import MeetingForm
from ..models import (
    ActionItem,
    ActionItemUpdate,
    Agency,
    AgencyDuty,
    DutyRule,
    Meeting,
    MeetingAttendance,
    ProblemCategory,
    Township,
    Village,
)
from ..policy import ACTION_ITEM_POLICY, MEETING_POLICY


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "code", "name", "kind", "latitude", "longitude", "source"]


class VillageSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        scope_form = VillageForm
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


class DutyRuleSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    lead_label = serializers.CharField(read_only=True)

    class Meta:
        scope_form = DutyRuleForm
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


class MeetingAttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingAttendance
        fields = ["agency", "township", "person_name", "present", "note"]
        read_only_fields = fields


class MeetingSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    """A joint meeting: planned (POST), edited (PATCH), recorded and cancelled through its
    actions; attendance, minutes and decisions come in with POST record."""

    invitees = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=people_with_a_role()
    )
    invited_agencies = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Agency.objects.all()
    )
    starts_at = MomentField()
    attendance = MeetingAttendanceSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(
        MEETING_POLICY,
        help_text=_(
            "What the requesting user may do to the meeting now (the meeting policy): edit "
            "(PATCH), record, assign_item (POST action-items), cancel."
        ),
    )

    class Meta:
        scope_form = MeetingForm
        model = Meeting
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "starts_at",
            "place",
            "convener",
            "agenda",
            "invited_agencies",
            "invitees",
            "recurrence",
            "previous",
            "minutes",
            "decisions",
            "attendance",
            "allowed_actions",
        ]
        read_only_fields = ["status", "previous", "minutes", "decisions"]


class RecordMeetingInputSerializer(serializers.Serializer):
    present_agencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Agency.objects.all(), help_text=_("Agencies present")
    )
    minutes = serializers.CharField()
    decisions = serializers.CharField(required=False, allow_blank=True, default="")


class CancelMeetingInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ActionItemUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionItemUpdate
        fields = ["id", "author", "at", "text"]
        read_only_fields = fields


class ActionItemSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    updates = ActionItemUpdateSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(
        ACTION_ITEM_POLICY,
        help_text=_(
            "What the requesting user may do to the action item now (its policy): "
            "report_progress (POST progress), complete."
        ),
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "agency",
            "agency_name",
            "description",
            "due_on",
            "status",
            "done_on",
            "is_overdue",
            "updates",
            "allowed_actions",
        ]
        read_only_fields = ["meeting", "status", "done_on"]


class ProgressInputSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=_("Progress"))


class CompleteInputSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


# The villages' reference layer (agencies/geojson.py), for the schema: a GeoJSON
# FeatureCollection whose geometry is the village's centre.


class PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        help_text="[longitude, latitude], WGS-84.",
    )


class PublicVillagePropertiesSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The NBS division code (12 digits).")
    name = serializers.CharField(help_text="The name the portal shows (康山村).")
    official_name = serializers.CharField(help_text="The NBS name (康山村委会).")
    kind = serializers.CharField()
    township = serializers.CharField(help_text="The township's name.")
    township_code = serializers.CharField(help_text="The township's division code (9 digits).")
    approximate = serializers.BooleanField(
        help_text="True when the village has no position of its own: its township's centre."
    )


class VillagePropertiesSerializer(PublicVillagePropertiesSerializer):
    township_id = serializers.IntegerField()


class PublicVillageFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = PointSerializer(
        allow_null=True, help_text="The centre; null when neither village nor township has one."
    )
    properties = PublicVillagePropertiesSerializer()


class VillageFeatureSerializer(PublicVillageFeatureSerializer):
    id = serializers.IntegerField()
    properties = VillagePropertiesSerializer()


class VillageCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = VillageFeatureSerializer(many=True)


class PublicVillageCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = PublicVillageFeatureSerializer(many=True)
