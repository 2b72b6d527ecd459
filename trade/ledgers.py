"""资金结算台账 and 指导价历史: the settlements and the reference prices a list shows (same
filters, same scope), as .xlsx through the shared writer (formulas neutralised), streamed in
chunks so memory and queries stay flat."""

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from anji_recycling.xlsx import SheetWriter, new_workbook

from . import selectors
from .exports import CHUNK_SIZE, ledger_scope
from .filters import PriceEntryFilterSet, SettlementFilterSet

SETTLEMENT_COLUMNS = (
    (pgettext_lazy("settlement ledger column", "Period from"), 12),
    (pgettext_lazy("settlement ledger column", "Period to"), 12),
    (pgettext_lazy("settlement ledger column", "Paying site number"), 18),
    (pgettext_lazy("settlement ledger column", "Paying site"), 24),
    (pgettext_lazy("settlement ledger column", "Paid site number"), 18),
    (pgettext_lazy("settlement ledger column", "Paid site"), 24),
    (pgettext_lazy("settlement ledger column", "Township of the paid site"), 14),
    (pgettext_lazy("settlement ledger column", "Transfers"), 8),
    (pgettext_lazy("settlement ledger column", "Amount (yuan)"), 14),
    (pgettext_lazy("settlement ledger column", "Paid on"), 12),
    (pgettext_lazy("settlement ledger column", "Payment reference"), 20),
    (pgettext_lazy("settlement ledger column", "Made by"), 14),
)

PRICE_COLUMNS = (
    (pgettext_lazy("price history column", "In force from"), 12),
    (pgettext_lazy("price history column", "Material"), 12),
    (pgettext_lazy("price history column", "Grade"), 12),
    (pgettext_lazy("price history column", "Sale"), 18),
    (pgettext_lazy("price history column", "Reference price (yuan/t)"), 14),
    (pgettext_lazy("price history column", "Published by"), 14),
    (pgettext_lazy("price history column", "Note"), 30),
)


def settlement_filename(*, as_of: dt.date) -> str:
    return f"资金结算台账_{as_of:%Y%m%d}.xlsx"


def price_history_filename(*, as_of: dt.date) -> str:
    return f"指导价历史_{as_of:%Y%m%d}.xlsx"


def settlement_queryset(*, user, params):
    queryset = selectors.settlements_for_list(user=user).select_related("payee__township")
    return SettlementFilterSet(params, queryset=queryset).qs.annotate(
        transfer_count=Count("transfers")
    )


def price_queryset(*, user, params):
    return PriceEntryFilterSet(params, queryset=selectors.prices_for_list(user=user)).qs


def _sheet(workbook, title, columns, *, user, as_of):
    sheet = SheetWriter(
        workbook, title, widths=[w for _l, w in columns], freeze="B3", numbered=True
    )
    sheet.ledger_title(title, scope=ledger_scope(user), as_of=as_of)
    sheet.header([str(label) for label, _w in columns])
    return sheet


def _blank(values):
    return [None if value == "" else value for value in values]


def build_settlement_workbook(*, queryset, user, as_of: dt.date):
    workbook = new_workbook()
    title = pgettext("sheet", "Settlement ledger")
    sheet = _sheet(workbook, title, SETTLEMENT_COLUMNS, user=user, as_of=as_of)
    rows = queryset.order_by("period_end", "pk").iterator(chunk_size=CHUNK_SIZE)
    for settlement in rows:
        sheet.row(
            _blank(
                [
                    settlement.period_start,
                    settlement.period_end,
                    settlement.payer.code,
                    settlement.payer.name,
                    settlement.payee.code,
                    settlement.payee.name,
                    settlement.payee.township.name,
                    settlement.transfer_count,
                    settlement.amount,
                    settlement.paid_on or _("not paid"),
                    settlement.payment_reference,
                    str(settlement.created_by),
                ]
            )
        )
    return workbook


def build_price_workbook(*, queryset, user, as_of: dt.date):
    workbook = new_workbook()
    title = pgettext("sheet", "Reference price history")
    sheet = _sheet(workbook, title, PRICE_COLUMNS, user=user, as_of=as_of)
    rows = queryset.order_by("effective_from", "material__sort_order", "seller_tier", "pk")
    for entry in rows.iterator(chunk_size=CHUNK_SIZE):
        sheet.row(
            _blank(
                [
                    entry.effective_from,
                    entry.material.name,
                    entry.grade.name if entry.grade_id else None,
                    entry.get_seller_tier_display(),
                    entry.price,
                    str(entry.published_by),
                    entry.note,
                ]
            )
        )
    return workbook
