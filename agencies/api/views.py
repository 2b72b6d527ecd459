from django.db.models import Prefetch

from anji_recycling.api.viewsets import ScopedModelViewSet

from .. import services
from ..filters import (
    AgencyFilterSet,
    DutyRuleFilterSet,
    ProblemCategoryFilterSet,
    TownshipFilterSet,
    VillageFilterSet,
)
from ..models import AgencyDuty
from .serializers import (
    AgencySerializer,
    DutyRuleSerializer,
    ProblemCategorySerializer,
    TownshipSerializer,
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
