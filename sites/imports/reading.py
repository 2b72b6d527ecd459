"""Reading a roster workbook: finding its sheets, refusing what nobody can see, and the
cells of each row as the user saw them (merged cells, formulas, error values are problems)."""

import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from anji_recycling.xlsx import (
    open_upload,
    scan_sheet,
)

from ..columns import (
    operator_sheet_title,
    site_sheet_title,
)
from ..uploads import import_limits, not_xlsx, too_many_rows_message
from .results import Problem

logger = logging.getLogger(__name__)


def normalise_header(text) -> str:
    text = str(text or "").strip().lower().translate(str.maketrans("（）：", "():"))
    return re.sub(r"\s+", "", text).rstrip("*")


def portal_languages():
    codes = [translation.get_language() or settings.LANGUAGE_CODE]
    return codes + [code for code, _name in settings.LANGUAGES if code not in codes]


def in_every_language(function):
    """What `function()` returns in each of the portal's languages: a file made by a user of
    the English interface imports as well as one made in Chinese."""
    values = []
    for code in portal_languages():
        with translation.override(code):
            values.append(function())
    return values


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def is_blank(value) -> bool:
    return cell_text(value) == ""


class CellError(Exception):
    pass


@dataclass
class ReadSheet:
    title: str
    columns: tuple  # columns.Column, in the roster's order
    positions: dict  # column key -> 0-based index in the file
    headers: dict  # column key -> the header as written in the file
    rows: list  # (row number, cell values)
    cell_problems: dict = field(default_factory=dict)  # row -> {column key: message}
    hidden_rows: set = field(default_factory=set)

    def letter(self, key) -> str:
        index = self.positions.get(key)
        return "" if index is None else get_column_letter(index + 1)

    def header(self, key) -> str:
        if key in self.headers:
            return self.headers[key]
        return next((column.header for column in self.columns if column.key == key), "")


def _header_row(scan, names) -> tuple[int, dict, dict]:
    """The header row's number and the positions and texts of the columns it names: row 1 (the
    import template), or row 2 when row 1 names none of them (an exported roster, whose row 1
    is its title and whose first column is 序号, which the import leaves aside)."""
    for number, values in scan.rows[:2]:
        if number > 2:
            break
        positions, headers = {}, {}
        for index, value in enumerate(values):
            key = names.get(normalise_header(value))
            if key and key not in positions:
                positions[key] = index
                headers[key] = cell_text(value)
        if positions:
            return number, positions, headers
    return 1, {}, {}


def read_sheet(worksheet, columns) -> tuple[ReadSheet, list]:
    """The sheet's rows under its header row (row 1, or row 2 under an exported roster's title
    row), skipping blank rows; and the problems of the header row itself (required columns
    missing, columns hidden)."""
    names = {}
    for column in columns:
        for label in column.label, *column.aliases:
            for text in in_every_language(lambda label=label: str(label)):
                names.setdefault(normalise_header(text), column.key)
    scan = scan_sheet(worksheet)  # to the real end, whatever size the file claims
    header_number, positions, headers = _header_row(scan, names)
    sheet = ReadSheet(worksheet.title, columns, positions, headers, [])
    sheet.cell_problems = _cell_problems(scan, positions)
    for number, values in scan.rows:
        if number <= header_number:
            continue
        if number in sheet.cell_problems or any(not is_blank(value) for value in values):
            sheet.rows.append((number, values))
    sheet.hidden_rows = scan.hidden_rows & {number for number, _values in sheet.rows}
    _add_merged_cell_problems(sheet, scan)
    problems = [
        Problem(
            sheet.title,
            header_number,
            "",
            column.header,
            _("The header row (row %(row)s) lacks this column: start from the import template.")
            % {"row": header_number},
        )
        for column in columns
        if column.required and column.key not in positions
    ]
    problems += [
        Problem(
            sheet.title,
            header_number,
            sheet.letter(key),
            sheet.header(key),
            hidden_column_message(),
        )
        for key, index in positions.items()
        if index + 1 in scan.hidden_columns
    ]
    return sheet, problems


