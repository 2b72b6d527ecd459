from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts.models import User
from agencies.models import Agency
from anji_recycling.api.permissions import WorkflowPermissions

from .. import selectors, services
from ..filters import CaseFilterSet, CaseRequestFilterSet, InspectionFilterSet
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
    InspectionSerializer,
    RerouteInputSerializer,
    TimeRequestInputSerializer,
)


class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    """巡查检查记录（只读；在手机页面上报）。"""

    filterset_class = InspectionFilterSet

    def get_queryset(self):
        queryset = selectors.inspections_for_list(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("findings__category", "findings__case")
        return queryset

    def get_serializer_class(self):
        return InspectionDetailSerializer if self.action == "retrieve" else InspectionSerializer


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """案件：工作队列、详情与流转动作（动作是否允许由案件规则表决定，见 allowed_actions）。"""

    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    permission_classes = [WorkflowPermissions]

    def get_queryset(self):
        return selectors.cases_for_list(user=self.request.user)

    @extend_schema(request=CaseActionInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request, pk=None):
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
