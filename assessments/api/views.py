from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anji_recycling.api.permissions import WorkflowPermissions

from .. import selectors, services
from ..filters import (
    DeductionFilterSet,
    ObjectionFilterSet,
    PeriodFilterSet,
    ResultFilterSet,
    ScoreFilterSet,
)
from ..models import AssessmentPeriod, AssessmentScheme, IndicatorScore, Objection, TownshipResult
from .serializers import (
    AssessmentDecisionInputSerializer,
    AssessmentDeductionSerializer,
    AssessmentObjectionSerializer,
    AssessmentPeriodSerializer,
    AssessmentReasonInputSerializer,
    AssessmentResultSerializer,
    AssessmentRunSerializer,
    AssessmentSchemeSerializer,
    AssessmentScoreSerializer,
)


class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    """考核方案（各版本）：指标、权重、满分与等级。"""

    serializer_class = AssessmentSchemeSerializer

    def get_queryset(self):
        return (
            AssessmentScheme.objects.visible_to(self.request.user)
            .prefetch_related("indicators", "grade_bands")
            .order_by("code", "-version")
        )


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """考核期：计算（后台任务）、锁定、公布、解锁（须说明原因）与排名。"""

    serializer_class = AssessmentPeriodSerializer
    filterset_class = PeriodFilterSet
    permission_classes = [WorkflowPermissions]

    def get_queryset(self):
        return AssessmentPeriod.objects.visible_to(self.request.user).select_related("scheme")

    @extend_schema(request=None, responses=AssessmentRunSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        run = services.start_computation(period=self.get_object(), actor=request.user)
        return Response(AssessmentRunSerializer(run).data, status=202)

    @extend_schema(request=None, responses=AssessmentPeriodSerializer)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        period = services.lock_period(period=self.get_object(), actor=request.user)
        return Response(
            AssessmentPeriodSerializer(period, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses=AssessmentPeriodSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        period = services.publish_period(period=self.get_object(), actor=request.user)
        return Response(
            AssessmentPeriodSerializer(period, context=self.get_serializer_context()).data
        )

    @extend_schema(request=AssessmentReasonInputSerializer, responses=AssessmentPeriodSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        data = AssessmentReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.unlock_period(
            period=self.get_object(), actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(
            AssessmentPeriodSerializer(period, context=self.get_serializer_context()).data
        )

    @extend_schema(responses=AssessmentResultSerializer(many=True))
    # A bare list of the one row's entries: neither paged nor filtered like the list.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def ranking(self, request, pk=None):
        rows = selectors.ranking(period=self.get_object(), user=request.user)
        return Response(AssessmentResultSerializer([row.result for row in rows], many=True).data)


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """乡镇考核结果：总分、名次、等级（乡镇只见本乡镇及已公布的全县排名）。"""

    serializer_class = AssessmentResultSerializer
    filterset_class = ResultFilterSet

    def get_queryset(self):
        return (
            TownshipResult.objects.visible_to(self.request.user)
            .select_related("township")
            .order_by("period", "rank", "township__code")
        )


class ScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """指标得分及其依据记录（乡镇只见本乡镇）。"""

    serializer_class = AssessmentScoreSerializer
    filterset_class = ScoreFilterSet

    def get_queryset(self):
        return (
            IndicatorScore.objects.visible_to(self.request.user)
            .select_related("township", "indicator")
            .order_by("period", "township__code", "indicator__sort_order")
        )


class DeductionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """考核扣分：考核组录入（附理由），乡镇查看本乡镇并可提出异议。"""

    serializer_class = AssessmentDeductionSerializer
    filterset_class = DeductionFilterSet
    permission_classes = [WorkflowPermissions]

    def get_queryset(self):
        return selectors.deductions_for_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.record_deduction(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=AssessmentReasonInputSerializer, responses=AssessmentDeductionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = AssessmentReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deduction = services.withdraw_deduction(
            deduction=self.get_object(), actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(
            AssessmentDeductionSerializer(deduction, context=self.get_serializer_context()).data
        )

    @extend_schema(request=AssessmentReasonInputSerializer, responses=AssessmentObjectionSerializer)
    @action(detail=True, methods=["post"])
    def object(self, request, pk=None):
        data = AssessmentReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.file_objection(
            deduction=self.get_object(), actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(
            AssessmentObjectionSerializer(objection, context=self.get_serializer_context()).data,
            status=201,
        )


class ObjectionViewSet(viewsets.ReadOnlyModelViewSet):
    """异议：商务局采纳或不予采纳。"""

    serializer_class = AssessmentObjectionSerializer
    filterset_class = ObjectionFilterSet
    permission_classes = [WorkflowPermissions]

    def get_queryset(self):
        return Objection.objects.visible_to(self.request.user).select_related("deduction__period")

    @extend_schema(
        request=AssessmentDecisionInputSerializer, responses=AssessmentObjectionSerializer
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = AssessmentDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.decide_objection(
            objection=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(
            AssessmentObjectionSerializer(objection, context=self.get_serializer_context()).data
        )
