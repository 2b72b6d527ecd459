from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import reads_network
from agencies.models import Township
from anji_recycling.api.viewsets import ScopedModelViewSet
from sites.api.coverage import HasRole

from .. import selectors, services
from ..filters import ProjectFilterSet
from ..geojson import suggestions_feature_collection
from .serializers import AdvanceInputSerializer, ProjectSerializer, SuggestionQuerySerializer


class ReadsNetwork(BasePermission):
    """The network-building data: every role but the association (accounts.access)."""

    message = _("The network-building projects are not open to your role.")

    def has_permission(self, request, view):
        return reads_network(request.user)


class ProjectViewSet(ScopedModelViewSet):
    """网点建设项目：分拣中心、中转分拣站、回收网点的新建或“一场两用”改造，规划→立项→在建→建成→投运。"""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["target_year", "planned_on", "name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.projects_for_list(user=self.request.user).order_by("township__code", "pk")

    def save_with_service(self, *, obj, actor):
        if obj.pk is None:
            return services.register_project(project=obj, actor=actor)
        return services.update_project(project=obj, actor=actor)

    @extend_schema(request=AdvanceInputSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Move the project to its next stage; 投运 registers or links its site."""
        data = AdvanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.advance_project(
            project=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(project).data)


class SuggestionsGeoJSON(APIView):
    """网点布局建议：尚无运营中网点的村（社区）及建议的网点位置，GeoJSON（WGS-84）。"""

    permission_classes = [IsAuthenticated, HasRole, ReadsNetwork]

    @extend_schema(parameters=[SuggestionQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        query = SuggestionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        township = query.validated_data.get("township")
        if township is not None:
            township = get_object_or_404(
                Township.objects.in_territory_of(request.user), pk=township
            )
        report = selectors.placement_suggestions(
            user=request.user,
            radius_km=query.validated_data.get("radius", settings.NETWORK_PLACEMENT_RADIUS_KM),
            township=township,
        )
        return Response(suggestions_feature_collection(report))
