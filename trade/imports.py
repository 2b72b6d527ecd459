"""过磅记录: stations and the centre upload their weighbridge records as .xlsx, and each row
becomes a transfer they received. It runs in the site roster's import machinery (sites/jobs.py,
sites/imports.py): the file is checked row by row in the background writing nothing, every
problem is given by row and column (and marked in the workbook handed back), hidden sheets are
refused and hidden rows, merged cells and formulas without a result are problems on their
cell; once the owner confirms, every row is written through the market's services in one
transaction, or none is.

A row is found again by its weighbridge ticket (磅单号) at its receiving site: importing the
same file twice records nothing the second time, and a corrected row corrects its transfer (a
settled one stays as it was paid)."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from openpyxl.comments import Comment
from openpyxl.utils import column_index_from_string

from anji_recycling.xlsx import SheetWriter, new_workbook
from sites.columns import Column
from sites.imports import (
    CREATED,
    MARK_AUTHOR,
    UNCHANGED,
    UPDATED,
    CellError,
    ImportRow,
    RowPlan,
    cell_text,
    decimal_parser,
    import_limits,
    import_summary,
    in_every_language,
    job_result,
    normalise_header,
    open_workbook,
    parse_date,
    read_sheet,
    refuse_hidden_sheets,
    refuse_too_many_rows,
    too_many_rows_message,
)
from sites.jobs import Importer, register_importer
from sites.models import BackgroundJob, Material, Site

from . import policy, services
from .choices import TransferAction
from .models import MaterialGrade, Transfer

KIND = BackgroundJob.Kind.WEIGHBRIDGE_IMPORT
TEMPLATE_FILENAME = "过磅记录导入模板.xlsx"

COLUMNS = (
    # Translators: 磅单号
    Column("ticket", pgettext_lazy("transfer ledger column", "Weighbridge ticket"), 16, True),
    Column("date", pgettext_lazy("transfer ledger column", "Date"), 12, True),
    Column(
        "from_code", pgettext_lazy("transfer ledger column", "Delivering site number"), 18, True
    ),
    Column("to_code", pgettext_lazy("transfer ledger column", "Receiving site number"), 18, True),
    Column("material", pgettext_lazy("transfer ledger column", "Material"), 12, True),
    Column("grade", pgettext_lazy("transfer ledger column", "Grade"), 12),
    Column("weight", pgettext_lazy("transfer ledger column", "Net weight (kg)"), 14, True),
    Column("price", pgettext_lazy("transfer ledger column", "Unit price (yuan/t)"), 14, True),
    Column("reason", pgettext_lazy("transfer ledger column", "Reason for an exception"), 30),
)

# The transfer's fields and the columns their messages belong to.
FIELD_COLUMNS = {
    "transferred_on": "date",
    "from_site": "from_code",
    "to_site": "to_code",
    "material": "material",
    "grade": "grade",
    "weight_kg": "weight",
    "unit_price": "price",
    "reason": "reason",
    "weighbridge_ticket": "ticket",
}
COMPARED = ("transferred_on", "from_site_id", "material_id", "grade_id", "weight_kg", "unit_price")


def sheet_title() -> str:
    # Translators: sheet name, 过磅记录
    return pgettext("sheet", "Weighbridge records")


@dataclass
class WeighbridgeResult:
    filename: str
    transfers: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> dict:
        return import_summary({"transfers": self.transfers}, self.problems, rows=self.rows)

    def as_job_result(self) -> dict:
        return job_result(self)


def find_sheets(workbook) -> dict:
    """The 过磅记录 sheet, or the workbook's only sheet (a weighbridge's own export names its
    sheet as it likes)."""
    titles = {normalise_header(title) for title in in_every_language(sheet_title)}
    for worksheet in workbook.worksheets:
        if normalise_header(worksheet.title) in titles:
            return {"transfers": worksheet}
    if len(workbook.worksheets) == 1:
        return {"transfers": workbook.worksheets[0]}
    return {}


class _Checker:
    """Checks weighbridge rows against the registry and the market's rules as `user` may
    record them, writing nothing."""

    def __init__(self, *, user, progress=None):
        self.user = user
        self.progress = progress
        self.problems = []
        self.checked = 0
        self.materials = {}
        for material in Material.objects.all():
            self.materials[normalise_header(material.name)] = material
            self.materials[normalise_header(material.code)] = material
        self.grades = {
            (grade.material_id, normalise_header(grade.name)): grade
            for grade in MaterialGrade.objects.filter(is_active=True)
        }

    def _material(self, value):
        material = self.materials.get(normalise_header(cell_text(value)))
        if material is None:
            raise CellError(
                _("Unknown materials: %(names)s. Use: %(allowed)s.")
                % {
                    "names": cell_text(value),
                    "allowed": "、".join(sorted({m.name for m in self.materials.values()})),
                }
            )
        return material

    def check(self, sheet) -> list:
        column = sheet.positions.get
        codes = set()
        for key in ("from_code", "to_code"):
            index = column(key)
            if index is not None:
                codes |= {cell_text(c[index]) for _n, c in sheet.rows if index < len(c)}
        sites = {
            site.code: site
            for site in Site.objects.filter(code__in=codes - {""}).select_related(
                "township", "parent"
            )
        }
        tickets = set()
        if column("ticket") is not None:
            tickets = {cell_text(c[column("ticket")]) for _n, c in sheet.rows} - {""}
        stored = {
            (transfer.to_site_id, transfer.weighbridge_ticket): transfer
            for transfer in Transfer.objects.filter(weighbridge_ticket__in=tickets).select_related(
                "from_site", "to_site"
            )
        }
        plans, seen = [], {}
        for number, cells in sheet.rows:
            self.checked += 1
            if self.progress is not None:
                self.progress(self.checked)
            row = ImportRow(sheet, number, cells, self.problems)
            plan = self._check_row(row, sites, stored, seen)
            if plan is not None and not row.bad:
                plans.append(plan)
        return plans

    def _site(self, sites):
        def parse(value):
            site = sites.get(cell_text(value))
            if site is None:
                raise CellError(_("No site is numbered %(code)s.") % {"code": cell_text(value)})
            return site

        return parse

    def _check_row(self, row, sites, stored, seen):
        values = self._row_values(row, sites)
        material = values.get("material")
        grade = self._grade(row, material)
        sender, receiver = values.get("from_code"), values.get("to_code")
        ticket = values.get("ticket", "")
        if receiver is None or not ticket or row.bad & {"date", "weight", "price", "material"}:
            return None
        key = (receiver.pk, ticket)
        if key in seen:
            row.problem(
                "ticket",
                _("The weighbridge ticket %(ticket)s appears again: it is already on row %(row)s.")
                % {"ticket": ticket, "row": seen[key]},
            )
            return None
        seen[key] = row.number
        existing = stored.get(key)
        transfer = existing or Transfer(weighbridge_ticket=ticket, to_site=receiver)
        before = {name: getattr(transfer, name) for name in COMPARED}
        _fill_transfer(transfer, values, sender=sender, material=material, grade=grade)
        if sender is None:
            return None
        action = CREATED
        if existing is not None:
            same = before == {name: getattr(transfer, name) for name in COMPARED}
            action = UNCHANGED if same and transfer.reason == existing.reason else UPDATED
        if not self._allowed(row, transfer, existing, action):
            return None
        if action != UNCHANGED:
            _report_transfer_errors(row, transfer)
        return RowPlan(row.sheet.title, row.number, transfer, action)

    def _row_values(self, row, sites) -> dict:
        row.check_required()
        values = {}
        row.parse("ticket", cell_text, values)
        row.parse("date", parse_date, values)
        row.parse("from_code", self._site(sites), values)
        row.parse("to_code", self._site(sites), values)
        row.parse("material", self._material, values)
        row.parse("weight", decimal_parser(Transfer, "weight_kg"), values)
        row.parse("price", decimal_parser(Transfer, "unit_price"), values)
        row.parse("reason", cell_text, values)
        return values

    def _grade(self, row, material):
        """The row's grade of its material, None when it names none (or the material is bad)."""
        if material is None or not row.ok("grade") or not row.text("grade"):
            return None
        grade = self.grades.get((material.pk, normalise_header(row.text("grade"))))
        if grade is None:
            row.problem(
                "grade",
                _("%(grade)s is not a grade of %(material)s.")
                % {"grade": row.text("grade"), "material": material.name},
            )
        return grade

    def _allowed(self, row, transfer, existing, action) -> bool:
        """The market's policy, as for a transfer entered on the page."""
        if action == UNCHANGED:
            return True
        allowed = policy.TRANSFER_POLICY.allowed_actions(
            Transfer(from_site=transfer.from_site, to_site=transfer.to_site), self.user
        )
        if TransferAction.RECORD not in allowed:
            row.problem(
                "to_code",
                _(
                    "Neither %(sender)s nor %(receiver)s is in your area: you may import only "
                    "transfers of your township's sites."
                )
                % {"sender": transfer.from_site.name, "receiver": transfer.to_site.name},
            )
            return False
        if existing is not None and existing.settlement_id:
            row.problem(
                "ticket",
                _(
                    "The transfer of weighbridge ticket %(ticket)s is settled already: it stays "
                    "as it was paid."
                )
                % {"ticket": transfer.weighbridge_ticket},
            )
            return False
        return True


