"""The results of a period as .xlsx: the ranking, the indicator details and the deductions
with their reasons, each holding only what the user may see (a fixed number of queries)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anji_recycling.xlsx import SheetWriter, new_workbook
from sites.exports import user_scope

from . import selectors
from .models import IndicatorScore


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_filename(*, period) -> str:
    return f"{period.scheme.name}_{period}_考核结果.xlsx".replace(" ", "")


def build_results_workbook(*, period, user):
    workbook = new_workbook()
    _ranking_sheet(workbook, period=period, user=user)
    _indicator_sheet(workbook, period=period, user=user)
    _deduction_sheet(workbook, period=period, user=user)
    return workbook


def _title(sheet, period, user) -> None:
    """The title row: the scheme, the period and its state, whose results, and today."""
    sheet.ledger_title(
        f"{period.scheme} · {period} · {period.get_status_display()}", scope=user_scope(user)
    )


def _ranking_sheet(workbook, *, period, user):
    sheet = SheetWriter(
        workbook, _("Ranking"), widths=[8, 16, 12, 10, 14, 12], freeze="B3", numbered=True
    )
    _title(sheet, period, user)
    sheet.header(
        [
            _("Rank"),
            _("Township"),
            _("Total score"),
            _("Grade"),
            _("Previous period"),
            pgettext("compared with the previous period", "Change"),
        ]
    )
    for row in selectors.ranking(period=period, user=user):
        sheet.row(
            [
                row.result.rank,
                row.result.township.name,
                float(row.result.total),
                row.result.grade,
                float(row.previous.total) if row.previous else None,
                float(row.change) if row.change is not None else None,
            ]
        )


def _indicator_sheet(workbook, *, period, user):
    sheet = SheetWriter(
        workbook,
        _("Indicator details"),
        widths=[16, 28, 12, 10, 10, 10, 12, 40],
        freeze="B3",
        numbered=True,
    )
    _title(sheet, period, user)
    sheet.header(
        [
            _("Township"),
            _("Indicator"),
            _("Measured value"),
            _("Counted"),
            _("Out of"),
            _("Points"),
            _("Weighted points"),
            _("Note"),
        ]
    )
    scores = (
        IndicatorScore.objects.visible_to(user)
        .filter(period=period)
        .select_related("township", "indicator")
        .order_by("township__code", "indicator__sort_order", "indicator__pk")
    )
    for score in scores:
        sheet.row(
            [
                score.township.name,
                score.indicator.name,
                float(score.value) if score.value is not None else None,
                score.numerator,
                score.denominator,
                float(score.raw_points),
                float(score.weighted_points),
                score.note,
            ]
        )


def _deduction_sheet(workbook, *, period, user):
    sheet = SheetWriter(
        workbook,
        _("Deductions"),
        widths=[16, 22, 10, 12, 40, 14, 18, 14, 30, 30],
        freeze="B3",
        numbered=True,
    )
    _title(sheet, period, user)
    sheet.header(
        [
            _("Township"),
            _("Indicator"),
            _("Points deducted"),
            _("State"),
            _("Reason"),
            _("Entered by"),
            _("Entered at"),
            _("Objection"),
            _("Reason for the objection"),
            _("Decision"),
        ]
    )
    for deduction in selectors.deductions_for_list(user=user).filter(period=period):
        objection = next(iter(deduction.objections.all()), None)
        sheet.row(
            [
                deduction.township.name,
                deduction.indicator.name,
                float(deduction.points),
                deduction.get_state_display(),
                deduction.reason,
                str(deduction.entered_by),
                _local(deduction.created_at),
                objection.get_state_display() if objection else "",
                objection.reason if objection else "",
                objection.decision_comment if objection else "",
            ]
        )
