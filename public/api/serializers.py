"""The public API's shapes: plain serializers over the selector's whitelisted rows (never a
ModelSerializer, which would follow the model's fields)."""

from django.utils.translation import gettext as _
from rest_framework import serializers


class PublicSiteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    tier = serializers.IntegerField()
    tier_label = serializers.CharField()
    township = serializers.CharField()
    village = serializers.CharField()
    venue_type = serializers.CharField()
    address = serializers.CharField()
    opening_hours = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True, help_text="WGS-84")
    longitude = serializers.FloatField(allow_null=True, help_text="WGS-84")
    materials = serializers.ListField(child=serializers.CharField())
    operator_name = serializers.CharField(
        help_text="An enterprise's registered name; an individual business as 张** only."
    )
    operator_kind = serializers.CharField()
    licensed = serializers.BooleanField(allow_null=True)
    url = serializers.CharField(help_text="The site's public page.")
    distance_km = serializers.FloatField(
        required=False, help_text="From `near`, when given (great-circle)."
    )


class PublicSitePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = PublicSiteSerializer(many=True, source="sites")


class PublicPriceSerializer(serializers.Serializer):
    material = serializers.CharField()
    grade = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2, help_text="yuan/t")
    effective_from = serializers.DateField()


class PublicSiteDetailSerializer(PublicSiteSerializer):
    prices = PublicPriceSerializer(many=True)


class PublicTownshipSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class PublicVillagesQuerySerializer(serializers.Serializer):
    township = serializers.CharField(
        required=False, max_length=9, help_text="A township's division code (9 digits)."
    )

    def validate_township(self, value):
        if value not in self.context["township_codes"]:
            raise serializers.ValidationError(
                _("No township of the county has the division code %(code)s.") % {"code": value}
            )
        return value


class PublicNearbyQuerySerializer(serializers.Serializer):
    category = serializers.IntegerField(min_value=1, required=False)
    site = serializers.IntegerField(min_value=1, required=False)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lng = serializers.FloatField(min_value=-180, max_value=180, required=False)


class PublicNearbySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Open reports of the same problem near by.")
    nearby = serializers.BooleanField()