def _fill_transfer(transfer, values, *, sender, material, grade) -> None:
    transfer.transferred_on = values["date"]
    if sender is not None:
        transfer.from_site = sender
    transfer.material = material
    transfer.grade = grade
    transfer.weight_kg = values["weight"]
    transfer.unit_price = values["price"]
    transfer.reason = values.get("reason", "")


def _report_transfer_errors(row, transfer) -> None:
    """The rules a transfer entered on the page keeps, as problems of the row's columns."""
    for name, message in services.transfer_errors(transfer, check_ticket=False).items():
        key = FIELD_COLUMNS.get(name)
        if key not in row.bad:
            row.problem(key, message)


def parse_and_check(file, *, user, progress=None, filename=None) -> WeighbridgeResult:
    """Read an uploaded weighbridge workbook and check every row, writing nothing (the same
    refusals as the roster's import: not an .xlsx, hidden sheets, too many rows)."""
    filename = filename or getattr(file, "name", "") or ""
    workbook = open_workbook(file, filename)
    try:
        sheets = find_sheets(workbook)
        refuse_hidden_sheets(workbook, sheets)
        if not sheets:
            raise ValidationError(
                _("The workbook has no sheet named %(sheet)s: start from the import template.")
                % {"sheet": sheet_title()},
                code="no_sheet",
            )
        refuse_too_many_rows(sheets)
        sheet, problems = read_sheet(sheets["transfers"], COLUMNS)
    finally:
        workbook.close()
    result = WeighbridgeResult(filename=filename, rows=len(sheet.rows))
    if not result.rows:
        raise ValidationError(_("The workbook holds no rows to import."), code="empty")
    if result.rows > import_limits()["rows"]:
        raise ValidationError(too_many_rows_message(result.rows), code="too_many_rows")
    if progress is not None:
        progress(0, result.rows)
    if problems:
        result.problems = problems
        return result
    checker = _Checker(user=user, progress=progress)
    result.transfers = checker.check(sheet)
    result.problems = sorted(
        checker.problems,
        key=lambda p: (p.row, column_index_from_string(p.column) if p.column else 0),
    )
    return result