# What reading with cached values does not show: each is reported as what it is, on its cell.


def uncalculated_formula_message() -> str:
    return _(
        "The formula has no calculated result: open the file in Excel, save it and upload it again."
    )


def error_value_message(value) -> str:
    return _("The cell holds the error value %(value)s: correct its formula or value.") % {
        "value": value
    }


def merged_cells_message(cells) -> str:
    return _("Merged cells (%(cells)s): unmerge them and fill in each row's own cell.") % {
        "cells": cells
    }


def hidden_row_message() -> str:
    return _(
        "This row is hidden: unhide it (or clear the filter), check it and upload the file again."
    )


def hidden_column_message() -> str:
    return _("This column is hidden: unhide it, check its cells and upload the file again.")


def _cell_problems(scan, positions) -> dict:
    """Formula cells without a calculated result and error values, in the columns read."""
    keys = {index + 1: key for key, index in positions.items()}
    problems = defaultdict(dict)
    for row, column in scan.uncalculated:
        if column in keys and row > 1:
            problems[row][keys[column]] = uncalculated_formula_message()
    for (row, column), value in scan.errors.items():
        if column in keys and row > 1:
            problems[row][keys[column]] = error_value_message(value)
    return problems


def _add_merged_cell_problems(sheet: ReadSheet, scan) -> None:
    """Every cell of a merged range in a column read on a row read: a merged cell holds its
    value in the first row only, and means something different to each reader."""
    keys = {index + 1: key for key, index in sheet.positions.items()}
    rows = {number for number, _values in sheet.rows}
    for reference, min_col, min_row, max_col, max_row in scan.merged:
        columns = [keys[column] for column in range(min_col, max_col + 1) if column in keys]
        if not columns:
            continue
        for row in sorted(rows.intersection(range(min_row, max_row + 1))):
            for key in columns:
                sheet.cell_problems.setdefault(row, {})[key] = merged_cells_message(reference)


def choice_map(choices) -> dict:
    mapping = {}
    for code in portal_languages():
        with translation.override(code):
            for value, label in choices.choices:
                mapping.setdefault(normalise_header(label), value)
    for value, _label in choices.choices:
        mapping.setdefault(normalise_header(value), value)
    return mapping


def choice_labels(choices) -> str:
    return "、".join(str(label) for _value, label in choices.choices)


class ImportRow:
    """One row being checked: reads its cells by column key and records its problems."""

    def __init__(self, sheet: ReadSheet, number: int, cells, problems: list):
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.problems = problems
        self.bad = set()
        self._report_what_reading_hides()

    def _report_what_reading_hides(self):
        """A hidden row, merged cells, formulas without a result: before any other check, so
        that such a cell is not reported as blank."""
        if self.number in self.sheet.hidden_rows:
            self.problem(None, hidden_row_message())
        for key, message in self.sheet.cell_problems.get(self.number, {}).items():
            self.problem(key, message)

    def present(self, key) -> bool:
        return key in self.sheet.positions

    def raw(self, key):
        index = self.sheet.positions.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, key) -> str:
        return cell_text(self.raw(key))

    def problem(self, key, message):
        self.bad.add(key)
        letter = self.sheet.letter(key) if key else ""
        header = self.sheet.header(key) if key else ""
        self.problems.append(Problem(self.sheet.title, self.number, letter, header, str(message)))

    def check_required(self):
        for column in self.sheet.columns:
            if column.required and self.ok(column.key) and not self.text(column.key):
                self.problem(column.key, _("Fill in this cell."))

    def ok(self, key) -> bool:
        return self.present(key) and key not in self.bad

    def parse(self, key, parser, values, name=None):
        """values[name] = parser(cell) when the column is there and the cell is good."""
        if not self.ok(key):
            return
        try:
            values[name or key] = parser(self.raw(key))
        except CellError as error:
            self.problem(key, error.args[0])
        except ValidationError as error:
            self.problem(key, " ".join(error.messages))

    def model_errors(self, error: ValidationError, *, field_columns, constraint_messages):
        """The model's own rules, each on its column; a column already reported is left out."""
        for name, messages in error.message_dict.items():
            if name == NON_FIELD_ERRORS:
                for message in messages:
                    key = constraint_messages.get(message)
                    if key not in self.bad:
                        self.problem(key, message)
                continue
            key = field_columns.get(name, name)
            if key not in self.bad:
                self.problem(key, " ".join(messages))


