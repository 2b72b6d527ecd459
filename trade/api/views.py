from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from anji_recycling.api.viewsets import ScopedModelViewSet
from sites.api.coverage import HasRole
from sites.models import Material, Site

from .. import selectors, services
from ..balance import monthly_balance
from ..filters import PriceEntryFilterSet, SettlementFilterSet, ShipmentFilterSet, TransferFilterSet
from .serializers import (
    BalanceQuerySerializer,
    MaterialGradeSerializer,
    MaterialSerializer,
    MonthlyBalanceSerializer,
    PaymentInputSerializer,
    PriceEntrySerializer,
    SettleInputSerializer,
    SettlementSerializer,
    ShipmentSerializer,
    StockDeclarationSerializer,
    TransferSerializer,
)

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class MaterialViewSet(viewsets.ReadOnlyModelViewSet):
    """回收品类：全县统一的品类清单（废钢铁、废纸、废塑料等），及其下的品级编号。"""

    serializer_class = MaterialSerializer

    def get_queryset(self):
        return Material.objects.visible_to(self.request.user).prefetch_related("grades")


class MaterialGradeViewSet(ScopedModelViewSet):
    """品级：回收品类下的细分等级（商务局维护）。"""

    serializer_class = MaterialGradeSerializer
    select_related = ("material",)
    http_method_names = NO_DELETE

    def save_with_service(self, *, obj, actor):
        return services.save_grade(grade=obj, actor=actor)


class TransferViewSet(ScopedModelViewSet):
    """交售（流转）：网点→中转站→分拣中心，带当日指导价比较。"""

    serializer_class = TransferSerializer
    filterset_class = TransferFilterSet
    ordering_fields = ["transferred_on", "weight_kg", "amount"]
    http_method_names = NO_DELETE

    def get_queryset(self):
        return selectors.transfers_for_list(user=self.request.user)

    def save_with_service(self, *, obj, actor):
        if obj.pk is None:
            return services.record_transfer(transfer=obj, actor=actor)
        return services.correct_transfer(transfer=obj, actor=actor)


class PriceEntryViewSet(ScopedModelViewSet):
    """指导价：按品类（品级）和交售环节发布的参考收购价，自执行日期起有效。"""

    serializer_class = PriceEntrySerializer
    filterset_class = PriceEntryFilterSet
    select_related = ("material", "grade")
    http_method_names = NO_DELETE

    def save_with_service(self, *, obj, actor):
        return services.publish_price(entry=obj, actor=actor)


class SettlementViewSet(viewsets.ReadOnlyModelViewSet):
    """资金结算：收货站点与交售站点之间一个期间的一批交售。"""

    serializer_class = SettlementSerializer
    filterset_class = SettlementFilterSet

    def get_queryset(self):
        return selectors.settlements_for_list(user=self.request.user).prefetch_related("transfers")

    @extend_schema(request=SettleInputSerializer, responses={201: SettlementSerializer})
    def create(self, request):
        data = SettleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        sites = Site.objects.visible_to(request.user)
        settlement = services.settle_transfers(
            payer=get_object_or_404(sites, pk=values["payer"]),
            payee=get_object_or_404(Site.objects.all(), pk=values["payee"]),
            period_start=values["period_start"],
            period_end=values["period_end"],
            transfers=values["transfers"],
            paid_on=values.get("paid_on"),
            payment_reference=values.get("payment_reference", ""),
            note=values.get("note", ""),
            actor=request.user,
        )
        return Response(SettlementSerializer(settlement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PaymentInputSerializer, responses=SettlementSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        settlement = services.pay_settlement(
            settlement=self.get_object(),
            paid_on=data.validated_data["paid_on"],
            payment_reference=data.validated_data.get("payment_reference", ""),
            actor=request.user,
        )
        return Response(SettlementSerializer(settlement).data)


class ShipmentViewSet(ScopedModelViewSet):
    """出库：分拣中心发往利用企业的货物。"""

    serializer_class = ShipmentSerializer
    filterset_class = ShipmentFilterSet
    select_related = ("from_site", "material")
    http_method_names = NO_DELETE

    def save_with_service(self, *, obj, actor):
        return services.record_shipment(shipment=obj, actor=actor)


class StockDeclarationViewSet(ScopedModelViewSet):
    """月末库存：中转站和分拣中心每月申报的各品类库存。"""

    serializer_class = StockDeclarationSerializer
    select_related = ("site", "material")
    http_method_names = NO_DELETE

    def save_with_service(self, *, obj, actor):
        return services.declare_stock(declaration=obj, actor=actor)


class MonthlyBalanceView(APIView):
    """进出平衡：某月各中转站和分拣中心各品类的收货、交售、出库和库存，以及异常提示。"""

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(parameters=[BalanceQuerySerializer], responses=MonthlyBalanceSerializer)
    def get(self, request):
        query = BalanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = timezone.localdate().replace(day=1)
        if query.validated_data.get("month"):
            year, number = query.validated_data["month"].split("-")
            month = month.replace(year=int(year), month=int(number))
        result = monthly_balance(user=request.user, month=month)
        return Response(MonthlyBalanceSerializer(result).data)
