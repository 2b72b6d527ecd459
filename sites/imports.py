"""Importing the rosters from Excel: every row is checked without writing (the dry run), then
everything is written in one transaction through the registry's services, or nothing is.

A workbook has a 经营主体 sheet and a 站点 sheet with the rosters' columns (exports.py): a
roster downloaded from the portal, corrected and uploaded again updates the registry. Operators
are found by 统一社会信用代码; sites by 站点编号, or, left blank, by 名称 and 乡镇（街道）
(a new site when none matches), so importing the same file twice changes nothing the second
time.

Only what the user can see is imported. A workbook with a hidden or very hidden sheet (a roster
sheet or any other) is refused, naming each. Hidden rows that hold data (a filter's too) and
hidden columns the import reads are problems on their row or column, reported with all the
others rather than refusing the file, so that the marked workbook shows them (unhidden). Merged
cells, formulas without a calculated result and error values are problems on their cell, never
"fill in this cell". A formula with a calculated result imports that result: the value the user
saw when the file was saved.
"""

import datetime as dt
import logging
import re
import uuid
import zipfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from agencies.models import Township, Village
from anji_recycling import leases
from anji_recycling.leases import LeaseLost
from anji_recycling.queue import enqueue_on_commit
from anji_recycling.validators import (
    ANJI_LATITUDE,
    normalise_phone,
    validate_credit_code,
    validate_phone,
    validate_position,
)
from anji_recycling.xlsx import (
    SheetWriter,
    new_workbook,
    open_to_hand_back,
    open_upload,
    scan_sheet,
)

from . import selectors
from .choices import UNREGISTERED_STATUSES, OperatorKind, SiteStatus, SiteTier, VenueType
from .exports import (
    OPERATOR_COLUMNS,
    SITE_COLUMNS,
    JobProgress,
    operator_sheet_title,
    site_sheet_title,
)
from .jobs import (
    APPLIED,
    CHECKED,
    QUEUED,
    REFUSED,
    UPLOADED,
    Importer,
    claim_job,
    finish_job,
    heartbeat,
    importer_for,
    register_importer,
)
from .models import BackgroundJob, Material, Operator, Site
from .services import (
    allowed_status_changes,
    change_site_status,
    register_operators_in_bulk,
    register_sites_in_bulk,
    save_operator,
    update_site,
)

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
MATERIAL_SEPARATORS = re.compile(r"[、,，;；/\s]+")
MARK_FILL = PatternFill("solid", fgColor="FFC7CE")
MARK_AUTHOR = "安吉县再生资源回收长效管理平台"
IMPORT_PROGRESS_EVERY = 100  # rows; writing runs at some 70 rows a second

# Model fields whose column has another key; constraints whose message belongs to a column.
SITE_FIELD_COLUMNS = {"operator": "operator_credit_code", "parent": "parent_code"}
# Site's check constraints that Site.clean() also enforces (a test keeps this list complete).
SITE_CONSTRAINTS_IN_CLEAN = frozenset(
    {
        "site_venue_type_only_for_collection_points",
        "site_sorting_centre_has_no_parent",
        "site_position_in_anji",
    }
)
# Operator's check constraints that Operator.clean() also enforces (a test keeps it complete).
OPERATOR_CONSTRAINTS_IN_CLEAN = frozenset(
    {"operator_licence_ends_after_issue", "operator_contract_ends_after_start"}
)
CONSTRAINT_COLUMNS = {
    "site_venue_type_only_for_collection_points": "venue_type",
    "site_sorting_centre_has_no_parent": "parent_code",
    "site_position_in_anji": "latitude",
    "operator_licence_ends_after_issue": "licence_valid_until",
}


class Problem(NamedTuple):
    """One thing wrong in the workbook: where (sheet, row, column letter and header) and what."""

    sheet: str
    row: int
    column: str  # the letter; "" when the problem is the whole row's or the column is missing
    header: str
    message: str

    @property
    def cell_text(self) -> str:
        """The problem without its row, for the row's 错误说明 cell."""
        if self.column:
            return _("Column “%(header)s” (column %(column)s): %(message)s") % self._asdict()
        if self.header:
            return _("Column “%(header)s”: %(message)s") % self._asdict()
        return self.message

    def __str__(self):
        if self.column:
            return (
                _("Row %(row)s, column “%(header)s” (column %(column)s): %(message)s")
                % self._asdict()
            )
        if self.header:
            return _("Row %(row)s, column “%(header)s”: %(message)s") % self._asdict()
        return _("Row %(row)s: %(message)s") % self._asdict()


@dataclass
class RowPlan:
    """What importing one valid row will do."""

    sheet: str
    row: int
    instance: object
    action: str  # CREATED, UPDATED or UNCHANGED
    data_changed: bool = False
    materials: list | None = None  # None: leave the site's materials as they are
    status: str = ""  # the status the file gives a site
    stored_status: str = ""  # the site's status before the import
    operator: Operator | None = None


@dataclass
class ImportResult:
    filename: str
    operators: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> dict:
        return import_summary(
            {"operators": self.operators, "sites": self.sites}, self.problems, rows=self.rows
        )

    def as_job_result(self) -> dict:
        return job_result(self)


def import_summary(plans_by_sheet: dict, problems, *, rows: int) -> dict:
    """What a check found: per sheet the rows to create, update and leave; rows read and rows
    with problems (any import's result: the roster's, the market's)."""

    def counts(plans):
        counter = Counter(plan.action for plan in plans)
        return {action: counter[action] for action in (CREATED, UPDATED, UNCHANGED)}

    return {
        **{sheet: counts(plans) for sheet, plans in plans_by_sheet.items()},
        "rows": rows,
        "rows_with_problems": len({(p.sheet, p.row) for p in problems}),
    }


