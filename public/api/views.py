"""/api/v1/public/: read-only, no authentication (no session, hence no CSRF), throttled per
client address, the same whitelisted rows as the public pages."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from anji_recycling.api.throttling import PublicRateThrottle

from .. import cache, selectors
from .serializers import PublicSiteDetailSerializer, PublicSiteSerializer, PublicTownshipSerializer

SEARCH = OpenApiParameter(
    "q", str, description="Words the name, township, village or address contains."
)


class PublicAPIView(GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    filter_backends = []

    def searched_sites(self):
        query = self.request.query_params.get("q", "").strip()[:50]
        return selectors.search_sites(cache.cached_sites(), query)


@extend_schema(parameters=[SEARCH])
class PublicSiteList(PublicAPIView, ListAPIView):
    """公众服务：运营中的回收站点（不需登录），分页。"""

    serializer_class = PublicSiteSerializer

    def get_queryset(self):
        return self.searched_sites()


class PublicSiteDetail(PublicAPIView):
    """公众服务：一个运营中站点的公开信息和参考价。"""

    serializer_class = PublicSiteDetailSerializer

    def get(self, request, pk):
        site = cache.cached_site(pk)
        if site is None:
            raise Http404
        return Response(self.get_serializer(site).data)


class PublicSiteGeoJSON(PublicAPIView):
    """公众服务：运营中站点的地图图层（GeoJSON，WGS-84）。"""

    pagination_class = None

    @extend_schema(parameters=[SEARCH], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(selectors.sites_feature_collection(self.searched_sites()))


class PublicTownshipList(PublicAPIView):
    """公众服务：乡镇（街道）名称和中心点（地图底图用）。"""

    serializer_class = PublicTownshipSerializer
    pagination_class = None

    @extend_schema(responses=PublicTownshipSerializer(many=True))
    def get(self, request):
        return Response(self.get_serializer(cache.cached_townships(), many=True).data)
