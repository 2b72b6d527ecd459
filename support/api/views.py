from anji_recycling.api.viewsets import ScopedModelViewSet

from .. import selectors, services
from ..filters import LandSupportFilterSet, SubsidyFilterSet
from .serializers import LandSupportSerializer, SubsidySerializer


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