def job_result(result) -> dict:
    """A checked import as its job keeps it (result needs filename, summary and problems)."""
    return {
        "filename": result.filename,
        "summary": result.summary,
        "problems": [problem._asdict() for problem in result.problems],
        "language": translation.get_language(),
    }


# Reading cells ---------------------------------------------------------------------------------


def _normalise(text) -> str:
    text = str(text or "").strip().lower().translate(str.maketrans("（）：", "():"))
    return re.sub(r"\s+", "", text).rstrip("*")


def _languages():
    codes = [translation.get_language() or settings.LANGUAGE_CODE]
    return codes + [code for code, _name in settings.LANGUAGES if code not in codes]


def _in_every_language(function):
    """What `function()` returns in each of the portal's languages: a file made by a user of
    the English interface imports as well as one made in Chinese."""
    values = []
    for code in _languages():
        with translation.override(code):
            values.append(function())
    return values


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _is_blank(value) -> bool:
    return _text(value) == ""


class _CellError(Exception):
    pass


@dataclass
class _Sheet:
    title: str
    columns: tuple  # exports.Column, in the roster's order
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


def _read_sheet(worksheet, columns) -> tuple[_Sheet, list]:
    """The sheet's rows under its header row (row 1), skipping blank rows; and the problems of
    the header row itself (required columns missing, columns hidden)."""
    names = {}
    for column in columns:
        for label in _in_every_language(lambda column=column: column.header):
            names.setdefault(_normalise(label), column.key)
    scan = scan_sheet(worksheet)  # to the real end, whatever size the file claims
    header_row = scan.rows[0][1] if scan.rows and scan.rows[0][0] == 1 else ()
    positions, headers = {}, {}
    for index, value in enumerate(header_row):
        key = names.get(_normalise(value))
        if key and key not in positions:
            positions[key] = index
            headers[key] = _text(value)
    sheet = _Sheet(worksheet.title, columns, positions, headers, [])
    sheet.cell_problems = _cell_problems(scan, positions)
    for number, values in scan.rows:
        if number == 1:
            continue
        if number in sheet.cell_problems or any(not _is_blank(value) for value in values):
            sheet.rows.append((number, values))
    sheet.hidden_rows = scan.hidden_rows & {number for number, _values in sheet.rows}
    _add_merged_cell_problems(sheet, scan)
    problems = [
        Problem(
            sheet.title,
            1,
            "",
            column.header,
            _("The header row (row 1) lacks this column: start from the import template."),
        )
        for column in columns
        if column.required and column.key not in positions
    ]
    problems += [
        Problem(sheet.title, 1, sheet.letter(key), sheet.header(key), hidden_column_message())
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


def _add_merged_cell_problems(sheet: _Sheet, scan) -> None:
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


def _choice_map(choices) -> dict:
    mapping = {}
    for code in _languages():
        with translation.override(code):
            for value, label in choices.choices:
                mapping.setdefault(_normalise(label), value)
    for value, _label in choices.choices:
        mapping.setdefault(_normalise(value), value)
    return mapping


def _choice_labels(choices) -> str:
    return "、".join(str(label) for _value, label in choices.choices)


class _Row:
    """One row being checked: reads its cells by column key and records its problems."""

    def __init__(self, sheet: _Sheet, number: int, cells, problems: list):
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
        return _text(self.raw(key))

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
        except _CellError as error:
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


def _decimal_parser(model, name):
    model_field = model._meta.get_field(name)

    def parse(value):
        if _is_blank(value):
            return None
        if isinstance(value, float):
            value = str(value)
        try:
            return model_field.to_python(value if isinstance(value, Decimal) else _text(value))
        except ValidationError as error:
            raise _CellError(_("%(value)s is not a number.") % {"value": _text(value)}) from error

    return parse


def _date(value):
    if _is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 1 < value < 100000:
        return from_excel(value).date()  # an Excel date written as a plain number
    text = re.sub(r"[/.年月]", "-", _text(value)).rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError as error:
        raise _CellError(
            _("%(value)s is not a date: write it as 2026-03-01.") % {"value": _text(value)}
        ) from error


# The dry run ------------------------------------------------------------------------------------


class _Checker:
    """Checks a workbook's rows against the registry as `user` may change it, writing nothing."""

    def __init__(self, *, user, progress=None):
        self.user = user
        self.problems = []
        self.progress = progress  # called with the number of rows checked so far
        self.rows_checked = 0
        self.townships = {}
        for township in Township.objects.all():
            self.townships[township.name] = township
            self.townships[township.code] = township
        self.villages_by_code = {}
        self.villages_by_name = defaultdict(list)
        for village in Village.objects.select_related("township"):
            self.villages_by_code[village.code] = village
            for name in {village.name, village.short_name} - {""}:
                self.villages_by_name[name].append(village)
        self.materials = {}
        materials = list(Material.objects.all())
        for material in materials:
            self.materials[_normalise(material.name)] = material
            self.materials[_normalise(material.code)] = material
        self.material_names = "、".join(material.name for material in materials)
        self.editable_townships = set(
            selectors.townships_editable_by(user=user).values_list("pk", flat=True)
        )
        self.tiers = _choice_map(SiteTier)
        self.statuses = _choice_map(SiteStatus)
        self.venue_types = _choice_map(VenueType)
        self.kinds = _choice_map(OperatorKind)
        self.yes_no = {_normalise(v): True for v in ["是", "yes", "y", "true", "1", "√"]}
        self.yes_no |= {_normalise(v): False for v in ["否", "no", "n", "false", "0", "×"]}
        for code in _languages():
            with translation.override(code):
                self.yes_no[_normalise(_("Yes"))] = True
                self.yes_no[_normalise(_("No"))] = False
        self.operators_by_code = {}  # credit code -> the operator a site row refers to
        self.operator_sheet_title = ""
        self.constraint_messages = {
            str(constraint.get_violation_error_message()): CONSTRAINT_COLUMNS.get(constraint.name)
            for model in (Site, Operator)
            for constraint in model._meta.constraints
        }

    # Cell parsers that need the reference data.

    def _choice(self, mapping, choices):
        def parse(value):
            if _is_blank(value):
                return ""
            try:
                return mapping[_normalise(_text(value))]
            except KeyError:
                raise _CellError(
                    _("%(value)s is not one of: %(allowed)s.")
                    % {"value": _text(value), "allowed": _choice_labels(choices)}
                ) from None

        return parse

    def _township(self, value):
        township = self.townships.get(_text(value))
        if township is None:
            raise _CellError(_("No township named %(value)s in Anji County.") % {"value": value})
        return township

    def _village(self, value, township):
        text = _text(value)
        if not text:
            return None
        found = self.villages_by_code.get(text)
        candidates = [found] if found else self.villages_by_name.get(text, [])
        if not candidates:
            raise _CellError(
                _("No village or community named %(value)s in Anji County.") % {"value": text}
            )
        in_township = [village for village in candidates if village.township_id == township.pk]
        if not in_township:
            raise _CellError(
                _("%(village)s is in %(actual)s, not in %(township)s.")
                % {
                    "village": text,
                    "actual": candidates[0].township.name,
                    "township": township.name,
                }
            )
        village = in_township[0]
        if not village.is_active:
            raise _CellError(
                _("%(village)s is no longer a current village or community.") % {"village": text}
            )
        return village

    def _yes_no(self, value):
        if _is_blank(value):
            return False
        try:
            return self.yes_no[_normalise(_text(value))]
        except KeyError:
            raise _CellError(
                _("%(value)s is neither “%(yes)s” nor “%(no)s”.")
                % {"value": _text(value), "yes": _("Yes"), "no": _("No")}
            ) from None

    def _materials(self, value):
        names = [name for name in MATERIAL_SEPARATORS.split(_text(value)) if name]
        unknown = [name for name in names if _normalise(name) not in self.materials]
        if unknown:
            raise _CellError(
                _("Unknown materials: %(names)s. Use: %(allowed)s.")
                % {"names": "、".join(unknown), "allowed": self.material_names}
            )
        return list(
            {
                self.materials[_normalise(name)].pk: self.materials[_normalise(name)]
                for name in names
            }.values()
        )

    @staticmethod
    def _credit_code(value):
        code = _text(value).upper()
        if code:
            validate_credit_code(code)
        return code

    @staticmethod
    def _phone(value):
        phone = normalise_phone(_text(value))
        if phone:
            validate_phone(phone)
        return phone

    def _in_area(self, row, key, township):
        if township.pk not in self.editable_townships:
            row.problem(
                key,
                _("%(township)s is outside your area: you may import only into your township.")
                % {"township": township.name},
            )

    # 经营主体 ---------------------------------------------------------------------------------

    def _count_row(self) -> None:
        self.rows_checked += 1
        if self.progress is not None:
            self.progress(self.rows_checked)

    def check_operators(self, sheet: _Sheet) -> list:
        self.operator_sheet_title = sheet.title
        codes = {_text(cells_value).upper() for cells_value in self._column(sheet, "credit_code")}
        stored = {
            operator.credit_code: operator
            for operator in Operator.objects.filter(credit_code__in=codes)
        }
        editable = set(
            Operator.objects.editable_by(self.user)
            .filter(credit_code__in=codes)
            .values_list("pk", flat=True)
        )
        plans, seen = [], {}
        for number, cells in sheet.rows:
            self._count_row()
            row = _Row(sheet, number, cells, self.problems)
            row.check_required()
            values = {}
            for key in ("name", "legal_representative", "address", "business_scope"):
                row.parse(key, _text, values)
            for key in ("filing_number", "note"):
                row.parse(key, _text, values)
            row.parse("kind", self._choice(self.kinds, OperatorKind), values)
            row.parse("credit_code", self._credit_code, values)
            row.parse("contact_phone", self._phone, values)
            row.parse("township", self._township, values)
            for key in ("licence_issued_on", "licence_valid_until", "filed_on"):
                row.parse(key, _date, values)

            code = values.get("credit_code", "")
            operator = stored.get(code)
            if code in seen:
                row.problem(
                    "credit_code",
                    _("The credit code %(code)s appears again: it is already on row %(row)s.")
                    % {"code": code, "row": seen[code]},
                )
            elif code:
                seen[code] = number
            if operator is not None and operator.pk not in editable:
                row.problem(
                    "credit_code",
                    _(
                        "The operator %(code)s is registered outside your area: you may not "
                        "change it."
                    )
                    % {"code": code},
                )
            if "township" in values:
                self._in_area(row, "township", values["township"])

            instance = operator or Operator()
            changed = _assign(instance, values)
            if code:
                self.operators_by_code[code] = instance
            exclude = {"township", *row.bad}
            try:
                # Uniqueness is the check of the credit codes above; the constraints are rules
                # of clean() (OPERATOR_CONSTRAINTS_IN_CLEAN): no query a row.
                instance.full_clean(
                    exclude=exclude, validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                row.model_errors(
                    error, field_columns={}, constraint_messages=self.constraint_messages
                )
            if not row.bad:
                action = CREATED if operator is None else (UPDATED if changed else UNCHANGED)
                plans.append(RowPlan(sheet.title, number, instance, action, data_changed=changed))
        return plans

    @staticmethod
    def _column(sheet, key):
        index = sheet.positions.get(key)
        if index is None:
            return []
        return [cells[index] for _number, cells in sheet.rows if index < len(cells)]

    # 站点 -----------------------------------------------------------------------------------

    def check_sites(self, sheet: _Sheet) -> list:
        codes = {_text(value) for value in self._column(sheet, "code")} - {""}
        names = {_text(value) for value in self._column(sheet, "name")} - {""}
        stored = {
            site.code: site
            for site in Site.objects.filter(code__in=codes)
            .select_related("township", "village", "parent")
            .prefetch_related("materials")
        }
        by_name = defaultdict(list)
        for site in (
            Site.objects.filter(name__in=names)
            .select_related("township", "village", "parent")
            .prefetch_related("materials")
        ):
            by_name[(site.township_id, site.name)].append(site)
        editable = set(
            Site.objects.editable_by(self.user)
            .filter(Q(code__in=codes) | Q(name__in=names))
            .values_list("pk", flat=True)
        )
        parent_codes = {_text(value) for value in self._column(sheet, "parent_code")} - {""}
        parents = {
            site.code: site
            for site in (
                Site.objects.visible_to(self.user)
                | Site.objects.filter(tier=SiteTier.SORTING_CENTRE)
            ).filter(code__in=parent_codes)
        }
        referenced = {_text(v).upper() for v in self._column(sheet, "operator_credit_code")}
        for operator in Operator.objects.visible_to(self.user).filter(
            credit_code__in=referenced - set(self.operators_by_code)
        ):
            self.operators_by_code[operator.credit_code] = operator

        plans, seen = [], {}
        for number, cells in sheet.rows:
            self._count_row()
            row = _Row(sheet, number, cells, self.problems)
            plan = self._check_site_row(row, stored, by_name, editable, parents, seen)
            if plan is not None and not row.bad:
                plans.append(plan)
        return plans

    def _check_site_row(self, row, stored, by_name, editable, parents, seen):
        row.check_required()
        values = {}
        for key in ("name", "address", "contact_name", "note"):
            row.parse(key, _text, values)
        row.parse("tier", self._choice(self.tiers, SiteTier), values)
        status = {}
        row.parse("status", self._choice(self.statuses, SiteStatus), status)
        row.parse("venue_type", self._choice(self.venue_types, VenueType), values)
        row.parse("township", self._township, values)
        township = values.get("township")
        if row.present("village") and township is not None:
            row.parse("village", lambda value: self._village(value, township), values)
        for key in ("latitude", "longitude", "floor_area", "daily_capacity"):
            row.parse(key, _decimal_parser(Site, key), values)
        self._check_position(row, values)
        row.parse("materials", self._materials, values)
        row.parse("dual_use", self._yes_no, values)
        row.parse("contact_phone", self._phone, values)
        self._check_operator_reference(row, values)
        self._check_parent_reference(row, values, parents)

        code = row.text("code")
        site = None
        if code:
            site = stored.get(code)
            if site is None:
                row.problem(
                    "code",
                    _(
                        "No site is numbered %(code)s: leave the number blank to register a "
                        "new site."
                    )
                    % {"code": code},
                )
        elif township is not None and values.get("name"):
            matches = by_name.get((township.pk, values["name"]), [])
            if len(matches) > 1:
                row.problem(
                    "name",
                    _(
                        "%(count)s sites in %(township)s are named %(name)s: give the site "
                        "number of the one to change."
                    )
                    % {"count": len(matches), "township": township.name, "name": values["name"]},
                )
            elif matches:
                site = matches[0]
        self._check_duplicate(row, site, code, township, values, seen)
        if site is not None and site.pk not in editable:
            row.problem(
                "code" if code else "name",
                _("The site %(code)s is outside your area: you may not change it.")
                % {"code": site.code},
            )
        if township is not None:
            self._in_area(row, "township", township)
        target_status = status.get("status", "")
        if site is not None and target_status and target_status != site.status:
            allowed = allowed_status_changes(site)
            if target_status not in allowed:
                row.problem(
                    "status",
                    _("A site that is %(from)s cannot become %(to)s; it may become: %(allowed)s.")
                    % {
                        "from": SiteStatus(site.status).label,
                        "to": SiteStatus(target_status).label,
                        "allowed": "、".join(str(SiteStatus(s).label) for s in allowed) or "—",
                    },
                )

        materials = values.pop("materials", None)
        instance = site or Site()
        stored_status = site.status if site else ""
        changed = _assign(instance, values)
        if materials is not None and site is not None:
            if {m.pk for m in materials} == {m.pk for m in site.materials.all()}:
                materials = None
            else:
                changed = True
        if target_status:
            instance.status = target_status
        self._model_check(row, instance)
        if site is None:
            action = CREATED
        elif changed or (target_status and target_status != stored_status):
            action = UPDATED
        else:
            action = UNCHANGED
        return RowPlan(
            row.sheet.title,
            row.number,
            instance,
            action,
            data_changed=changed,
            materials=materials,
            status=instance.status,
            stored_status=stored_status,
            operator=values.get("operator"),
        )

    def _check_position(self, row, values):
        if not (row.ok("latitude") and row.ok("longitude")):
            return
        latitude, longitude = values.get("latitude"), values.get("longitude")
        try:
            validate_position(latitude, longitude)
        except ValidationError as error:
            if latitude is None:
                key = "latitude"
            elif longitude is None:
                key = "longitude"
            else:
                inside = ANJI_LATITUDE[0] <= latitude <= ANJI_LATITUDE[1]
                key = "longitude" if inside else "latitude"
            row.problem(key, " ".join(error.messages))

    def _check_operator_reference(self, row, values):
        if not row.ok("operator_credit_code"):
            return
        code = _text(row.raw("operator_credit_code")).upper()
        if not code:
            values["operator"] = None
            if row.text("operator_name"):
                row.problem(
                    "operator_credit_code",
                    _("Give the operator's credit code: the name alone does not identify it."),
                )
            return
        row.parse("operator_credit_code", self._credit_code, {})
        if not row.ok("operator_credit_code"):
            return
        operator = self.operators_by_code.get(code)
        if operator is None:
            row.problem(
                "operator_credit_code",
                _(
                    "No operator with the credit code %(code)s in the registry or on the "
                    "%(sheet)s sheet."
                )
                % {"code": code, "sheet": self.operator_sheet_title or operator_sheet_title()},
            )
            return
        values["operator"] = operator

    def _check_parent_reference(self, row, values, parents):
        if not row.present("parent_code"):
            return
        code = row.text("parent_code")
        if not code:
            values["parent"] = None
            return
        parent = parents.get(code)
        if parent is None:
            row.problem(
                "parent_code",
                _(
                    "No station or sorting centre is numbered %(code)s. A station registered "
                    "in this same file gets its number only when it is saved: import the file "
                    "without the parent first, then fill in the station's number and import it "
                    "again."
                )
                % {"code": code},
            )
            return
        values["parent"] = parent

    @staticmethod
    def _check_duplicate(row, site, code, township, values, seen):
        if site is not None:
            key = ("site", site.pk)
        elif township is not None and values.get("name"):
            key = ("new", township.pk, values["name"])
        else:
            return
        if key not in seen:
            seen[key] = row.number
            return
        if code:
            row.problem(
                "code",
                _("The site number %(code)s appears again: it is already on row %(row)s.")
                % {"code": code, "row": seen[key]},
            )
        else:
            row.problem(
                "name",
                _("%(name)s in %(township)s appears again: it is already on row %(row)s.")
                % {"name": values["name"], "township": township.name, "row": seen[key]},
            )

    def _model_check(self, row, instance):
        """The model's own rules, unless a cell they depend on is already wrong: their message
        would then mislead. Site.clean() holds the same rules as the site's check constraints
        (SITE_CONSTRAINTS_IN_CLEAN), which Django would check with a query and a savepoint
        each: three quarters of the dry run's time. The services check them again on import."""
        if row.bad & {"tier", "status", "township"}:
            return
        exclude = {"code", "township", "village", "operator", "parent", *row.bad}
        exclude |= {field for field, key in SITE_FIELD_COLUMNS.items() if key in row.bad}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            row.model_errors(
                error,
                field_columns=SITE_FIELD_COLUMNS,
                constraint_messages=self.constraint_messages,
            )


def _assign(instance, values) -> bool:
    """Set the row's values on the instance; whether any differs from what it held."""
    changed = False
    for name, value in values.items():
        model_field = instance._meta.get_field(name)
        if model_field.is_relation:
            new = None if value is None else value.pk
            changed |= (value is not None and value.pk is None) or (
                getattr(instance, model_field.attname) != new
            )
        else:
            changed |= getattr(instance, name) != value
        setattr(instance, name, value)
    return changed


def _filename(file) -> str:
    return PurePath(getattr(file, "name", "") or "").name


def _open_workbook(file, filename):
    try:
        return open_upload(file)
    except Exception as error:  # openpyxl raises many kinds for a file that is not .xlsx
        raise _not_xlsx(filename) from error


def _not_xlsx(filename) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s is not an Excel workbook (.xlsx) that can be read: save it as an "
            "Excel workbook (.xlsx) and upload it again."
        )
        % {"name": filename or _("The file")},
        code="not_xlsx",
    )


