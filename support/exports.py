"""再生资源回收扶持情况汇总: the county summary by year and township, as an .xlsx."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anji_recycling.xlsx import SheetWriter, new_workbook
from sites.exports import COUNTY_NAME


def summary_filename(*, as_of: dt.date, year: int | None) -> str:
    return f"扶持情况汇总_{year or '全部年度'}_{as_of:%Y%m%d}.xlsx"


def approved_area_cell(row):
    """The approved m², or 待定 while the row's cases are all under review (never a 0 that
    reads as refused), or empty when the row has no land case."""
    if row["approved_area"] is not None:
        return row["approved_area"]
    return pgettext("land decision", "pending") if row["land_pending"] else None


def build_summary_workbook(*, rows, year: int | None, as_of: dt.date, scope=COUNTY_NAME):
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("Support summary"),
        widths=[8, 16, 10, 16, 10, 16, 16, 16, 10, 10, 10, 14],
        freeze="B3",
        numbered=True,
    )
    sheet.ledger_title(
        # Translators: subject of the support summary's title row: 2026年扶持情况汇总
        _("%(year)s support summary") % {"year": year} if year else _("Support summary"),
        scope=scope,
        as_of=as_of,
    )
    sheet.header(
        [
            _("Year"),
            _("Township"),
            _("Subsidies"),
            _("Subsidies (yuan)"),
            _("Awards"),
            _("Awards (yuan)"),
            _("Total (yuan)"),
            _("Of which to network projects (yuan)"),
            _("Land-support cases decided"),
            _("Land-support cases under review"),
            _("Approved"),
            _("Approved area (m²)"),
        ]
    )
    for row in rows:
        sheet.row(
            [
                row["year"],
                row["township"].name,
                row["subsidies"],
                row["subsidy_amount"],
                row["awards"],
                row["award_amount"],
                row["total_amount"],
                row["project_amount"],
                row["land_cases"],
                row["land_pending"],
                row["land_approved"],
                approved_area_cell(row),
            ]
        )
    return workbook
