"""The shared writer (anji_recycling/xlsx.py): text that a spreadsheet would take for a formula
is written as text, as entered; numbers, dates and booleans keep their type; each style is
looked up once per sheet, not once per cell; the layout keeps its fonts, fills and borders."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles.styleable import StyleDescriptor

from anji_recycling.xlsx import SheetWriter, new_workbook, save_workbook

FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "#N/A"]


def written(build) -> Workbook:
    workbook = new_workbook()
    build(workbook)
    buffer = io.BytesIO()
    save_workbook(workbook, buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def one_row(values):
    def build(workbook):
        SheetWriter(workbook, "表", widths=[10] * len(values)).row(values)

    return [cell for cell in written(build)["表"][1]]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_text_a_spreadsheet_would_take_for_a_formula_is_text_as_entered(text):
    (cell,) = one_row([text])

    assert cell.data_type == "s"
    assert cell.quotePrefix is True  # Excel and WPS keep it text when the cell is edited
    assert cell.value == text.replace("\r", "\n")  # in .xlsx a carriage return is a line break


def test_formula_like_text_anywhere_in_a_row_title_or_header_is_text():
    def build(workbook):
        sheet = SheetWriter(workbook, "表", widths=[10, 10])
        sheet.title("=1+1")
        sheet.header(["名称", "=SUM(A1:A9)"])
        sheet.row(["安吉", "@A1"])

    cells = [cell for row in written(build)["表"].iter_rows() for cell in row if cell.value]
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert {c.value for c in cells if c.quotePrefix} == {"=1+1", "=SUM(A1:A9)", "@A1"}


def test_ordinary_text_is_left_alone():
    (cell,) = one_row(["递铺街道长乐社区1号"])

    assert (cell.data_type, cell.quotePrefix, cell.value) == ("s", False, "递铺街道长乐社区1号")


def test_numbers_dates_and_booleans_keep_their_type():
    values = [Decimal("-2.50"), -3, 0, 1.25, dt.date(2026, 3, 1), True, None]

    cells = one_row(values)

    assert [cell.value for cell in cells[:4]] == [Decimal("-2.5"), -3, 0, 1.25]
    assert all(cell.data_type == "n" and not cell.quotePrefix for cell in cells[:4])
    assert cells[4].is_date and cells[4].value == dt.datetime(2026, 3, 1)  # noqa: DTZ001
    assert cells[5].value is True
    assert cells[6].value is None


def test_a_workbook_not_written_row_by_row_has_every_cell_checked_when_saved():
    workbook = Workbook()  # as a user's own workbook is, handed back marked
    workbook.active["A1"] = '=HYPERLINK("http://x","y")'
    workbook.active["B2"] = "-2+3"
    workbook.active["C3"] = -5
    buffer = io.BytesIO()

    save_workbook(workbook, buffer)

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert (sheet["A1"].data_type, sheet["A1"].quotePrefix) == ("s", True)
    assert sheet["A1"].value == '=HYPERLINK("http://x","y")'
    assert sheet["B2"].quotePrefix is True
    assert (sheet["C3"].data_type, sheet["C3"].value) == ("n", -5)


def test_the_layout_keeps_its_fonts_fills_borders_and_widths():
    def build(workbook):
        sheet = SheetWriter(workbook, "表", widths=[30, 12])
        sheet.title("标题")
        sheet.header(["名称", "数量"])
        sheet.row(["=1", 3])
        sheet.row(["说明文字"], bordered=False)

    sheet = written(build)["表"]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14 and not sheet["A1"].border.left.style
    assert sheet["A2"].font.b and sheet["A2"].fill.fgColor.rgb.endswith("DDEBF7")
    assert sheet["B3"].border.left.style == "thin" and sheet["B3"].alignment.wrap_text
    assert sheet["A3"].border.left.style == "thin" and sheet["A3"].quotePrefix
    assert sheet["A4"].alignment.wrap_text and not sheet["A4"].border.left.style
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.freeze_panes == "A2"


def test_each_style_is_looked_up_once_per_sheet_not_once_per_cell(monkeypatch):
    """Looking a font or border up in the workbook's list hashes it: done per cell it took
    more time than everything else in a large roster."""
    lookups = []
    original = StyleDescriptor.__set__

    def counting(self, instance, value):
        lookups.append(self.key)
        original(self, instance, value)

    monkeypatch.setattr(StyleDescriptor, "__set__", counting)

    def roster(rows):
        lookups.clear()
        workbook = new_workbook()
        sheet = SheetWriter(workbook, "表", widths=[10] * 5)
        sheet.header(["甲", "乙", "丙", "丁", "戊"])
        for number in range(rows):
            sheet.row([number, "名称", Decimal("1.5"), None, "=1"])
        save_workbook(workbook, io.BytesIO())
        return len(lookups)

    assert roster(1) == roster(200)


def test_the_header_row_repeats_on_every_printed_page_below_the_title():
    def build(workbook):
        sheet = SheetWriter(workbook, "表", widths=[10, 10], freeze="A3")
        sheet.title("安吉县再生资源回收站点名录")
        sheet.header(["名称", "地址"])
        for number in range(200):
            sheet.row([f"站点{number}", "递铺街道"])

    sheet = written(build)["表"]

    assert sheet.print_title_rows == "$2:$2"
    assert [cell.value for cell in sheet[2]] == ["名称", "地址"]


def sheet_xml(workbook_bytes: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_rows_written_as_xml_are_the_cells_openpyxl_writes(monkeypatch):
    """A row of plain values is written in one string: byte for byte what openpyxl's own
    cells give (its path is taken where lxml is installed)."""
    rows = [
        [*FORMULA_LIKE, "普通文字", " 前后空格 ", "a & b < c > d", "", None],
        [0, -12, Decimal("30.659123"), Decimal("-2.50"), 1.5, True, False, 10**12, "x" * 40000],
        ["line\nbreak", "=", "#DIV/0!", "'quoted", "tab\tinside"],
    ]

    def build():
        workbook = new_workbook()
        sheet = SheetWriter(workbook, "表", widths=[10] * 12, numbered=True)
        sheet.header(["甲", "乙"])
        for values in rows:
            sheet.row(values)
        sheet.row(["unbordered", None], bordered=False)
        buffer = io.BytesIO()
        save_workbook(workbook, buffer)
        return sheet_xml(buffer.getvalue())

    as_xml = build()
    monkeypatch.setattr("anji_recycling.xlsx.LXML", True)  # openpyxl's cells, as with lxml
    assert as_xml == build()