def _find_sheets(workbook):
    wanted = {
        "operators": {_normalise(title) for title in _in_every_language(operator_sheet_title)},
        "sites": {_normalise(title) for title in _in_every_language(site_sheet_title)},
    }
    found = {}
    for worksheet in workbook.worksheets:
        for key, titles in wanted.items():
            if _normalise(worksheet.title) in titles and key not in found:
                found[key] = worksheet
    return found


def _refuse_hidden_sheets(workbook, roster_sheets) -> None:
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


def parse_and_check(file, *, user, progress=None, filename=None) -> ImportResult:
    """Read an uploaded workbook and check every row of both sheets, writing nothing.
    `progress(done, total)` hears the number of rows once they are read, then `progress(done)`
    as they are checked. `filename`: the user's name of the file (a stored file has another).

    Raises ValidationError when the file is not a readable .xlsx, has a hidden sheet, holds
    no roster sheet or more rows than settings.IMPORT_MAX_ROWS."""
    filename = filename or _filename(file)
    workbook = _open_workbook(file, filename)
    try:
        sheets = _find_sheets(workbook)
        _refuse_hidden_sheets(workbook, sheets)
        if not sheets:
            raise ValidationError(
                _(
                    "The workbook has no sheet named %(operators)s or %(sites)s: start from the "
                    "import template."
                )
                % {"operators": operator_sheet_title(), "sites": site_sheet_title()},
                code="no_roster_sheet",
            )
        _refuse_too_many_rows(sheets)
        checker = _Checker(user=user, progress=progress)
        result = ImportResult(filename=filename)
        read = {}
        for key, columns in (("operators", OPERATOR_COLUMNS), ("sites", SITE_COLUMNS)):
            if key in sheets:
                try:
                    read[key], problems = _read_sheet(sheets[key], columns)
                except Exception as error:
                    raise ValidationError(
                        _("The sheet %(sheet)s cannot be read.") % {"sheet": sheets[key].title},
                        code="unreadable_sheet",
                    ) from error
                checker.problems.extend(problems)
    finally:
        workbook.close()
    result.rows = sum(len(sheet.rows) for sheet in read.values())
    if not result.rows:
        raise ValidationError(_("The workbook holds no rows to import."), code="empty")
    if result.rows > import_limits()["rows"]:
        raise ValidationError(too_many_rows_message(result.rows), code="too_many_rows")
    if progress is not None:
        progress(0, result.rows)
    if checker.problems:  # required columns missing: every row would repeat it
        result.problems = checker.problems
        return result
    if "operators" in read:
        result.operators = checker.check_operators(read["operators"])
    if "sites" in read:
        result.sites = checker.check_sites(read["sites"])
    order = {sheet.title: index for index, sheet in enumerate(read.values())}
    result.problems = sorted(
        checker.problems,
        key=lambda p: (
            order.get(p.sheet, 0),
            p.row,
            column_index_from_string(p.column) if p.column else 0,
        ),
    )
    return result