def decimal_parser(model, name):
    model_field = model._meta.get_field(name)

    def parse(value):
        if is_blank(value):
            return None
        if isinstance(value, float):
            value = str(value)
        try:
            return model_field.to_python(value if isinstance(value, Decimal) else cell_text(value))
        except ValidationError as error:
            raise CellError(
                _("%(value)s is not a number.") % {"value": cell_text(value)}
            ) from error

    return parse


def parse_date(value):
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 1 < value < 100000:
        return from_excel(value).date()  # an Excel date written as a plain number
    text = re.sub(r"[/.年月]", "-", cell_text(value)).rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError as error:
        raise CellError(
            _("%(value)s is not a date: write it as 2026-03-01.") % {"value": cell_text(value)}
        ) from error


# The dry run ------------------------------------------------------------------------------------


def open_workbook(file, filename):
    try:
        return open_upload(file)
    except Exception as error:  # openpyxl raises many kinds for a file that is not .xlsx
        raise not_xlsx(filename) from error


def find_sheets(workbook):
    wanted = {
        "operators": {normalise_header(title) for title in in_every_language(operator_sheet_title)},
        "sites": {normalise_header(title) for title in in_every_language(site_sheet_title)},
    }
    found = {}
    for worksheet in workbook.worksheets:
        for key, titles in wanted.items():
            if normalise_header(worksheet.title) in titles and key not in found:
                found[key] = worksheet
    return found


def refuse_hidden_sheets(workbook, roster_sheets) -> None:
    """Users must never import rows they cannot see: a hidden roster sheet, or any other
    hidden sheet, refuses the whole workbook, naming each sheet."""
    rosters = {worksheet.title for worksheet in roster_sheets.values()}
    messages = [
        _hidden_sheet_message(sheet.title, sheet.sheet_state, roster=sheet.title in rosters)
        for sheet in [*workbook.worksheets, *workbook.chartsheets]
        if sheet.sheet_state != "visible"
    ]
    if messages:
        raise ValidationError(messages, code="hidden_sheet")


def _hidden_sheet_message(title, state, *, roster) -> str:
    very = state == "veryHidden"
    if roster and very:
        message = _(
            "The sheet %(sheet)s is very hidden (Excel cannot unhide it), and rows nobody sees "
            "are not imported: start again from the import template or a roster downloaded "
            "from the portal."
        )
    elif roster:
        message = _(
            "The sheet %(sheet)s is hidden, and rows nobody sees are not imported: unhide it "
            "(right-click a sheet tab, Unhide), check it and upload the file again."
        )
    elif very:
        message = _(
            "The workbook has a very hidden sheet %(sheet)s (Excel cannot unhide it): copy "
            "the sheets to import into a new workbook (right-click the sheet tab, Move or "
            "Copy, new book) and upload that."
        )
    else:
        message = _(
            "The workbook has a hidden sheet %(sheet)s: unhide it and check it, or delete it, then "
            "upload the file again."
        )
    return message % {"sheet": title}


def refuse_too_many_rows(sheets) -> None:
    """From the size each sheet states (cheap: no row is read); the rows read are counted
    again after reading, since a file may state no size or a wrong one."""
    stated = sum(max((worksheet.max_row or 1) - 1, 0) for worksheet in sheets.values())
    if stated > import_limits()["rows"]:
        raise ValidationError(too_many_rows_message(stated), code="too_many_rows")
