from django.urls import path

from . import views, views_dashboard, views_ledgers

app_name = "trade"

urlpatterns = [
    path("", views.TransferListView.as_view(), name="transfer-list"),
    path("transfers.xlsx", views.transfer_export, name="transfer-export"),
    path("transfers/import/", views.transfer_import, name="transfer-import"),
    path(
        "transfers/import/template.xlsx",
        views.transfer_import_template,
        name="transfer-import-template",
    ),
    path("transfers/new/", views.TransferCreateView.as_view(), name="transfer-create"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer-detail"),
    path("transfers/<int:pk>/edit/", views.TransferUpdateView.as_view(), name="transfer-update"),
    path(
        "transfers/<int:pk>/history/",
        views.TransferHistoryView.as_view(),
        name="transfer-history",
    ),
    path("prices/", views.PriceBoardView.as_view(), name="price-board"),
    path("prices.xlsx", views_ledgers.price_export, name="price-export"),
    path("prices/new/", views.PriceCreateView.as_view(), name="price-create"),
    path("settlements/", views.SettlementListView.as_view(), name="settlement-list"),
    path("settlements.xlsx", views_ledgers.settlement_export, name="settlement-export"),
    path("settlements/new/", views.settlement_create, name="settlement-create"),
    path("settlements/<int:pk>/", views.SettlementDetailView.as_view(), name="settlement-detail"),
    path("settlements/<int:pk>/pay/", views.settlement_pay, name="settlement-pay"),
    path(
        "settlements/<int:pk>/history/",
        views.SettlementHistoryView.as_view(),
        name="settlement-history",
    ),
    path("shipments/", views.ShipmentListView.as_view(), name="shipment-list"),
    path("shipments/new/", views.ShipmentCreateView.as_view(), name="shipment-create"),
    path("stocks/new/", views.StockCreateView.as_view(), name="stock-create"),
    path("sites/<int:site_pk>/", views.site_market, name="site-market"),
    path("balance/", views.balance, name="balance"),
    path("dashboard/", views_dashboard.market_dashboard, name="dashboard"),
    path("dashboard/data/", views_dashboard.market_dashboard_data, name="dashboard-data"),
    path("balance/clear/", views.clear_flag, name="flag-clear"),
]
