"""Every .xlsx the portal hands out is written here, and every uploaded one is read here.

Writing: openpyxl's write-only mode (flat memory), streamed to the browser.

Text is never a formula (OWASP "CSV/formula injection")
    A string from users or imports that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return would be a formula (openpyxl turns a string starting with ``=`` into one,
    Excel and WPS do so for the others when the cell is edited; a string such as ``#N/A``
    becomes an error value). `write_as_text` is the one place that prevents it: such a cell is
    stored as a text cell (``t="inlineStr"``, openpyxl's data type ``s``) with the cell style's
    ``quotePrefix`` set. This is what Excel itself does when someone types ``'=1+1``: Excel, WPS
    and LibreOffice show the text exactly as entered (``=HYPERLINK("http://x","y")``, ``-2+3``),
    without the apostrophe, and keep it text when the cell is edited (the formula bar shows the
    apostrophe). Writing a leading apostrophe into the text, as OWASP advises for CSV, would
    show it in the cell, since .xlsx has no such convention. A carriage return is a line break
    in .xlsx (XML reads CR and CR LF as LF), which is how Excel and WPS show it too. Numbers,
    dates and booleans are never touched: a negative Decimal stays a number.

    Workbooks written row by row (`SheetWriter`) are made safe cell by cell; the others (a
    user's own workbook handed back with its problems marked) are walked when saved
    (`save_workbook`). Nothing else in the portal creates, opens for writing or saves a
    workbook (tests/test_xlsx_exports.py checks every module).

Styles are built once per sheet, cells once per sheet
    Setting ``cell.font`` (fill, border, alignment) looks the style object up in the
    workbook's list by hashing it, and writing a styled cell looks its style id up again the
    same way; with a new Cell object per value (whose value openpyxl binds twice, the second
    time through an exception) this made a large roster write at half bare openpyxl's speed.
    `SheetWriter` registers each kind of cell's style once, as a style id (a number format or
    the text prefix is another id, made the first time it is needed), and writes the rows of
    the table through one reused cell that carries its style id (`_StyledCell`), as openpyxl's
    own write-only sheet reuses one cell for unstyled values. A row of plain values (text,
    numbers, booleans, blanks) is written as the XML openpyxl would write for those cells,
    in one string (`_row_xml`): openpyxl's per-cell element tree was most of the time left.

Printed as officials print a ledger
    Every sheet written by `SheetWriter` prints landscape, fitted to the page's width (as many
    pages long as it needs), horizontally centred, with "第 &P 页 共 &N 页" in the footer and
    its header row repeated at the top of every page.

Reading: `open_upload` (read-only, cached values) and `scan_sheet`, which also reports what
openpyxl's data-only reading hides: formula cells without a cached value (read as blank),
error values, merged cells, hidden rows and columns.
"""

import contextlib
import tempfile
from dataclasses import dataclass, field

from django.http import FileResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import LXML, Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import TIME_TYPES, get_time_format
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import (
    DATA_TAG,
    DIMENSION_TAG,
    FORMULA_TAG,
    INLINE_STRING,
    WorkSheetParser,
)
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .anji_time import anji_today
from .xlsx_rows import FORMULA_PREFIXES, row_xml

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")

SIGNED = "+0.00;-0.00;0.00"  # a change: +1.50, -2.00


@dataclass(frozen=True)
class Formatted:
    """A number shown in a number format (SIGNED, ...): a number still, to sort and sum."""

    value: object
    number_format: str


def write_as_text(cell) -> None:
    """Show the cell's string as the text it is, never as a formula or an error value."""
    value = cell.value
    if isinstance(value, str) and (cell.data_type != "s" or value.startswith(FORMULA_PREFIXES)):
        cell.data_type = "s"
        cell.quotePrefix = True


def _style_indices(sheet, *, font=None, fill=None, border=None, alignment=None):
    """The workbook's indices of these styles, looked up once for every cell that uses them."""
    template = Cell(sheet)
    for name, style in (
        ("font", font),
        ("fill", fill),
        ("border", border),
        ("alignment", alignment),
    ):
        if style is not None:
            setattr(template, name, style)
    return template._style  # the StyleArray that Cell(style_array=...) copies


