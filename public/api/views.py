"""/api/v1/public/: read-only, no authentication (no session, hence no CSRF), throttled per
client address, the same whitelisted rows as the public pages."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agencies.api.serializers import PublicVillageCollectionSerializer
from anji_recycling.api.throttling import PublicRateThrottle

from .. import cache, selectors
from ..views import asked_page
from .serializers import (
    PublicNearbyQuerySerializer,
    PublicNearbySerializer,
    PublicSiteDetailSerializer,
    PublicSitePageSerializer,
    PublicTownshipSerializer,
    PublicVillagesQuerySerializer,
)

SEARCH = OpenApiParameter(
    "q", str, description="Words the name, township, village or address contains."
)
NEAR = OpenApiParameter(
    "near", str, description="`lat,lng` (WGS-84, rounded to 3 decimals): nearest first."
)
PAGE = OpenApiParameter("page", int, description="Page number (20 sites a page).")


class PublicAPIView(GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    filter_backends = []

    def sites_page(self) -> dict:
        return cache.cached_sites_page(**asked_page(self.request.query_params))


class PublicSiteList(PublicAPIView):
    """公众服务：运营中的回收站点（不需登录），每页 20 个；带 near 时由近及远。"""

    serializer_class = PublicSitePageSerializer
    pagination_class = None

    @extend_schema(operation_id="public_sites_list", parameters=[SEARCH, NEAR, PAGE])
    def get(self, request):
        found = self.sites_page()
        data = {**found, "next": self._page_url(found, +1), "previous": self._page_url(found, -1)}
        return Response(self.get_serializer(data).data)

    def _page_url(self, found: dict, step: int) -> str | None:
        number = found["page"] + step
        if not 1 <= number <= found["num_pages"]:
            return None
        params = self.request.query_params.copy()
        params["page"] = number
        return self.request.build_absolute_uri(f"{self.request.path}?{params.urlencode()}")


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

    @extend_schema(parameters=[SEARCH, NEAR, PAGE], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """The same page of sites as the list (the map shows the page the list shows)."""
        return Response(selectors.sites_feature_collection(self.sites_page()["sites"]))


class PublicTownshipList(PublicAPIView):
    """公众服务：乡镇（街道）名称和中心点（地图底图用）。"""

    serializer_class = PublicTownshipSerializer
    pagination_class = None

    @extend_schema(responses=PublicTownshipSerializer(many=True))
    def get(self, request):
        return Response(self.get_serializer(cache.cached_townships(), many=True).data)


class PublicVillageList(PublicAPIView):
    """公众服务：行政村（社区）的名称、区划代码、所属乡镇和中心点（GeoJSON，WGS-84）。"""

    pagination_class = None

    @extend_schema(
        parameters=[PublicVillagesQuerySerializer], responses=PublicVillageCollectionSerializer
    )
    def get(self, request):
        """The current villages, or one township's (`township`: its division code)."""
        features = cache.cached_villages()
        codes = {township["code"] for township in cache.cached_townships()}
        query = PublicVillagesQuerySerializer(
            data=request.query_params, context={"township_codes": codes}
        )
        query.is_valid(raise_exception=True)
        township = query.validated_data.get("township")
        if township:
            features = [f for f in features if f["properties"]["township_code"] == township]
        return Response({"type": "FeatureCollection", "features": features})


NEARBY_PARAMETERS = [
    OpenApiParameter("category", int, description="The problem category's id."),
    OpenApiParameter("site", int, description="The public site the problem is at."),
    OpenApiParameter("lat", float, description="WGS-84 latitude of the reported place."),
    OpenApiParameter("lng", float, description="WGS-84 longitude of the reported place."),
]


class PublicReportNearby(PublicAPIView):
    """公众服务：提交举报前提示“附近已有人反映”——同一站点或约 300 米内同类未办结举报的数量。"""

    pagination_class = None

    @extend_schema(parameters=NEARBY_PARAMETERS, responses=PublicNearbySerializer)
    def get(self, request):
        query = PublicNearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        asked = query.validated_data
        count = "category" in asked and selectors.nearby_open_reports(
            category_id=asked["category"],
            site_id=asked.get("site"),
            latitude=asked.get("lat"),
            longitude=asked.get("lng"),
        )
        count = int(count or 0)
        return Response(PublicNearbySerializer({"count": count, "nearby": count > 0}).data)
