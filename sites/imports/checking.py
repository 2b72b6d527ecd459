"""Checking every row of a roster workbook against the registry, writing nothing (the dry run)."""

import logging
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string

from agencies.models import Township, Village
from anji_recycling.coordinates import SYSTEM_ALIASES, CoordinateSystem
from anji_recycling.validators import (
    normalise_phone,
    validate_credit_code,
    validate_phone,
)

from .. import selectors
from ..choices import OperatorKind, SiteStatus, SiteTier, VenueType
from ..columns import (
    OPERATOR_COLUMNS,
    SITE_COLUMNS,
    operator_sheet_title,
    site_sheet_title,
)
from ..models import Material, Operator, Site
from ..uploads import import_limits, too_many_rows_message, upload_filename
from .reading import (
    CellError,
    ImportRow,
    ReadSheet,
    cell_text,
    choice_labels,
    choice_map,
    find_sheets,
    is_blank,
    normalise_header,
    open_workbook,
    parse_date,
    portal_languages,
    read_sheet,
    refuse_hidden_sheets,
    refuse_too_many_rows,
)
from .results import CREATED, UNCHANGED, UPDATED, ImportResult, RowPlan, assign_values
from .site_rows import SiteRowChecks

logger = logging.getLogger(__name__)

MATERIAL_SEPARATORS = re.compile(r"[、,，;；/\s]+")

# Constraints whose message belongs to a column.
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


class Checker(SiteRowChecks):
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
            self.materials[normalise_header(material.name)] = material
            self.materials[normalise_header(material.code)] = material
        self.material_names = "、".join(material.name for material in materials)
        self.editable_townships = set(
            selectors.townships_editable_by(user=user).values_list("pk", flat=True)
        )
        self.tiers = choice_map(SiteTier)
        self.statuses = choice_map(SiteStatus)
        self.venue_types = choice_map(VenueType)
        self.coordinate_systems = choice_map(CoordinateSystem) | {
            normalise_header(name): system for name, system in SYSTEM_ALIASES.items()
        }
        self.kinds = choice_map(OperatorKind)
        self.yes_no = {normalise_header(v): True for v in ["是", "yes", "y", "true", "1", "√"]}
        self.yes_no |= {normalise_header(v): False for v in ["否", "no", "n", "false", "0", "×"]}
        for code in portal_languages():
            with translation.override(code):
                self.yes_no[normalise_header(_("Yes"))] = True
                self.yes_no[normalise_header(_("No"))] = False
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
            if is_blank(value):
                return ""
            try:
                return mapping[normalise_header(cell_text(value))]
            except KeyError:
                raise CellError(
                    _("%(value)s is not one of: %(allowed)s.")
                    % {"value": cell_text(value), "allowed": choice_labels(choices)}
                ) from None

        return parse

    def _township(self, value):
        township = self.townships.get(cell_text(value))
        if township is None:
            raise CellError(_("No township named %(value)s in Anji County.") % {"value": value})
        return township

    def _village(self, value, township):
        text = cell_text(value)
        if not text:
            return None
        found = self.villages_by_code.get(text)
        candidates = [found] if found else self.villages_by_name.get(text, [])
        if not candidates:
            raise CellError(
                _("No village or community named %(value)s in Anji County.") % {"value": text}
            )
        in_township = [village for village in candidates if village.township_id == township.pk]
        if not in_township:
            raise CellError(
                _("%(village)s is in %(actual)s, not in %(township)s.")
                % {
                    "village": text,
                    "actual": candidates[0].township.name,
                    "township": township.name,
                }
            )
        village = in_township[0]
        if not village.is_active:
            raise CellError(
                _("%(village)s is no longer a current village or community.") % {"village": text}
            )
        return village

    def _yes_no(self, value):
        if is_blank(value):
            return False
        try:
            return self.yes_no[normalise_header(cell_text(value))]
        except KeyError:
            raise CellError(
                _("%(value)s is neither “%(yes)s” nor “%(no)s”.")
                % {"value": cell_text(value), "yes": _("Yes"), "no": _("No")}
            ) from None

    def _materials(self, value):
        names = [name for name in MATERIAL_SEPARATORS.split(cell_text(value)) if name]
        unknown = [name for name in names if normalise_header(name) not in self.materials]
        if unknown:
            raise CellError(
                _("Unknown materials: %(names)s. Use: %(allowed)s.")
                % {"names": "、".join(unknown), "allowed": self.material_names}
            )
        return list(
            {
                self.materials[normalise_header(name)].pk: self.materials[normalise_header(name)]
                for name in names
            }.values()
        )

    @staticmethod
    def _credit_code(value):
        code = cell_text(value).upper()
        if code:
            validate_credit_code(code)
        return code

    @staticmethod
    def _phone(value):
        phone = normalise_phone(cell_text(value))
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

    def check_operators(self, sheet: ReadSheet) -> list:
        self.operator_sheet_title = sheet.title
        stored, editable = self._stored_operators(sheet)
        plans, seen = [], {}
        for number, cells in sheet.rows:
            self._count_row()
            row = ImportRow(sheet, number, cells, self.problems)
            row.check_required()
            values = self._operator_values(row)
            code = values.get("credit_code", "")
            operator = stored.get(code)
            self._check_credit_code(row, code, seen=seen, operator=operator, editable=editable)
            if "township" in values:
                self._in_area(row, "township", values["township"])
            plan = self._operator_plan(row, values, code=code, operator=operator)
            if plan is not None:
                plans.append(plan)
        return plans

    def _stored_operators(self, sheet: ReadSheet) -> tuple[dict, set]:
        """The operators the sheet's credit codes name, by code, and the ids of those among
        them the user may change."""
        codes = {
            cell_text(cells_value).upper() for cells_value in self._column(sheet, "credit_code")
        }
        stored = {
            operator.credit_code: operator
            for operator in Operator.objects.filter(credit_code__in=codes)
        }
        editable = set(
            Operator.objects.editable_by(self.user)
            .filter(credit_code__in=codes)
            .values_list("pk", flat=True)
        )
        return stored, editable

    def _operator_values(self, row: ImportRow) -> dict:
        values = {}
        for key in ("name", "legal_representative", "address", "business_scope"):
            row.parse(key, cell_text, values)
        for key in ("filing_number", "note"):
            row.parse(key, cell_text, values)
        row.parse("kind", self._choice(self.kinds, OperatorKind), values)
        row.parse("credit_code", self._credit_code, values)
        row.parse("contact_phone", self._phone, values)
        row.parse("township", self._township, values)
        for key in ("licence_issued_on", "licence_valid_until", "filed_on"):
            row.parse(key, parse_date, values)
        return values

    @staticmethod
    def _check_credit_code(row: ImportRow, code: str, *, seen: dict, operator, editable) -> None:
        """A credit code once per sheet, and of an operator the user may change."""
        if code in seen:
            row.problem(
                "credit_code",
                _("The credit code %(code)s appears again: it is already on row %(row)s.")
                % {"code": code, "row": seen[code]},
            )
        elif code:
            seen[code] = row.number
        if operator is not None and operator.pk not in editable:
            row.problem(
                "credit_code",
                _("The operator %(code)s is registered outside your area: you may not change it.")
                % {"code": code},
            )

    def _operator_plan(self, row: ImportRow, values: dict, *, code: str, operator):
        """The row's operator with its values, checked by the model's rules; its plan unless
        the row has a problem."""
        instance = operator or Operator()
        changed = assign_values(instance, values)
        if code:
            self.operators_by_code[code] = instance
        exclude = {"township", *row.bad}
        try:
            # Uniqueness is the check of the credit codes above; the constraints are rules
            # of clean() (OPERATOR_CONSTRAINTS_IN_CLEAN): no query a row.
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            row.model_errors(error, field_columns={}, constraint_messages=self.constraint_messages)
        if row.bad:
            return None
        action = CREATED if operator is None else (UPDATED if changed else UNCHANGED)
        return RowPlan(row.sheet.title, row.number, instance, action, data_changed=changed)

    @staticmethod
    def _column(sheet, key):
        index = sheet.positions.get(key)
        if index is None:
            return []
        return [cells[index] for _number, cells in sheet.rows if index < len(cells)]


