from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from anji_recycling.api.viewsets import ScopedModelViewSet
from anji_recycling.scoping import save_within_scope

from .. import selectors, services
from ..choices import NoticeAction
from ..filters import LandSupportFilterSet, NoticeFilterSet, PublicityFilterSet, SubsidyFilterSet
from ..models import AssociationNotice
from ..policy import NOTICE_POLICY
from .serializers import (
    LandSupportSerializer,
    NoticeRecipientsSerializer,
    NoticeSerializer,
    PublicitySerializer,
    SubsidySerializer,
)


class SubsidyViewSet(ScopedModelViewSet):
    """补助和奖励（财政局、商务局登记）。"""

    serializer_class = SubsidySerializer
    filterset_class = SubsidyFilterSet
    ordering_fields = ["granted_on", "amount"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.subsidies_for_list(user=self.request.user)

    def save_with_service(self, *, obj, actor):
        return services.save_subsidy(subsidy=obj, actor=actor)


class LandSupportViewSet(ScopedModelViewSet):
    """用地保障（资源规划局登记）。"""

    serializer_class = LandSupportSerializer
    filterset_class = LandSupportFilterSet
    ordering_fields = ["requested_on", "area"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.land_cases_for_list(user=self.request.user)

    def save_with_service(self, *, obj, actor):
        return services.save_land_support(case=obj, actor=actor)


class NoticeViewSet(ScopedModelViewSet):
    """行业协会通知：经营主体（不填则为全县）；发布后通知所在乡镇（街道）工作人员。"""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.notices_for_list(user=self.request.user).prefetch_related("operators")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        operators = data.pop("operators", [])
        notice = AssociationNotice(**data)
        save_within_scope(
            obj=notice,
            actor=self.request.user,
            save=lambda obj: services.publish_notice(
                notice=obj, operators=operators, actor=self.request.user
            ),
        )
        serializer.instance = notice

    @extend_schema(request=None, responses=NoticeRecipientsSerializer)
    @action(detail=True, methods=["get"])
    def recipients(self, request, pk=None):
        """谁收到了这条通知：经营主体和被告知的乡镇（街道）工作人员（仅发布方可见）。"""
        notice = self.get_object()
        NOTICE_POLICY.ensure_allowed(notice, request.user, NoticeAction.SEE_RECIPIENTS)
        return Response(
            NoticeRecipientsSerializer(
                selectors.notice_recipients(notice=notice, user=request.user)
            ).data
        )


class PublicityViewSet(ScopedModelViewSet):
    """宣传活动（乡镇、部门登记）。"""

    serializer_class = PublicitySerializer
    filterset_class = PublicityFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.publicity_for_list(user=self.request.user)

    def save_with_service(self, *, obj, actor):
        return services.record_publicity(activity=obj, actor=actor)
