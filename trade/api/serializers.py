from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anji_recycling.api.relations import FormScopedRelationsMixin
from sites.models import Material

from .. import policy
from ..forms import PriceEntryForm, ShipmentForm, StockDeclarationForm, TransferForm
from ..models import MaterialGrade, PriceEntry, Settlement, Shipment, StockDeclaration, Transfer

WEIGHT = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": False}


class MaterialSerializer(serializers.ModelSerializer):
    grades = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("The ids of the material's grades.")
    )

    class Meta:
        model = Material
        fields = ["id", "code", "name", "sort_order", "grades"]
        read_only_fields = fields


class MaterialGradeSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    material_name = serializers.CharField(source="material.name", read_only=True)

    class Meta:
        # The county's material list is reference data every writer may name.
        unscoped_relations = ["material"]
        model = MaterialGrade
        fields = ["id", "material", "material_name", "name", "sort_order", "is_active"]
        validators = []


class TransferSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    from_site_name = serializers.CharField(source="from_site.name", read_only=True)
    to_site_name = serializers.CharField(source="to_site.name", read_only=True)
    material_name = serializers.CharField(source="material.name", read_only=True)
    board_price = serializers.SerializerMethodField()
    below_board = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        scope_form = TransferForm
        model = Transfer
        fields = [
            "id",
            "transferred_on",
            "from_site",
            "from_site_name",
            "to_site",
            "to_site_name",
            "material",
            "material_name",
            "grade",
            "weight_kg",
            "unit_price",
            "amount",
            "board_price",
            "below_board",
            "reason",
            "weighbridge_ticket",
            "settlement",
            "entered_by",
            "allowed_actions",
        ]
        read_only_fields = ["amount", "settlement", "entered_by"]
        # The ticket's uniqueness per receiving site is the service's check (Chinese message).
        validators = []

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_board_price(self, transfer) -> Decimal | None:
        """The board's price (元/吨) for this sale on its date; null when none was published."""
        return getattr(transfer, "board_price", None)

    def get_below_board(self, transfer) -> bool:
        return bool(getattr(transfer, "below_board", False))

    def get_allowed_actions(self, transfer) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return policy.TRANSFER_POLICY.allowed_actions(transfer, request.user)


class PriceEntrySerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    material_name = serializers.CharField(source="material.name", read_only=True)

    class Meta:
        scope_form = PriceEntryForm
        model = PriceEntry
        fields = [
            "id",
            "material",
            "material_name",
            "grade",
            "seller_tier",
            "price",
            "effective_from",
            "published_by",
            "note",
        ]
        read_only_fields = ["published_by"]
        validators = []


class SettlementSerializer(serializers.ModelSerializer):
    transfers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Settlement
        fields = [
            "id",
            "payer",
            "payee",
            "period_start",
            "period_end",
            "amount",
            "paid_on",
            "payment_reference",
            "note",
            "status",
            "transfers",
            "created_by",
        ]
        read_only_fields = fields


class SettleInputSerializer(serializers.Serializer):
    payer = serializers.IntegerField(help_text=_("The paying (receiving) site's id."))
    payee = serializers.IntegerField(help_text=_("The delivering site's id."))
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    transfers = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    paid_on = serializers.DateField(required=False, allow_null=True)
    payment_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PaymentInputSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    payment_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)


class ShipmentSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    class Meta:
        scope_form = ShipmentForm
        model = Shipment
        fields = [
            "id",
            "shipped_on",
            "from_site",
            "processor_name",
            "processor_credit_code",
            "processor_region",
            "material",
            "grade",
            "weight_kg",
            "note",
            "entered_by",
        ]
        read_only_fields = ["entered_by"]


class StockDeclarationSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    class Meta:
        scope_form = StockDeclarationForm
        model = StockDeclaration
        fields = ["id", "site", "month", "material", "stock_kg", "declared_by"]
        read_only_fields = ["declared_by"]
        validators = []


class BalanceRowSerializer(serializers.Serializer):
    site = serializers.IntegerField(source="site.pk")
    site_name = serializers.CharField(source="site.name")
    material = serializers.IntegerField(source="material.pk")
    material_name = serializers.CharField(source="material.name")
    opening = serializers.DecimalField(allow_null=True, **WEIGHT)
    received = serializers.DecimalField(**WEIGHT)
    forwarded = serializers.DecimalField(**WEIGHT)
    shipped = serializers.DecimalField(**WEIGHT)
    closing = serializers.DecimalField(allow_null=True, **WEIGHT)
    discrepancy = serializers.DecimalField(allow_null=True, **WEIGHT)


class BalanceFlagSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    site = serializers.IntegerField(source="site.pk")
    site_name = serializers.CharField(source="site.name")
    material = serializers.IntegerField(source="material.pk", allow_null=True, default=None)
    figures = serializers.DictField()


class MonthlyBalanceSerializer(serializers.Serializer):
    month = serializers.DateField()
    rows = BalanceRowSerializer(many=True)
    flags = BalanceFlagSerializer(many=True)


class BalanceQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text=_("The month, e.g. 2026-03.")
    )
