from django.contrib import admin

from anji_recycling.admin import ReadOnlyScopedAdmin, ScopedAdmin

from . import services
from .models import (
    FlagClearance,
    MaterialGrade,
    PriceEntry,
    Settlement,
    Shipment,
    StockDeclaration,
    Transfer,
)


@admin.register(MaterialGrade)
class MaterialGradeAdmin(ScopedAdmin):
    list_display = ["material", "name", "sort_order", "is_active"]
    list_filter = ["material", "is_active"]
    list_select_related = ["material"]

    def save_with_service(self, *, obj, actor):
        services.save_grade(grade=obj, actor=actor)


@admin.register(PriceEntry)
class PriceEntryAdmin(ScopedAdmin):
    list_display = ["material", "grade", "seller_tier", "price", "effective_from", "published_by"]
    list_filter = ["material", "seller_tier"]
    list_select_related = ["material", "grade", "grade__material", "published_by"]
    date_hierarchy = "effective_from"

    def save_with_service(self, *, obj, actor):
        services.publish_price(entry=obj, actor=actor)


# Transfers, settlements, shipments and stocks change through the portal's pages and API,
# where the tier rules, the policy and settlement hold: the admin shows them, scoped.


@admin.register(Transfer)
class TransferAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "transferred_on",
        "from_site",
        "to_site",
        "material",
        "weight_kg",
        "unit_price",
        "amount",
        "settlement",
    ]
    list_filter = ["material", "from_site__tier"]
    list_select_related = ["from_site", "to_site", "material", "settlement"]
    search_fields = ["from_site__name", "to_site__name", "from_site__code", "to_site__code"]
    date_hierarchy = "transferred_on"


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyScopedAdmin):
    list_display = ["payer", "payee", "period_start", "period_end", "amount", "paid_on"]
    list_select_related = ["payer", "payee"]
    search_fields = ["payer__name", "payee__name", "payment_reference"]


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["shipped_on", "from_site", "processor_name", "material", "weight_kg"]
    list_select_related = ["from_site", "material"]
    search_fields = ["processor_name", "processor_credit_code"]


@admin.register(StockDeclaration)
class StockDeclarationAdmin(ReadOnlyScopedAdmin):
    list_display = ["site", "month", "material", "stock_kg"]
    list_select_related = ["site", "material"]


@admin.register(FlagClearance)
class FlagClearanceAdmin(ReadOnlyScopedAdmin):
    list_display = ["site", "month", "kind", "material", "explanation", "cleared_by", "cleared_at"]
    list_select_related = ["site", "material", "cleared_by"]
