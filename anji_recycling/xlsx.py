"""Writing .xlsx files: openpyxl's write-only mode (flat memory), streamed to the browser."""

import tempfile

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


class SheetWriter:
    """One write-only sheet: widths and frozen rows are set before the first row."""

    def __init__(self, workbook, title, *, widths, freeze="A2"):
        self.sheet = workbook.create_sheet(title=title)
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            self.sheet.freeze_panes = freeze

    def _cells(self, values, *, font=None, fill=None, border=True, wrap=True):
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value=value)
            if font:
                cell.font = font
            if fill:
                cell.fill = fill
            if border:
                cell.border = BORDER
            if wrap:
                cell.alignment = WRAP
            cells.append(cell)
        return cells

    def title(self, text):
        self.sheet.append(self._cells([text], font=TITLE_FONT, border=False, wrap=False))

    def header(self, values):
        self.sheet.append(self._cells(values, font=HEADER_FONT, fill=HEADER_FILL))

    def row(self, values):
        self.sheet.append(self._cells(values))

    def blank(self):
        self.sheet.append([])


def new_workbook():
    return Workbook(write_only=True)


def xlsx_response(workbook, filename):
    """Save to a temporary file and stream it; the Chinese file name survives every browser
    (Content-Disposition with filename*=UTF-8'')."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
