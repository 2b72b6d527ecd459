"""Coverage against the year's targets, and the map layer of villages not yet served."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import has_role
from agencies.api.serializers import VillageCollectionSerializer
from agencies.geojson import villages_feature_collection

from ..coverage import FIRST_YEAR, LAST_YEAR, coverage_for_year, unserved_villages


class HasRole(BasePermission):
    """Any user the commerce bureau has given a role; scoping is left to the selectors."""

    message = _("Your account has no role yet: ask the commerce bureau.")

    def has_permission(self, request, view):
        return has_role(request.user)


def _percent_field(**kwargs):
    return serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True, **kwargs
    )


class CoverageQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=_("The year whose targets apply; the current year by default."),
    )


class UnservedVillagesQuerySerializer(CoverageQuerySerializer):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=_(
            "The page's year. Villages served are counted from the sites' statuses today, "
            "whatever the year."
        ),
    )
    township = serializers.IntegerField(
        required=False, help_text=_("Only the villages of this township (its id).")
    )


class TargetsSerializer(serializers.Serializer):
    village_coverage_percent = _percent_field()
    transfer_station_percent = _percent_field()
    source_year = serializers.IntegerField(
        allow_null=True,
        help_text=_("The year whose target was used; null when none was set (100 % applies)."),
    )
    is_default = serializers.BooleanField()
    note = serializers.CharField()


class TownshipCoverageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="township.pk")
    code = serializers.CharField(source="township.code")
    name = serializers.CharField(source="township.name")
    village_count = serializers.IntegerField()
    served_village_count = serializers.IntegerField()
    unserved_village_count = serializers.IntegerField()
    coverage_percent = _percent_field()
    has_transfer_station = serializers.BooleanField()
    illegal_point_count = serializers.IntegerField()
    meets_coverage_target = serializers.BooleanField()
    meets_transfer_station_target = serializers.BooleanField()
    meets_targets = serializers.BooleanField()


class CountyCoverageSerializer(serializers.Serializer):
    village_count = serializers.IntegerField()
    served_village_count = serializers.IntegerField()
    unserved_village_count = serializers.IntegerField()
    coverage_percent = _percent_field()
    township_count = serializers.IntegerField()
    townships_with_transfer_station = serializers.IntegerField()
    transfer_station_percent = _percent_field()
    illegal_point_count = serializers.IntegerField()
    meets_coverage_target = serializers.BooleanField()
    meets_transfer_station_target = serializers.BooleanField()
    meets_targets = serializers.BooleanField()


class CoverageReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField(
        help_text=_("The date of the site statuses counted: today, whatever the year.")
    )
    targets = TargetsSerializer()
    county = CountyCoverageSerializer(
        help_text=_("Totals over the townships the user sees (one for township staff).")
    )
    townships = TownshipCoverageSerializer(many=True)


def _year(request, serializer_class=CoverageQuerySerializer) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return {"year": timezone.localdate().year, **query.validated_data}


class CoverageView(APIView):
    """覆盖率：各乡镇（街道）村（社区）网点覆盖、运营中的中转站和非法点位，对照年度目标。

    Served villages count the sites' statuses today; the year chooses the targets.
    """

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(parameters=[CoverageQuerySerializer], responses=CoverageReportSerializer)
    def get(self, request):
        report = coverage_for_year(user=request.user, year=_year(request)["year"])
        return Response(CoverageReportSerializer(report).data)


class UnservedVillagesGeoJSON(APIView):
    """尚无运营中网点的村（社区）地图图层：GeoJSON FeatureCollection（WGS-84）。

    Villages without a position of their own are placed at their township's centre, with the
    property `approximate: true`.
    """

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(
        parameters=[UnservedVillagesQuerySerializer], responses=VillageCollectionSerializer
    )
    def get(self, request):
        # The year is accepted so the layer follows the page's year once statuses can be read
        # at a past date; today served means served now, whatever the year.
        query = _year(request, UnservedVillagesQuerySerializer)
        villages = unserved_villages(user=request.user, township=query.get("township"))
        return Response(villages_feature_collection(villages, located_only=True))