def set_up_printing(sheet) -> None:
    """Landscape, fitted to the width of the page, centred, numbered pages."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages long as the table needs
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    # Translators: page footer of printed spreadsheets; keep &P (this page) and &N (pages)
    sheet.oddFooter.center.text = _("Page &P of &N")


class _StyledCell(Cell):
    """A write-only cell whose style id is set, not looked up: openpyxl's writer reads
    `style_id` and `has_style` for every cell it writes (properties that hash the style)."""

    __slots__ = ("style_id", "has_style")


class SheetWriter:
    """One write-only sheet: widths and frozen rows are set before the first row. A
    `numbered` sheet starts its table with a 序号 column, counting the table's rows."""

    def __init__(self, workbook, title, *, widths, freeze="A2", numbered=False):
        if numbered:
            widths = [6, *widths]
        self._numbered = numbered
        self._number = None  # the table's last row number, once its header is written
        self.sheet = workbook.create_sheet(title=title)
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            self.sheet.freeze_panes = freeze
        set_up_printing(self.sheet)
        self._rows = 0
        self._title = _style_indices(self.sheet, font=TITLE_FONT)
        self._header = _style_indices(
            self.sheet, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=WRAP
        )
        self._body = _style_indices(self.sheet, border=BORDER, alignment=WRAP)
        self._text = _style_indices(self.sheet, alignment=WRAP)
        self._style_ids = {}  # (style, number format, quoted) -> the workbook's style id
        self._cell = _StyledCell(self.sheet, row=1, column=1)
        self._cell.has_style = True
        self._cell.style_id = 0
        # The table's rows come as (values, style) and become cells here, written one by one
        # as the writer reads them (openpyxl's write-only sheet calls this for every row).
        openpyxl_values_to_row = self.sheet._values_to_row

        def values_to_row(row, row_idx):
            if isinstance(row, _TableRow):
                xml = None if LXML else self._row_xml(row, row_idx)
                if xml is not None:
                    self._write_xml_rows()
                    return _RowXml(xml)
                return self._table_cells(row, row_idx)
            return openpyxl_values_to_row(row, row_idx)

        self.sheet._values_to_row = values_to_row
        self._letters = []

    def _write_xml_rows(self):
        """Let openpyxl's sheet writer (made with the first row) take rows written as XML."""
        writer = self.sheet._writer
        if getattr(writer, "_takes_xml", False):
            return
        openpyxl_write_row = writer.write_row

        def write_row(xf, row, row_idx):
            if isinstance(row, _RowXml):
                xf._file(row.xml)  # et_xmlfile's stream, where write_row's elements go
            else:
                openpyxl_write_row(xf, row, row_idx)

        writer.write_row = write_row
        writer._takes_xml = True

    def _row_xml(self, row, row_idx) -> str | None:
        if row_idx in self.sheet.row_dimensions:
            return None
        letters = self._letters
        while len(letters) < len(row.values):
            letters.append(get_column_letter(len(letters) + 1))
        return row_xml(
            row.values,
            row_idx,
            letters=letters,
            plain=self._style_id(row.style),
            quoted=lambda: self._style_id(row.style, None, True),
        )

    def _style_id(self, style, number_format=None, quoted=False) -> int:
        key = (style.tobytes(), number_format, quoted)
        if key not in self._style_ids:
            template = Cell(self.sheet, style_array=style)
            if number_format:
                template.number_format = number_format
            if quoted:
                template.quotePrefix = True
            self._style_ids[key] = template.style_id
        return self._style_ids[key]

    def _table_cells(self, row, row_idx):
        """The cells of one table row, through the one reused cell: the same values, number
        formats and text prefixes as `_cells` gives separate cells."""
        cell = self._cell
        cell.row = row_idx
        plain = self._style_id(row.style)
        for column, value in enumerate(row.values, start=1):
            number_format = None
            if isinstance(value, Formatted):
                value, number_format = value.value, value.number_format
            elif isinstance(value, TIME_TYPES):  # as openpyxl gives a date cell its format
                number_format = get_time_format(type(value))
            cell.column = column
            cell.value = value
            quoted = isinstance(value, str) and (
                cell.data_type != "s" or value.startswith(FORMULA_PREFIXES)
            )
            if quoted:
                cell.data_type = "s"
            cell.style_id = (
                self._style_id(row.style, number_format, quoted)
                if number_format or quoted
                else plain
            )
            yield cell

    def _cells(self, values, style, comments=()):
        cells = []
        for value in values:
            number_format = None
            if isinstance(value, Formatted):
                value, number_format = value.value, value.number_format
            cell = Cell(self.sheet, row=1, column=1, value=value, style_array=style)
            if number_format:
                cell.number_format = number_format
            write_as_text(cell)
            cells.append(cell)
        for cell, comment in zip(cells, comments, strict=False):
            if comment is not None:
                cell.comment = comment
        return cells

    def _append(self, cells):
        self.sheet.append(cells)
        self._rows += 1

    def title(self, text):
        self._append(self._cells([text], self._title))

    def ledger_title(self, subject, *, scope, as_of=None):
        """A printed ledger's title row: what it is, whose, and the day it stands at (today
        in Anji unless given)."""
        if as_of is None:
            as_of = anji_today()
        self.title(
            # Translators: title row of a ledger: 案件台账（递铺街道） 截至 2026年12月2日
            _("%(subject)s (%(scope)s), as of %(date)s")
            % {"subject": subject, "scope": scope, "date": date_format(as_of, "DATE_FORMAT")}
        )

    def header(self, values, *, comments=()):
        """The column names, printed again at the top of every page; `comments` (openpyxl
        Comments or None, in the same order) are shown on hovering over a name."""
        if self._numbered:
            # Translators: the first column of a printed table, 序号
            values = [pgettext("row number column", "No."), *values]
            comments = (None, *comments)
            self._number = 0
        self._append(self._cells(values, self._header, comments))
        if not self.sheet.print_title_rows:
            self.sheet.print_title_rows = f"{self._rows}:{self._rows}"

    def row(self, values, *, bordered=True):
        """A row of the table; unbordered for lines of text (instructions, lists)."""
        if bordered and self._numbered and self._number is not None:
            self._number += 1
            values = [self._number, *values]
        self._append(_TableRow(values, self._body if bordered else self._text))

    def blank(self):
        self._append([])


