from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts.models import User
from agencies.models import Agency
from agencies.routing import NoDutyRule
from anji_recycling.api.permissions import WorkflowPermissions

from .. import patrols, selectors, services
from ..filters import CaseFilterSet, CaseRequestFilterSet, InspectionFilterSet, PatrolTaskFilterSet
from ..models import EnforcementAction
from .serializers import (
    AssignInputSerializer,
    AssistingInputSerializer,
    CaseActionInputSerializer,
    CaseEventSerializer,
    CaseRequestSerializer,
    CaseSerializer,
    DecisionInputSerializer,
    EnforcementActionSerializer,
    InspectionDetailSerializer,
    InspectionInputSerializer,
    InspectionSerializer,
    JointInspectionInputSerializer,
    PartInputSerializer,
    PatrolAssignInputSerializer,
    PatrolTaskSerializer,
    ReportInputSerializer,
    RerouteInputSerializer,
    TimeRequestInputSerializer,
)

# A report as a phone sends it: multipart, DRF's list notation, a photo per finding.
REPORT_EXAMPLE = OpenApiExample(
    "multipart",
    media_type="multipart/form-data",
    value={
        "site": 12,
        "result": "problems",
        "latitude": "30.638000",
        "longitude": "119.680000",
        "answers[0]item": 1,
        "answers[0]answer": "no",
        "findings[0]category": 3,
        "findings[0]description": "院内废纸露天堆放，未设消防器材",
        "findings[0]is_serious": "false",
        "findings[0]photos[0]": "(a JPEG file)",
    },
)


# What a report's detail shows: its findings with the agency each goes to, the officers present.
REPORT_RELATIONS = (
    "findings__category",
    "findings__case__lead_agency",
    "findings__case__township",
    "officers_present__agency",
    "officers_present__officer",
)


def report_body(serializer) -> dict:
    return dict.fromkeys(["multipart/form-data", "application/json"], serializer)


def file_with(user, call) -> Response:
    """201 with the report as filed (its findings and their cases), 200 with the same when it
    had been filed before under the same report key; a category the duty table does not cover
    is a 400 with the page's message."""
    try:
        inspection = call()
    except NoDutyRule as error:
        raise ValidationError({"non_field_errors": [str(error)]}) from error
    filed = selectors.inspections_for_list(user=user).prefetch_related(*REPORT_RELATIONS)
    status = 200 if inspection.replayed else 201
    return Response(InspectionDetailSerializer(filed.get(pk=inspection.pk)).data, status=status)


class InspectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """巡查检查记录：列表、详情，以及上报（与手机页面相同：检查表、问题和照片、位置）。"""

    filterset_class = InspectionFilterSet

    def get_queryset(self):
        queryset = selectors.inspections_for_list(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(*REPORT_RELATIONS)
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return InspectionInputSerializer
        return InspectionDetailSerializer if self.action == "retrieve" else InspectionSerializer

    @extend_schema(
        request=report_body(InspectionInputSerializer),
        responses={201: InspectionDetailSerializer, 200: InspectionDetailSerializer},
        examples=[REPORT_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        """File a patrol report: the findings open (or join) cases routed by the duty table,
        and complete the site's open patrol tasks of the period."""
        data = InspectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = data.report()
        return file_with(
            request.user, lambda: services.file_inspection(inspector=request.user, **report)
        )


class PatrolTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """巡查任务：网格员自己的任务（`mine=true`），乡镇干部和商务局看全乡镇、全县；指派网格员，
    上报巡查记录即完成任务。"""

    serializer_class = PatrolTaskSerializer
    filterset_class = PatrolTaskFilterSet
    permission_classes = [WorkflowPermissions]
    ordering_fields = ["due_on", "period_start"]

    def get_queryset(self):
        return patrols.patrol_tasks_for(user=self.request.user)

    @extend_schema(request=PatrolAssignInputSerializer, responses=PatrolTaskSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The township's officer (or the commerce bureau) gives the task to a grid worker."""
        data = PatrolAssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = patrols.assign_patrol_task(
            task=self.get_object(), worker=data.validated_data["worker"], actor=request.user
        )
        return Response(self.get_serializer(task).data)

    @extend_schema(
        request=report_body(ReportInputSerializer),
        responses={201: InspectionDetailSerializer, 200: InspectionDetailSerializer},
        examples=[REPORT_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="file")
    def file_report(self, request, pk=None):
        """Complete the task by filing its site's report (the body as for POST /inspections/,
        without `site`); a report outside the task's period is refused."""
        task = self.get_object()
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = data.report()
        return file_with(
            request.user,
            lambda: services.file_task_report(task=task, inspector=request.user, **report),
        )


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """案件：工作队列、详情与流转动作（动作是否允许由案件规则表决定，见 allowed_actions）。"""

    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    permission_classes = [WorkflowPermissions]

    def get_queryset(self):
        return selectors.cases_to_act_on(user=self.request.user)

    @extend_schema(
        request=report_body(CaseActionInputSerializer),
        responses=CaseSerializer,
        examples=[
            OpenApiExample(
                "处置完毕", value={"action": "finish", "comment": "已清理堆放物"}, request_only=True
            ),
            OpenApiExample(
                "不予立案", value={"action": "dismiss", "comment": "非本辖区"}, request_only=True
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def act(self, request, pk=None):
        """Move the case (立案, 派遣, 接收, 处置完毕, 核查, 结案, ...) as `allowed_actions`
        offers; a refused move answers 403 (not this user's) or 400 (not now, or a reason
        missing) with the page's Chinese message. Evidence comes as multipart `attachments`."""
        data = CaseActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.transition_case(
            case=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(request=RerouteInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def reroute(self, request, pk=None):
        data = RerouteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency_id = data.validated_data["lead_agency"]
        lead = get_object_or_404(Agency, pk=agency_id) if agency_id else None
        case = services.reroute_case(
            case=self.get_object(),
            lead_agency=lead,
            actor=request.user,
            comment=data.validated_data["comment"],
            previous_lead_assists=data.validated_data["previous_lead_assists"],
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(request=AssignInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The lead agency (or the commerce bureau) gives the case to one of its officers."""
        data = AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self.get_object()
        officer = User.objects.filter(pk=data.validated_data["officer"]).first()
        if officer is None:
            raise ValidationError({"officer": _("Choose an officer of the lead agency.")})
        case = services.assign_case(case=case, officer=officer, actor=request.user)
        return Response(self.get_serializer(case).data)

    def _joint(self, request, service):
        data = AssistingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = service(case=self.get_object(), actor=request.user, **data.validated_data)
        return Response(self.get_serializer(case).data)

    @extend_schema(request=AssistingInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="add-assisting")
    def add_assisting(self, request, pk=None):
        """Joint enforcement: the commerce bureau or the case's township asks an agency to
        assist, with the reason; the agency's officers are told."""
        return self._joint(request, services.add_assisting_agency)

    @extend_schema(request=AssistingInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="remove-assisting")
    def remove_assisting(self, request, pk=None):
        """Joint enforcement: an agency leaves the joint action, with the reason."""
        return self._joint(request, services.remove_assisting_agency)

    @extend_schema(request=PartInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="finish-part")
    def finish_part(self, request, pk=None):
        """Joint enforcement: an assisting agency marks its part done."""
        data = PartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.finish_part(case=self.get_object(), actor=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=AssistingInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="waive-part")
    def waive_part(self, request, pk=None):
        """Joint enforcement: the commerce bureau waives an assisting agency's open part."""
        data = AssistingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.waive_part(case=self.get_object(), actor=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=JointInspectionInputSerializer,
        responses=CaseSerializer,
        examples=[
            OpenApiExample(
                "联合检查", value={"on": "2026-12-10", "note": "带消防检查记录"}, request_only=True
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="joint-inspection")
    def joint_inspection(self, request, pk=None):
        """Joint enforcement: the commerce bureau or the case's township sets the day of the
        joint inspection (联合检查); the lead, every assisting agency and the township are told."""
        data = JointInspectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.set_joint_inspection(
            case=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(request=TimeRequestInputSerializer, responses=CaseRequestSerializer)
    @action(detail=True, methods=["post"], url_path="request-time")
    def request_time(self, request, pk=None):
        data = TimeRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        time_request = services.request_more_time(
            case=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(
            CaseRequestSerializer(time_request, context=self.get_serializer_context()).data,
            status=201,
        )

    @extend_schema(responses=CaseEventSerializer(many=True))
    # A bare list of the one row's entries: neither paged nor filtered like the list.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        case = self.get_object()
        return Response(CaseEventSerializer(case.events.all(), many=True).data)


class CaseRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """延期、缓办申请及审批。"""

    serializer_class = CaseRequestSerializer
    filterset_class = CaseRequestFilterSet
    permission_classes = [WorkflowPermissions]

    def get_queryset(self):
        return selectors.requests_for_register(user=self.request.user)

    @extend_schema(request=DecisionInputSerializer, responses=CaseRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.decide_request(
            request=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(decided).data)


class EnforcementActionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """执法措施：牵头部门录入；责令整改、取缔会同步改变站点状态。"""

    serializer_class = EnforcementActionSerializer

    def get_queryset(self):
        cases = selectors.cases_for_list(user=self.request.user)
        return EnforcementAction.objects.filter(case__in=cases).select_related("case")

    def perform_create(self, serializer):
        case = serializer.validated_data["case"]
        if not selectors.cases_for_list(user=self.request.user).filter(pk=case.pk).exists():
            raise NotFound
        action_row = EnforcementAction(**serializer.validated_data)
        serializer.instance = services.record_enforcement_action(
            action=action_row, actor=self.request.user
        )