# Writing ---------------------------------------------------------------------------------------


def apply_import(result: ImportResult, *, actor, progress=None) -> dict:
    """Write a checked workbook through the registry's services, in one transaction: all rows
    or none. Rows that change nothing write nothing. Returns the counts per sheet."""
    if not result.ok:
        raise ValidationError(_("The file has problems: nothing was imported."), code="problems")
    reason = _("Excel import")
    source = result.filename[:100]
    counts = {"operators": Counter(), "sites": Counter()}
    done = 0
    with transaction.atomic():
        # New operators in bulk (their rows were validated by the check), then the changes.
        new_operators = [plan for plan in result.operators if plan.action == CREATED]
        for plan in new_operators:
            with _naming_the_row(plan):  # the model's rules once more, without a query
                plan.instance.clean()
        register_operators_in_bulk(operators=[plan.instance for plan in new_operators], actor=actor)
        counts["operators"][CREATED] += len(new_operators)
        done += len(new_operators)
        if progress is not None:
            progress(done)
        for plan in result.operators:
            if plan.action == CREATED:
                continue
            if plan.action != UNCHANGED:
                with _naming_the_row(plan):
                    save_operator(operator=plan.instance, actor=actor)
            counts["operators"][plan.action] += 1
            done += 1
            if progress is not None:
                progress(done)
        # New sites in bulk (their rows were validated by the check), then the changes.
        new_sites = [plan for plan in result.sites if plan.action == CREATED]
        for plan in new_sites:
            if plan.operator is not None:
                plan.instance.operator = plan.operator  # saved above: now it has its id
            with _naming_the_row(plan):  # the model's rules once more, without a query
                plan.instance.clean()
        register_sites_in_bulk(
            sites=[(plan.instance, plan.materials or ()) for plan in new_sites],
            actor=actor,
            reason=reason,
        )
        counts["sites"][CREATED] += len(new_sites)
        done += len(new_sites)
        if progress is not None:
            progress(done)
        for plan in result.sites:
            if plan.action == CREATED:
                continue
            with _naming_the_row(plan):
                _apply_site(plan, actor=actor, reason=reason, source=source)
            counts["sites"][plan.action] += 1
            done += 1
            if progress is not None:
                progress(done)
    return {
        sheet: {action: counter[action] for action in (CREATED, UPDATED, UNCHANGED)}
        for sheet, counter in counts.items()
    }


