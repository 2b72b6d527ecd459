from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anji_recycling.api.permissions import WorkflowPermissions
from anji_recycling.api.viewsets import ScopedModelViewSet

from .. import meetings, services
from ..filters import (
    ActionItemFilterSet,
    AgencyFilterSet,
    DutyRuleFilterSet,
    MeetingFilterSet,
    ProblemCategoryFilterSet,
    TownshipFilterSet,
    VillageFilterSet,
)
from ..geojson import villages_feature_collection
from ..models import ActionItem, ActionItemUpdate, AgencyDuty, Meeting
from .serializers import (
    ActionItemSerializer,
    ActionItemUpdateSerializer,
    AgencySerializer,
    CancelMeetingInputSerializer,
    CompleteInputSerializer,
    DutyRuleSerializer,
    MeetingSerializer,
    ProblemCategorySerializer,
    ProgressInputSerializer,
    RecordMeetingInputSerializer,
    TownshipSerializer,
    VillageCollectionSerializer,
    VillageSerializer,
)


class TownshipViewSet(ScopedModelViewSet):
    """乡镇（街道）。"""

    serializer_class = TownshipSerializer
    filterset_class = TownshipFilterSet
    ordering_fields = ["code", "name"]

    def save_with_service(self, *, obj, actor):
        return services.save_township(township=obj, actor=actor)


class VillageViewSet(ScopedModelViewSet):
    """行政村和社区。"""

    serializer_class = VillageSerializer
    filterset_class = VillageFilterSet
    select_related = ("township",)
    ordering_fields = ["code", "name"]

    def save_with_service(self, *, obj, actor):
        return services.save_village(village=obj, actor=actor)

    @extend_schema(
        operation_id="villages_reference",
        parameters=[
            OpenApiParameter("township", int, description="The township's id."),
            OpenApiParameter("q", str, description="Words the name contains, or a code's start."),
        ],
        responses=VillageCollectionSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def reference(self, request):
        """The current villages the user sees, for the maps and the position picker: a GeoJSON
        FeatureCollection, each village's centre (its township's when it has none, marked
        `approximate`), filtered like the list (`township` narrows it to one township)."""
        villages = self.filter_queryset(self.get_queryset()).filter(is_active=True)
        return Response(villages_feature_collection(villages))


class AgencyViewSet(ScopedModelViewSet):
    """县级成员单位及其职责。"""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet

    def get_queryset(self):
        duties = AgencyDuty.objects.order_by("sort_order", "pk")
        return super().get_queryset().prefetch_related(Prefetch("duties", queryset=duties))

    def save_with_service(self, *, obj, actor):
        return services.save_agency(agency=obj, actor=actor)


class ProblemCategoryViewSet(ScopedModelViewSet):
    """问题类别。"""

    serializer_class = ProblemCategorySerializer
    filterset_class = ProblemCategoryFilterSet

    def save_with_service(self, *, obj, actor):
        return services.save_problem_category(category=obj, actor=actor)


class DutyRuleViewSet(ScopedModelViewSet):
    """职责分工表（路由规则）。"""

    serializer_class = DutyRuleSerializer
    filterset_class = DutyRuleFilterSet
    select_related = ("category", "lead_agency")

    def save_with_service(self, *, obj, actor):
        return services.save_duty_rule(rule=obj, actor=actor)


class MeetingViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """联席会议：商务局（领导小组办公室）计划、修改、记录（出席、纪要、决定）和取消会议，
    交办督办事项；每个会议的 allowed_actions 来自会议规则表。"""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    permission_classes = [WorkflowPermissions]
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .prefetch_related("invited_agencies", "invitees", "attendance")
            .order_by("-starts_at", "-pk")
        )

    def _invitations(self, data) -> dict:
        return {name: data.pop(name, None) for name in ("invited_agencies", "invitees")}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        invitations = {k: v or () for k, v in self._invitations(data).items()}
        serializer.instance = meetings.plan_meeting(
            meeting=Meeting(**data), actor=self.request.user, **invitations
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        invitations = self._invitations(data)
        meeting = serializer.instance
        for name, value in data.items():
            setattr(meeting, name, value)
        serializer.instance = meetings.update_meeting(
            meeting=meeting, actor=self.request.user, **invitations
        )

    def _answer(self, meeting):
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=RecordMeetingInputSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record the meeting as held: the agencies present, the minutes and the decisions."""
        data = RecordMeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = meetings.record_meeting(
            meeting=self.get_object(), actor=request.user, **data.validated_data
        )
        return self._answer(meeting)

    @extend_schema(request=CancelMeetingInputSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = CancelMeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = meetings.cancel_meeting(
            meeting=self.get_object(), actor=request.user, **data.validated_data
        )
        return self._answer(meeting)

    @extend_schema(request=ActionItemSerializer, responses={201: ActionItemSerializer})
    @action(detail=True, methods=["post"], url_path="action-items")
    def action_items(self, request, pk=None):
        """Assign an action item (督办事项) of the held meeting to an agency."""
        data = ActionItemSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        item = meetings.add_action_item(
            meeting=self.get_object(),
            actor=request.user,
            agency=data.validated_data["agency"],
            description=data.validated_data["description"],
            due_on=data.validated_data["due_on"],
        )
        return Response(
            ActionItemSerializer(item, context=self.get_serializer_context()).data, status=201
        )


class ActionItemViewSet(viewsets.ReadOnlyModelViewSet):
    """督办事项：责任部门报告进展，商务局确认完成。"""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    permission_classes = [WorkflowPermissions]
    ordering_fields = ["due_on"]

    def get_queryset(self):
        updates = ActionItemUpdate.objects.order_by("at", "pk")
        return (
            ActionItem.objects.visible_to(self.request.user)
            .select_related("agency")
            .prefetch_related(Prefetch("updates", queryset=updates))
            .order_by("due_on", "pk")
        )

    @extend_schema(request=ProgressInputSerializer, responses={201: ActionItemUpdateSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """The responsible agency (or the commerce bureau) reports progress."""
        data = ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = meetings.report_progress(
            item=self.get_object(), author=request.user, text=data.validated_data["text"]
        )
        return Response(ActionItemUpdateSerializer(update).data, status=201)

    @extend_schema(request=CompleteInputSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The commerce bureau confirms the item done."""
        data = CompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = meetings.complete_action_item(
            item=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)
