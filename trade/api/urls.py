from django.urls import path

from .views import (
    MaterialGradeViewSet,
    MaterialViewSet,
    MonthlyBalanceView,
    PriceEntryViewSet,
    SettlementViewSet,
    ShipmentViewSet,
    StockDeclarationViewSet,
    TransferViewSet,
)

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("materials", MaterialViewSet, "material"),
    ("material-grades", MaterialGradeViewSet, "materialgrade"),
    ("transfers", TransferViewSet, "transfer"),
    ("prices", PriceEntryViewSet, "priceentry"),
    ("settlements", SettlementViewSet, "settlement"),
    ("shipments", ShipmentViewSet, "shipment"),
    ("stock-declarations", StockDeclarationViewSet, "stockdeclaration"),
]

paths = [path("balance/", MonthlyBalanceView.as_view(), name="balance")]
