"""The recycling market that flows through the three-tier network: material grades, transfers
up the tiers, the reference price board, settlements, shipments to processors and the stock
each site declares at month end. One module a concern; every name is importable from here as
before."""

from anji_recycling.models import entered_by_field

from .common import (
    AMOUNT,
    PRICE,
    WEIGHT,
    CountyMarketQuerySet,
    MaterialGrade,
    grade_field,
    material_field,
)
from .flows import Settlement, SettlementQuerySet, Transfer, TransferQuerySet
from .prices import SAME_DAY_PRICE, PriceEntry
from .rollup import TransferMonthly
from .stock import (
    FlagClearance,
    FlagClearanceQuerySet,
    Shipment,
    ShipmentQuerySet,
    StockDeclaration,
    StockDeclarationQuerySet,
)

__all__ = [
    "AMOUNT",
    "PRICE",
    "SAME_DAY_PRICE",
    "WEIGHT",
    "CountyMarketQuerySet",
    "FlagClearance",
    "FlagClearanceQuerySet",
    "MaterialGrade",
    "PriceEntry",
    "Settlement",
    "SettlementQuerySet",
    "Shipment",
    "ShipmentQuerySet",
    "StockDeclaration",
    "StockDeclarationQuerySet",
    "Transfer",
    "TransferMonthly",
    "TransferQuerySet",
    "entered_by_field",
    "grade_field",
    "material_field",
]