def apply_import(result: WeighbridgeResult, *, actor, progress=None) -> dict:
    """Record every checked row through the market's services in one transaction: all rows
    or none. Rows that change nothing write nothing."""
    if not result.ok:
        raise ValidationError(_("The file has problems: nothing was imported."), code="problems")
    counts = Counter()
    with transaction.atomic():
        for done, plan in enumerate(result.transfers, start=1):
            try:
                if plan.action == CREATED:
                    services.record_transfer(transfer=plan.instance, actor=actor)
                elif plan.action == UPDATED:
                    services.correct_transfer(transfer=plan.instance, actor=actor)
            except ValidationError as error:
                raise ValidationError(
                    _("Sheet %(sheet)s, row %(row)s: %(error)s")
                    % {"sheet": plan.sheet, "row": plan.row, "error": " ".join(error.messages)},
                    code="row_refused",
                ) from error
            counts[plan.action] += 1
            if progress is not None:
                progress(done)
    return {"transfers": {action: counts[action] for action in (CREATED, UPDATED, UNCHANGED)}}


def template_workbook():
    """The import template: the 过磅记录 sheet's header (required columns commented) and a
    note on what goes in it."""
    workbook = new_workbook()
    sheet = SheetWriter(workbook, sheet_title(), widths=[column.width for column in COLUMNS])
    sheet.header(
        [column.header for column in COLUMNS],
        comments=[
            Comment(_("Required."), MARK_AUTHOR, width=160, height=40) if column.required else None
            for column in COLUMNS
        ],
    )
    return workbook


register_importer(
    Importer(
        kind=KIND,
        check=lambda file, **options: parse_and_check(file, **options),
        apply=lambda result, **options: apply_import(result, **options),
        find_sheets=find_sheets,
        may_import=lambda user: policy.may_import_transfers(user),
        refusal=gettext_lazy("You may not record transfers."),
        upload_url="trade:transfer-import",
        counts=(("transfers", gettext_lazy("Transfers")),),
        links=(("trade:transfer-list", gettext_lazy("Go to the transfers")),),
    )
)
