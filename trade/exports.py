"""交售台账: the transfers a list shows (same filters, same scope), as an .xlsx, one row per
transfer, streamed from the database in chunks so memory and queries stay flat."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from anji_recycling.xlsx import SheetWriter, new_workbook

from . import selectors
from .filters import TransferFilterSet

CHUNK_SIZE = 2000
TONNE = Decimal("0.001")
FILE_PREFIX = "交售台账"

COLUMNS = (
    (pgettext_lazy("transfer ledger column", "Date"), 12),
    (pgettext_lazy("transfer ledger column", "Delivering site number"), 18),
    (pgettext_lazy("transfer ledger column", "Delivering site"), 24),
    (pgettext_lazy("transfer ledger column", "Delivering tier"), 16),
    (pgettext_lazy("transfer ledger column", "Township"), 12),
    (pgettext_lazy("transfer ledger column", "Receiving site number"), 18),
    (pgettext_lazy("transfer ledger column", "Receiving site"), 24),
    (pgettext_lazy("transfer ledger column", "Material"), 12),
    (pgettext_lazy("transfer ledger column", "Grade"), 12),
    (pgettext_lazy("transfer ledger column", "Net weight (kg)"), 14),
    (pgettext_lazy("transfer ledger column", "Unit price (yuan/t)"), 14),
    (pgettext_lazy("transfer ledger column", "Amount (yuan)"), 14),
    (pgettext_lazy("transfer ledger column", "Board price (yuan/t)"), 14),
    (pgettext_lazy("transfer ledger column", "Below the board"), 10),
    (pgettext_lazy("transfer ledger column", "Settled"), 10),
    (pgettext_lazy("transfer ledger column", "Reason for an exception"), 30),
    (pgettext_lazy("transfer ledger column", "Entered by"), 14),
)


def ledger_filename(*, as_of: dt.date) -> str:
    return f"{FILE_PREFIX}_{as_of:%Y%m%d}.xlsx"


def ledger_queryset(*, user, params):
    return TransferFilterSet(params, queryset=selectors.transfers_for_list(user=user)).qs


def transfer_values(transfer) -> list:
    values = [
        transfer.transferred_on,
        transfer.from_site.code,
        transfer.from_site.name,
        transfer.from_site.get_tier_display(),
        transfer.from_site.township.name,
        transfer.to_site.code,
        transfer.to_site.name,
        transfer.material.name,
        transfer.grade.name if transfer.grade_id else None,
        transfer.weight_kg,
        transfer.unit_price,
        transfer.amount,
        transfer.board_price,
        _("Yes") if transfer.below_board else None,
        _("Yes") if transfer.settlement_id else _("No"),
        transfer.reason,
        str(transfer.entered_by),
    ]
    return [None if value == "" else value for value in values]


def build_ledger_workbook(*, queryset, scope: str, as_of: dt.date):
    workbook = new_workbook()
    title = pgettext("sheet", "Transfer ledger")
    sheet = SheetWriter(
        workbook, title, widths=[width for _label, width in COLUMNS], freeze="B3", numbered=True
    )
    sheet.ledger_title(title, scope=scope, as_of=as_of)
    sheet.header([str(label) for label, _width in COLUMNS])
    for transfer in queryset.order_by("transferred_on", "pk").iterator(chunk_size=CHUNK_SIZE):
        sheet.row(transfer_values(transfer))
    return workbook


def add_tonnage_sheet(workbook, *, user, start: dt.date, end: dt.date) -> None:
    """回收量: what the collection points delivered in the period, by township and material,
    with the totals (for the joint meeting's pack)."""
    rows = selectors.tonnage_by_township_and_material(user=user, start=start, end=end)
    sheet = SheetWriter(
        workbook, pgettext("sheet", "Recovered tonnage"), widths=[18, 16, 14, 16, 12]
    )
    sheet.title(
        _("Delivered by collection points, %(start)s to %(end)s")
        % {"start": start.isoformat(), "end": end.isoformat()}
    )
    sheet.header([_("Township"), _("Material"), _("Tonnes"), _("Amount (yuan)"), _("Transfers")])
    total_kg = total_amount = count = 0
    for row in rows:
        sheet.row(
            [
                row["from_site__township__name"],
                row["material__name"],
                (row["weight_kg"] / 1000).quantize(TONNE),
                row["amount"],
                row["count"],
            ]
        )
        total_kg += row["weight_kg"]
        total_amount += row["amount"]
        count += row["count"]
    sheet.row([_("Total"), None, (Decimal(total_kg) / 1000).quantize(TONNE), total_amount, count])
