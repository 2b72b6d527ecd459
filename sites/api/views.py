from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from anji_recycling.api.viewsets import ScopedModelViewSet
from anji_recycling.scoping import save_within_scope

from .. import selectors, services
from ..filters import OperatorFilterSet, SiteApiFilterSet
from ..geojson import sites_feature_collection
from .serializers import (
    OperatorSerializer,
    SiteSerializer,
    SiteStatusChangeInputSerializer,
    SiteStatusChangeSerializer,
)


class OperatorViewSet(ScopedModelViewSet):
    """经营主体。"""

    serializer_class = OperatorSerializer
    filterset_class = OperatorFilterSet
    ordering_fields = ["name", "licence_valid_until"]

    def get_queryset(self):
        return selectors.operators_for_list(user=self.request.user)

    def save_with_service(self, *, obj, actor):
        return services.save_operator(operator=obj, actor=actor)


class SiteViewSet(ScopedModelViewSet):
    """回收站点：列表、登记、修改、状态变更，以及地图图层（GeoJSON）。"""

    serializer_class = SiteSerializer
    filterset_class = SiteApiFilterSet
    ordering_fields = ["code", "name", "tier", "status"]

    def get_queryset(self):
        return selectors.sites_for_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        materials = data.pop("materials", [])
        site = serializer.Meta.model(**data)
        save_within_scope(
            obj=site,
            actor=self.request.user,
            save=lambda obj: services.register_site(
                site=obj, actor=self.request.user, materials=materials
            ),
        )
        serializer.instance = site

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        materials = data.pop("materials", None)
        site = serializer.instance
        for name, value in data.items():
            setattr(site, name, value)
        save_within_scope(
            obj=site,
            actor=self.request.user,
            save=lambda obj: services.update_site(
                site=obj, actor=self.request.user, materials=materials
            ),
        )

    @extend_schema(request=SiteStatusChangeInputSerializer, responses=SiteSerializer)
    @action(detail=True, methods=["post"], url_path="change-status")
    def change_status(self, request, pk=None):
        site = self.get_object()
        if not type(site).objects.editable_by(request.user).filter(pk=site.pk).exists():
            raise PermissionDenied
        data = SiteStatusChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = services.change_site_status(
            site=site,
            actor=request.user,
            to=data.validated_data["to"],
            reason=data.validated_data["reason"],
        )
        return Response(SiteSerializer(site).data, status=status.HTTP_200_OK)

    @extend_schema(responses=SiteStatusChangeSerializer(many=True))
    # A bare list of the one row's entries: neither paged nor filtered like the list.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        site = self.get_object()
        changes = selectors.site_timeline(site=site)
        return Response(SiteStatusChangeSerializer(changes, many=True).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def geojson(self, request):
        """The map layer: one GeoJSON Feature per visible site with a position, filtered
        like the list."""
        queryset = self.filter_queryset(selectors.sites_for_map(user=request.user))
        return Response(sites_feature_collection(queryset))
