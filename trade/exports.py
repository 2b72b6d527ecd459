"""交售台账: the transfers a list shows (same filters, same scope), as an .xlsx, one row per
transfer, streamed from the database in chunks into a write-only workbook so memory and queries
stay flat. A ledger of more rows than settings.EXPORT_BACKGROUND_ROWS is written by the site
registry's background export job (sites/jobs.py: progress page, download), as a large roster is."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts.access import township_scope
from anji_recycling.xlsx import SheetWriter, new_workbook
from sites.exports import COUNTY_NAME
from sites.jobs import Exporter, register_exporter
from sites.models import BackgroundJob

from . import selectors
from .balance import monthly_balance, previous_month
from .choices import BalanceFlagKind
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
    (pgettext_lazy("transfer ledger column", "Weighbridge ticket"), 16),
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
        transfer.weighbridge_ticket,
    ]
    return [None if value == "" else value for value in values]


def ledger_scope(user) -> str:
    """Whose ledger it is, for its title row: the user's township, or the county."""
    return COUNTY_NAME if township_scope(user) is None else user.township.name


def write_ledger(workbook, *, queryset, progress=None, user=None, as_of=None) -> int:
    """Append the ledger sheet (its title row names the user's scope and the day); the number
    of transfers written."""
    title = pgettext("sheet", "Transfer ledger")
    sheet = SheetWriter(
        workbook, title, widths=[width for _label, width in COLUMNS], freeze="B3", numbered=True
    )
    sheet.ledger_title(
        title,
        scope=COUNTY_NAME if user is None else ledger_scope(user),
        as_of=as_of or timezone.localdate(),
    )
    sheet.header([str(label) for label, _width in COLUMNS])
    written = 0
    rows = queryset.order_by("transferred_on", "pk").iterator(chunk_size=CHUNK_SIZE)
    for written, transfer in enumerate(rows, start=1):
        sheet.row(transfer_values(transfer))
        if progress is not None:
            progress(written)
    return written


def build_ledger_workbook(*, queryset, user=None, as_of=None):
    workbook = new_workbook()
    write_ledger(workbook, queryset=queryset, user=user, as_of=as_of)
    return workbook


register_exporter(
    Exporter(kind=BackgroundJob.Kind.TRANSFER_EXPORT, rows=ledger_queryset, write=write_ledger)
)


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


def _flag_figures(flag) -> str:
    """A flag's figures in words, as the 进出平衡 page shows them."""
    figures = flag.figures
    if flag.kind == BalanceFlagKind.OVER_FORWARDED:
        return (
            _(
                "received %(received)s kg + opening %(opening)s kg; forwarded %(forwarded)s "
                "kg + shipped %(shipped)s kg: %(excess)s kg more went out"
            )
            % figures
        )
    if flag.kind == BalanceFlagKind.OVER_CAPACITY:
        return _("stock %(stock)s kg, capacity %(capacity)s kg") % figures
    text = _("no delivery in the last %(weeks)s weeks") % figures
    if figures.get("last_delivery"):
        text += " · " + _("last on %(day)s") % {"day": figures["last_delivery"].isoformat()}
    return text


def add_balance_flags_sheet(workbook, *, user, today: dt.date, scope: str) -> None:
    """进出平衡异常: the flags of last month's balance not cleared yet, with their figures (for
    the joint meeting's pack; the month of the dashboards' card)."""
    month = previous_month(today)
    flags = [f for f in monthly_balance(user=user, month=month).flags if f.clearance is None]
    title = pgettext("sheet", "Open mass-balance flags")
    sheet = SheetWriter(workbook, title, widths=[18, 24, 14, 30, 12, 10, 60], numbered=True)
    sheet.ledger_title(
        _("Open mass-balance flags, %(month)s") % {"month": f"{month:%Y-%m}"},
        scope=scope,
        as_of=today,
    )
    sheet.header(
        [
            _("Site number"),
            _("Site"),
            _("Township"),
            _("Flag"),
            _("Material"),
            _("Month"),
            _("Figures"),
        ]
    )
    for flag in flags:
        sheet.row(
            [
                flag.site.code,
                flag.site.name,
                flag.site.township.name,
                str(flag.kind_label),
                flag.material.name if flag.material else "",
                f"{flag.month:%Y-%m}",
                _flag_figures(flag),
            ]
        )