def parse_and_check(file, *, user, progress=None, filename=None) -> ImportResult:
    """Read an uploaded workbook and check every row of both sheets, writing nothing.
    `progress(done, total)` hears the number of rows once they are read, then `progress(done)`
    as they are checked. `filename`: the user's name of the file (a stored file has another).

    Raises ValidationError when the file is not a readable .xlsx, has a hidden sheet, holds
    no roster sheet or more rows than settings.IMPORT_MAX_ROWS."""
    filename = filename or upload_filename(file)
    read, problems = _read_rosters(file, filename)
    checker = Checker(user=user, progress=progress)
    checker.problems.extend(problems)
    result = ImportResult(filename=filename)
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
    result.problems = sorted(checker.problems, key=lambda problem: _problem_order(problem, order))
    return result


def _read_rosters(file, filename: str) -> tuple[dict, list]:
    """The workbook's roster sheets read ({"operators": ..., "sites": ...}, those present),
    and the problems of reading them (required columns missing)."""
    workbook = open_workbook(file, filename)
    try:
        sheets = find_sheets(workbook)
        refuse_hidden_sheets(workbook, sheets)
        if not sheets:
            raise ValidationError(
                _(
                    "The workbook has no sheet named %(operators)s or %(sites)s: start from the "
                    "import template."
                )
                % {"operators": operator_sheet_title(), "sites": site_sheet_title()},
                code="no_roster_sheet",
            )
        refuse_too_many_rows(sheets)
        read, problems = {}, []
        for key, columns in (("operators", OPERATOR_COLUMNS), ("sites", SITE_COLUMNS)):
            if key in sheets:
                read[key], sheet_problems = _read_roster(sheets[key], columns)
                problems.extend(sheet_problems)
        return read, problems
    finally:
        workbook.close()


def _read_roster(sheet, columns):
    try:
        return read_sheet(sheet, columns)
    except Exception as error:
        raise ValidationError(
            _("The sheet %(sheet)s cannot be read.") % {"sheet": sheet.title},
            code="unreadable_sheet",
        ) from error


def _problem_order(problem, order: dict) -> tuple:
    """Problems by sheet (in the workbook's order), row and column."""
    column = column_index_from_string(problem.column) if problem.column else 0
    return (order.get(problem.sheet, 0), problem.row, column)
