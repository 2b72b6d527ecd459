"""The import template: both roster sheets with drop-down lists and an instructions sheet."""

import logging
from itertools import zip_longest

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from agencies.models import Township, Village
from anji_recycling.coordinates import CoordinateSystem
from anji_recycling.xlsx import (
    SheetWriter,
    new_workbook,
)

from ..choices import OperatorKind, SiteStatus, SiteTier, VenueType
from ..columns import (
    OPERATOR_COLUMNS,
    SITE_COLUMNS,
    operator_sheet_title,
    site_sheet_title,
)
from ..models import Material
from .marking import MARK_AUTHOR

logger = logging.getLogger(__name__)

TEMPLATE_FILENAME = "站点及经营主体导入模板.xlsx"
TEMPLATE_ROWS = 5000  # rows the template's drop-down lists cover


def instructions_sheet_title() -> str:
    # Translators: sheet name, 填写说明
    return pgettext("sheet", "Instructions")


def _instructions() -> list[str]:
    names = {"operators": operator_sheet_title(), "sites": site_sheet_title()}
    return [
        _(
            "Fill in the %(operators)s sheet and the %(sites)s sheet. Keep the first row (the "
            "column names) as it is; the columns whose name carries a comment are required."
        )
        % names,
        _(
            "Operators are found by their unified social credit code: a code already in the "
            "registry updates that operator, a new code registers a new one."
        ),
        _(
            "Leave the site number blank for a new site: the portal numbers it when it is "
            "saved. A row with a site number updates that site; a row without one but with the "
            "name and township of an existing site updates that site too."
        ),
        _(
            "A site names its operator by the operator's credit code (in the registry or on "
            "the %(operators)s sheet), and the site it delivers to by that site's number. A "
            "station registered in the same file has no number yet: import it first."
        )
        % names,
        _(
            "Village or community: the official name (长乐社区居委会), the short "
            "name (长乐社区) or the 12-digit division code. Latitude and longitude: "
            "WGS-84 decimal degrees inside Anji County (latitude 30.2–30.9, longitude "
            "119.2–119.9). Floor area in square metres, daily capacity in tonnes. Dates as "
            "2026-03-01. Materials: names separated by 、. One site, two uses: 是 or 否."
        ),
        _(
            "Coordinate system: leave it blank (or WGS-84) for GPS and 天地图 positions; choose "
            "GCJ-02 for positions copied from 高德 or 腾讯 maps, BD-09 for 百度 maps. The "
            "portal converts them to WGS-84 on import."
        ),
        _(
            "Nothing is written until every row is correct: the check lists each problem with "
            "its row and column, and gives the workbook back with the wrong cells marked red."
        ),
    ]


def template_workbook():
    """The import template: the two roster sheets with their headers (required ones commented),
    drop-down lists, and an instructions sheet listing every allowed value."""
    workbook = new_workbook()
    sheets = {}
    for key, title, columns in (
        ("operators", operator_sheet_title(), OPERATOR_COLUMNS),
        ("sites", site_sheet_title(), SITE_COLUMNS),
    ):
        sheet = SheetWriter(workbook, title, widths=[column.width for column in columns])
        sheet.header(
            [column.header for column in columns],
            comments=[
                Comment(_("Required."), MARK_AUTHOR, width=160, height=40)
                if column.required
                else None
                for column in columns
            ],
        )
        sheets[key] = (sheet, columns)

    villages = list(Village.objects.filter(is_active=True).select_related("township"))
    lists = [
        ("sites", "tier", [str(label) for _value, label in SiteTier.choices]),
        ("sites", "status", [str(label) for _value, label in SiteStatus.choices]),
        ("sites", "venue_type", [str(label) for _value, label in VenueType.choices]),
        (
            "sites",
            "coordinate_system",
            [str(label) for _value, label in CoordinateSystem.choices],
        ),
        ("operators", "kind", [str(label) for _value, label in OperatorKind.choices]),
        ("sites", "materials", [material.name for material in Material.objects.all()]),
        ("sites", "township", [township.name for township in Township.objects.all()]),
        ("sites", "village", [str(village) for village in villages]),
        (None, None, [village.township.name for village in villages]),
        ("sites", "dual_use", [_("Yes"), _("No")]),
    ]
    instructions = _instructions()
    guide = SheetWriter(
        workbook, instructions_sheet_title(), widths=[120] + [22] * (len(lists) - 1), freeze=None
    )
    guide.title(instructions_sheet_title())
    for number, text in enumerate(instructions, start=1):
        guide.row([f"{number}. {text}"], bordered=False)
    guide.blank()
    header_row = len(instructions) + 3  # after the title, the instructions and a blank row
    headers = []
    for sheet_key, column_key, _values in lists:
        if column_key is None:
            headers.append(_("Township of the village or community"))
        else:
            headers.append(next(c.header for c in sheets[sheet_key][1] if c.key == column_key))
    guide.header(headers)
    for values in zip_longest(*(values for _sheet, _column, values in lists)):
        guide.row(values, bordered=False)

    for index, (sheet_key, column_key, values) in enumerate(lists, start=1):
        if column_key is None or column_key == "materials":
            continue  # several materials go in one cell: no drop-down
        letter = get_column_letter(index)
        sheet, columns = sheets[sheet_key]
        target = get_column_letter(next(i for i, c in enumerate(columns, 1) if c.key == column_key))
        first, last = header_row + 1, header_row + len(values)
        validation = DataValidation(
            type="list",
            formula1=f"'{guide.sheet.title}'!${letter}${first}:${letter}${last}",
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        sheet.sheet.data_validations.append(validation)
    return workbook