@contextmanager
def _naming_the_row(plan: RowPlan):
    """A rule the dry run did not foresee still stops the import: say on which row."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError(
            _("Sheet %(sheet)s, row %(row)s: %(error)s")
            % {"sheet": plan.sheet, "row": plan.row, "error": " ".join(error.messages)},
            code="row_refused",
        ) from error


def _apply_site(plan: RowPlan, *, actor, reason, source):
    site = plan.instance
    if plan.operator is not None:
        site.operator = plan.operator  # saved above: now it has its id
    if plan.action == UNCHANGED:
        return
    moves = plan.status != plan.stored_status

    def change_status():
        change_site_status(site=site, to=plan.status, actor=actor, reason=reason, source=source)
        site.status = plan.status

    def change_data():
        update_site(site=site, actor=actor, materials=plan.materials, reason=reason)

    # The model's rules are looser for unregistered statuses (a point found by enforcement may
    # lack a village): move there first; out of there, change the data first. update_site
    # expects the status the site has at that moment.
    if moves and plan.status in UNREGISTERED_STATUSES:
        change_status()
        if plan.data_changed:
            change_data()
        return
    if plan.data_changed:
        site.status = plan.stored_status
        change_data()
    if moves:
        change_status()


# The marked workbook ---------------------------------------------------------------------------


def problems_column_header() -> str:
    # Translators: 错误说明, the column the marked workbook adds
    return _("Problems")


def marked_workbook(file, problems, *, find_sheets=None):
    """The user's own workbook with each bad cell filled red and commented with its problem,
    and a last column 错误说明 listing each row's problems. Marks from an earlier check of the
    same file are cleared first. Formulas come back as the values the check read; rows and
    columns with a problem are shown and merged cells with a problem unmerged, so that every
    mark can be seen."""
    workbook = open_to_hand_back(file)
    problems = [p if isinstance(p, Problem) else Problem(**p) for p in problems]
    by_sheet = defaultdict(list)
    for problem in problems:
        by_sheet[problem.sheet].append(problem)
    find_sheets = find_sheets or _find_sheets
    roster_sheets = {worksheet.title for worksheet in find_sheets(workbook).values()}
    headers = {_normalise(header) for header in _in_every_language(problems_column_header)}
    for worksheet in workbook.worksheets:
        if worksheet.title not in roster_sheets and worksheet.title not in by_sheet:
            continue
        notes_column = _clear_marks(worksheet, headers)
        header = worksheet.cell(row=1, column=notes_column, value=problems_column_header())
        header.font = Font(bold=True, color="9C0006")
        header.fill = MARK_FILL
        worksheet.column_dimensions[get_column_letter(notes_column)].width = 60
        notes = defaultdict(list)
        comments = defaultdict(list)
        for problem in by_sheet.get(worksheet.title, []):
            notes[problem.row].append(problem.cell_text)
            if problem.column:
                comments[f"{problem.column}{problem.row}"].append(problem.message)
        _show_marked_cells(worksheet, rows=set(notes), coordinates=set(comments))
        for row, texts in notes.items():
            worksheet.cell(row=row, column=notes_column, value="\n".join(texts))
        for coordinate, texts in comments.items():
            cell = worksheet[coordinate]
            cell.fill = MARK_FILL
            cell.comment = Comment("\n".join(texts), MARK_AUTHOR, width=320, height=120)
    return workbook


def _show_marked_cells(worksheet, *, rows, coordinates) -> None:
    """Unhide the rows and columns that hold a mark; unmerge the merged cells that do."""
    for row in rows:
        worksheet.row_dimensions[row].hidden = False
    columns = {
        column_index_from_string(coordinate.rstrip("0123456789")) for coordinate in coordinates
    }
    for dimension in worksheet.column_dimensions.values():
        if dimension.hidden and any(dimension.min <= column <= dimension.max for column in columns):
            dimension.hidden = False
    for merged in list(worksheet.merged_cells.ranges):
        if any(coordinate in merged for coordinate in coordinates):
            worksheet.unmerge_cells(merged.coord)


def _clear_marks(worksheet, headers) -> int:
    """Remove an earlier check's marks; the column for this check's notes."""
    notes_column = None
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.row == 1 and _normalise(cell.value) in headers:
                notes_column = cell.column
            if cell.comment is not None and cell.comment.author == MARK_AUTHOR:
                cell.comment = None
                cell.fill = PatternFill(fill_type=None)
    if notes_column is None:
        return worksheet.max_column + 1
    for (cell,) in worksheet.iter_rows(min_col=notes_column, max_col=notes_column, min_row=2):
        cell.value = None
    return notes_column


# Jobs: check and apply in the background ------------------------------------------------------


def recent_imports(*, user, kind=BackgroundJob.Kind.ROSTER_IMPORT, limit: int = 5):
    """The user's latest imports of a kind, to go back to one."""
    return BackgroundJob.objects.filter(owner=user, kind=kind)[:limit]