class _TableRow(list):
    """A row of values for `SheetWriter._table_cells` (a list, as openpyxl's append wants)."""

    def __init__(self, values, style):
        super().__init__()
        self.values = values
        self.style = style


class _RowXml(list):
    """A table row already written as XML (an empty list to openpyxl's bookkeeping)."""

    def __init__(self, xml):
        super().__init__()
        self.xml = xml


def new_workbook():
    return Workbook(write_only=True)


def save_workbook(workbook, handle) -> None:
    """Every workbook leaves the portal through here. A workbook not written row by row by
    `SheetWriter` (a user's own, handed back) has the text of each of its cells checked."""
    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    write_as_text(cell)
    workbook.save(handle)


def xlsx_response(workbook, filename):
    """Save to a temporary file and stream it; the Chinese file name survives every browser
    (Content-Disposition with filename*=UTF-8'')."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    save_workbook(workbook, handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


# Reading ----------------------------------------------------------------------------------------


def _stated_size(self):
    """ReadOnlyWorksheet._get_size, reading the sheet's head only. openpyxl looks for the size a
    sheet states (`<dimension>`, before the rows) with iterparse's end events, and the end of
    `<sheetData>` comes after the last row: a sheet that states no size (openpyxl's own
    write-only files, many generators) was parsed twice, once for nothing. Start events stop
    at the rows; a sheet that states no size still has none (the rows read are counted)."""
    with self._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                reference = element.get("ref", "")
                if ":" not in reference:
                    reference = f"{reference}:{reference}"
                with contextlib.suppress(ValueError, TypeError):
                    bounds = range_boundaries(reference)
                    if None not in bounds:
                        self._min_column, self._min_row, self._max_column, self._max_row = bounds
                return
            if element.tag == DATA_TAG:
                return


ReadOnlyWorksheet._get_size = _stated_size


def open_upload(file):
    """An uploaded workbook to read (read-only: it cannot be saved), with each formula's
    cached value, the value the user saw when saving it."""
    if hasattr(file, "seek"):
        file.seek(0)
    return load_workbook(file, read_only=True, data_only=True)


def open_to_hand_back(file):
    """A user's workbook to mark and hand back. Formulas are replaced by the values they had
    when the file was saved (the values the portal read): the portal hands out no formulas."""
    if hasattr(file, "seek"):
        file.seek(0)
    return load_workbook(file, data_only=True)


@dataclass
class SheetScan:
    """A sheet as openpyxl reads it with cached values, and what that reading hides.
    Rows and columns are numbered from 1, as in Excel."""

    rows: list = field(default_factory=list)  # (row number, values) of rows with any cell
    uncalculated: set = field(default_factory=set)  # (row, column): formula, no cached value
    errors: dict = field(default_factory=dict)  # (row, column) -> "#N/A", "#DIV/0!", ...
    merged: list = field(default_factory=list)  # (reference, min_col, min_row, max_col, max_row)
    hidden_rows: set = field(default_factory=set)
    hidden_columns: set = field(default_factory=set)


class _ScanningParser(WorkSheetParser):
    """openpyxl's parser of a sheet, as its read-only mode runs it with data_only, noting the
    formula cells that hold no cached value (data_only reads them as blank) and error values.
    A formula whose result is the empty text ("str" type, empty value) is a blank cell."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.uncalculated = set()
        self.errors = {}

    def parse_cell(self, element):
        if element.get("t") == "inlineStr" and not self.rich_text:
            cell = self._inline_string(element)
        else:
            cell = super().parse_cell(element)
        where = (cell["row"], cell["column"])
        if cell["value"] is None:
            if element.find(FORMULA_TAG) is not None and element.get("t") != "str":
                self.uncalculated.add(where)
        elif cell["data_type"] == "e":
            self.errors[where] = cell["value"]
        return cell

    def _inline_string(self, element):
        """WorkSheetParser.parse_cell for a text cell holding its text (how openpyxl's own and
        the portal's workbooks store text), without building openpyxl's rich-text objects: the
        plain text and the runs' texts, as Text.content joins them (phonetic guides left out)."""
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        value, data_type = None, "inlineStr"
        text = element.find(INLINE_STRING)
        if text is not None:
            data_type = "s"
            value = "".join(
                (part.text or "") if part.tag == _TEXT else (part.findtext(_TEXT) or "")
                for part in text
                if part.tag in (_TEXT, _RUN)
            )
        style_id = int(element.get("s", 0) or 0)
        return {
            "row": row,
            "column": column,
            "value": value,
            "data_type": data_type,
            "style_id": style_id,
        }


_TEXT, _RUN = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"


def _is_true(value) -> bool:
    return str(value).lower() in ("1", "true")


def scan_sheet(worksheet) -> SheetScan:
    """Read a sheet of a workbook from `open_upload` once, to its real end (whatever size the
    file claims), the way openpyxl's read-only worksheet reads it (ReadOnlyWorksheet.
    _cells_by_row), keeping what that throws away."""
    workbook = worksheet.parent
    scan = SheetScan()
    with worksheet._get_source() as source:
        parser = _ScanningParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            if not cells:
                continue
            values = [None] * cells[-1]["column"]
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            scan.rows.append((number, tuple(values)))
    scan.uncalculated = parser.uncalculated
    scan.errors = parser.errors
    scan.hidden_rows = {
        int(number)
        for number, attrs in parser.row_dimensions.items()
        if _is_true(attrs.get("hidden"))
    }
    for attrs in parser.column_dimensions.values():
        if _is_true(attrs.get("hidden")):
            scan.hidden_columns.update(range(int(attrs["min"]), int(attrs["max"]) + 1))
    if parser.merged_cells is not None:
        for merged in parser.merged_cells.mergeCell:
            scan.merged.append((merged.ref, *range_boundaries(merged.ref)))
    return scan