def import_limits() -> dict:
    """The largest upload taken: bytes (and the same in MB, as users read it) and rows."""
    return {
        "bytes": settings.IMPORT_MAX_BYTES,
        "megabytes": f"{settings.IMPORT_MAX_BYTES / (1024 * 1024):g}",
        "rows": settings.IMPORT_MAX_ROWS,
    }


def refuse_upload_at_once(upload) -> None:
    """Refuse at once, before anything reads it, a file over the size limit or one that is not
    even a zip archive (every .xlsx is one: its directory, at the end, is all that is read)."""
    limits = import_limits()
    if upload.size > limits["bytes"]:
        raise ValidationError(
            _(
                "%(name)s is larger than %(megabytes)s MB, the largest file the portal imports: "
                "split it into several files."
            )
            % {"name": _filename(upload), "megabytes": limits["megabytes"]},
            code="too_large",
        )
    upload.seek(0)
    readable = zipfile.is_zipfile(upload)
    upload.seek(0)
    if not readable:
        raise _not_xlsx(_filename(upload))


def too_many_rows_message(count: int) -> str:
    return _(
        "The workbook has %(count)s rows, more than the %(limit)s rows the portal imports at "
        "once: split it into files of at most %(limit)s rows."
    ) % {"count": count, "limit": import_limits()["rows"]}


def _refuse_too_many_rows(sheets) -> None:
    """From the size each sheet states (cheap: no row is read); the rows read are counted
    again after reading, since a file may state no size or a wrong one."""
    stated = sum(max((worksheet.max_row or 1) - 1, 0) for worksheet in sheets.values())
    if stated > import_limits()["rows"]:
        raise ValidationError(too_many_rows_message(stated), code="too_many_rows")


@transaction.atomic
def start_import(*, upload, user, kind=BackgroundJob.Kind.ROSTER_IMPORT) -> BackgroundJob:
    """Keep an uploaded workbook and queue its check (the dry run) in the background; the
    request reads no row of it. A file over the size limit is refused at once. `kind`: a
    registered Importer's (the roster's, or another app's)."""
    from .tasks import check_roster_import

    refuse_upload_at_once(upload)
    importer_for(kind)  # a kind nobody registered fails here, not in the worker
    job = BackgroundJob(
        kind=kind,
        owner=user,
        result={
            "filename": _filename(upload),
            "language": translation.get_language(),
            "stage": UPLOADED,
        },
    )
    # Stored under a random name: the user's file name (kept in result) may be guessed.
    job.input_file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    enqueue_on_commit(check_roster_import, job_id=job.pk)
    return job


def run_check_job(*, job_id: int) -> None:
    """Check an uploaded workbook row by row, writing nothing but the findings and the
    progress; it then waits for its owner's confirmation, or has failed."""
    job = claim_job(job_id=job_id, stage=UPLOADED)
    if job is None:
        return  # delivered twice: another run has it or finished it
    language = job.result.get("language")
    importer = importer_for(job.kind)
    with heartbeat(job), translation.override(language):
        try:
            with (
                job.input_file.open("rb") as handle,
                JobProgress(job.pk, total=0, every=IMPORT_PROGRESS_EVERY) as progress,
            ):
                result = importer.check(
                    handle, user=job.owner, progress=progress, filename=job.result["filename"]
                )
        except ValidationError as error:
            job.result = {**job.result, "stage": REFUSED, "refusal": error.messages}
            _finish(job, BackgroundJob.State.FAILED, " ".join(error.messages))
            return
        except Exception:
            logger.exception("import job %s: the check failed", job.pk)
            job.result = {**job.result, "stage": REFUSED}
            _finish(job, BackgroundJob.State.FAILED, _("The file could not be checked."))
            return
        job.result = {**result.as_job_result(), "stage": CHECKED}
        job.total = job.done = result.rows
        if result.ok:
            _finish(job, BackgroundJob.State.PENDING)  # the owner confirms it, or not
            return
        _finish(
            job,
            BackgroundJob.State.FAILED,
            _("%(count)s problems found: nothing was imported.") % {"count": len(result.problems)},
        )


@transaction.atomic
def confirm_import(*, job: BackgroundJob, actor) -> BackgroundJob:
    """Queue the writing of a checked workbook that had no problems."""
    from .tasks import apply_roster_import

    job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if job.owner_id != actor.pk:
        raise ValidationError(_("Only the person who uploaded the file may import it."))
    checked = job.result.get("stage") == CHECKED and job.state == BackgroundJob.State.PENDING
    if not checked or job.result.get("problems"):
        raise ValidationError(_("This file cannot be imported (again)."), code="not_ready")
    job.result = {**job.result, "stage": QUEUED}
    job.state = BackgroundJob.State.PENDING
    job.save(update_fields=["result", "state"])
    enqueue_on_commit(apply_roster_import, job_id=job.pk)
    return job


def run_import_job(*, job_id: int) -> None:
    """Check the stored workbook again against today's registry, then write it: all rows and
    the job's outcome in one transaction, so that a worker that dies while writing leaves
    nothing, and the next claim writes the file once."""
    job = claim_job(job_id=job_id, stage=QUEUED)
    if job is None:
        return  # delivered twice: another run has it or finished it
    language = job.result.get("language")
    importer = importer_for(job.kind)
    try:
        with heartbeat(job), translation.override(language):
            with job.input_file.open("rb") as handle:
                result = importer.check(handle, user=job.owner, filename=job.result.get("filename"))
            if not result.ok:
                job.result = {**result.as_job_result(), "stage": CHECKED}
                _finish(
                    job,
                    BackgroundJob.State.FAILED,
                    _("The registry changed since the check: %(count)s problems.")
                    % {"count": len(result.problems)},
                )
                return
            with (
                JobProgress(job.pk, total=result.rows, every=IMPORT_PROGRESS_EVERY) as progress,
                transaction.atomic(),
            ):
                counts = importer.apply(result, actor=job.owner, progress=progress)
                job.result = {**job.result, "stage": APPLIED, "applied": counts}
                job.total = job.done = result.rows
                _finish(job, BackgroundJob.State.DONE, in_transaction=True)
    except LeaseLost:
        logger.warning("import job %s was taken over by another worker", job.pk)
    except Exception as error:
        logger.exception("import job %s failed", job.pk)
        with translation.override(language):
            message = " ".join(getattr(error, "messages", [str(error)]))
            _finish(
                job,
                BackgroundJob.State.FAILED,
                _("The import failed: %(error)s") % {"error": message},
            )


def _finish(job, state, message="", *, in_transaction=False):
    """The job's outcome, if its worker still holds the lease. In the writing's transaction
    a lost lease raises LeaseLost, which rolls the writing back."""
    values = {
        "state": state,
        "message": message[:500],
        "finished_at": None if state == BackgroundJob.State.PENDING else timezone.now(),
        # Back to waiting (for the owner): the next stage has its own attempts.
        **({"attempts": 0} if state == BackgroundJob.State.PENDING else {}),
        "result": job.result,
        "total": job.total,
        "done": job.done,
    }
    if in_transaction:
        leases.finish_or_discard(
            BackgroundJob.objects.all(), pk=job.pk, token=job.lease_token, **values
        )
    elif not finish_job(job, **values):
        logger.warning("roster import job %s was taken over by another worker", job.pk)


# The import template ---------------------------------------------------------------------------

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


# The roster's import in the jobs above (the functions are looked up when called: tests replace
# them), and the pieces other apps' imports reuse (trade/imports.py, weighbridge records).

register_importer(
    Importer(
        kind=BackgroundJob.Kind.ROSTER_IMPORT,
        check=lambda file, **options: parse_and_check(file, **options),
        apply=lambda result, **options: apply_import(result, **options),
        find_sheets=lambda workbook: _find_sheets(workbook),
        may_import=lambda user: user.has_perm("sites.add_site"),
        refusal=gettext_lazy("Only the commerce bureau and township officers import rosters."),
        upload_url="sites:import",
        counts=(
            ("operators", gettext_lazy("Operators")),
            ("sites", gettext_lazy("Sites")),
        ),
        links=(
            ("sites:site-list", gettext_lazy("Go to the sites")),
            ("sites:operator-list", gettext_lazy("Go to the operators")),
        ),
    )
)

read_sheet = _read_sheet
ImportRow = _Row
CellError = _CellError
cell_text = _text
parse_date = _date
decimal_parser = _decimal_parser
normalise_header = _normalise
in_every_language = _in_every_language
choice_map = _choice_map
open_workbook = _open_workbook
refuse_hidden_sheets = _refuse_hidden_sheets
refuse_too_many_rows = _refuse_too_many_rows
