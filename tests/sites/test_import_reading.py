"""Importing sees every cell as the user sees it, through the real upload page: a hidden sheet
refuses the workbook, naming it; hidden rows and columns, merged cells, formulas without a
calculated result and error values are reported as what they are, on their row and column
(never as "请填写此单元格"), and nothing is written. A formula with a calculated result imports
that result, the value the user saw."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from anji_recycling.xlsx import open_upload, scan_sheet
from sites import exports
from sites.models import BackgroundJob, Site
from tests.factories import make_site
from tests.sites.test_import import letter, registry_counts, site_row, upload

pytestmark = pytest.mark.django_db

NAME = letter(exports.SITE_COLUMNS, "name")  # B, required
NOTE = letter(exports.SITE_COLUMNS, "note")
FILL_IN = "请填写此单元格"
NO_RESULT = "公式没有计算结果，请在 Excel 中保存后再上传"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def station(commerce_admin):
    return make_site(actor=commerce_admin, tier=2, name="递铺街道中转分拣站")


def roster(rows, *, title="站点") -> Workbook:
    """A 站点 sheet as a user fills it in: the headers in row 1, the rows from row 2."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([column.header for column in exports.SITE_COLUMNS])
    for row in rows:
        sheet.append([row.get(column.key) for column in exports.SITE_COLUMNS])
    return workbook


def three_points(station):
    return [site_row(number, parent_code=station.code) for number in (1, 2, 3)]  # rows 2-4


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_values(content: bytes, values: dict) -> bytes:
    """The file as Excel saves it: each formula cell of the first sheet also holding the value
    it calculated (openpyxl writes formulas without one). Text results are of type "str"."""

    def edit(xml):
        for coordinate, value in values.items():
            kind = ' t="str"' if isinstance(value, str) else ""
            if value in ("#N/A", "#DIV/0!"):
                kind = ' t="e"'
            xml, found = re.subn(
                rf'<c r="{coordinate}"([^>]*)>(<f>.*?</f>)<v\s*/>',
                rf'<c r="{coordinate}"\1{kind}>\2<v>{value}</v>',
                xml,
            )
            assert found == 1, coordinate
        return xml

    return with_first_sheet_edited(content, edit)


def with_first_sheet_edited(content: bytes, edit) -> bytes:
    """The file with its first sheet's XML passed through `edit`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            copy.writestr(item, data)
    return target.getvalue()


def upload_page(client, user, content, django_capture_on_commit_callbacks):
    """Upload through the page as the user does; the check runs in the background (here once
    the request has committed); then what the user sees next."""
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sites:import"), {"file": upload(content)})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    return response


def problems_shown(response):
    return [(p.sheet, p.row, p.column, p.message) for p in response.context["problems"]]


@pytest.fixture
def import_page(client, commerce_admin, station, django_capture_on_commit_callbacks):
    """Upload a workbook; the page the user sees, checking that nothing was written."""
    before = registry_counts()

    def send(content):
        response = upload_page(client, commerce_admin, content, django_capture_on_commit_callbacks)
        assert registry_counts() == before
        return response

    return send


# Hidden sheets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("hidden", "被隐藏，看不到的行不能导入"),
        ("veryHidden", "被深度隐藏（在 Excel 中无法取消隐藏）"),
    ],
)
def test_a_hidden_roster_sheet_refuses_the_workbook_naming_it(import_page, station, state, words):
    workbook = roster(three_points(station))
    workbook.create_sheet("说明")  # a visible sheet: Excel keeps at least one
    workbook["站点"].sheet_state = state

    page = import_page(to_bytes(workbook)).content.decode()

    assert f"工作表“站点”{words}" in page
    assert not BackgroundJob.objects.filter(state=BackgroundJob.State.DONE).exists()


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("hidden", "工作簿中有隐藏的工作表“旧数据”"),
        ("veryHidden", "工作簿中有深度隐藏的工作表“旧数据”"),
    ],
)
def test_an_extra_hidden_sheet_refuses_the_workbook_naming_it(import_page, station, state, words):
    workbook = roster(three_points(station))
    workbook.create_sheet("旧数据").sheet_state = state

    page = import_page(to_bytes(workbook)).content.decode()

    assert words in page


def test_every_hidden_sheet_is_named(import_page, station):
    workbook = roster(three_points(station))
    workbook.create_sheet("甲").sheet_state = "hidden"
    workbook.create_sheet("乙").sheet_state = "veryHidden"

    page = import_page(to_bytes(workbook)).content.decode()

    assert "隐藏的工作表“甲”" in page and "深度隐藏的工作表“乙”" in page


# Hidden rows and columns: reported on their row or column ---------------------------------------


def test_a_hidden_row_with_data_is_reported_on_its_row(import_page, station):
    workbook = roster(three_points(station))
    sheet = workbook["站点"]
    sheet.row_dimensions[3].hidden = True
    sheet.row_dimensions[9].hidden = True  # blank: nothing to import there

    response = import_page(to_bytes(workbook))

    assert problems_shown(response) == [
        ("站点", 3, "", "此行被隐藏：请取消隐藏（或清除筛选），核对后重新上传。")
    ]


def test_rows_hidden_by_a_filter_are_reported_too(import_page, station):
    workbook = roster(three_points(station))
    sheet = workbook["站点"]
    sheet.auto_filter.ref = sheet.dimensions
    sheet.row_dimensions[2].hidden = True
    sheet.row_dimensions[4].hidden = True

    response = import_page(to_bytes(workbook))

    assert [(row, column) for _sheet, row, column, _message in problems_shown(response)] == [
        (2, ""),
        (4, ""),
    ]


def test_a_hidden_column_the_import_reads_is_reported_on_the_header_row(import_page, station):
    rows = three_points(station)
    rows[1]["note"] = "看不见的备注"
    workbook = roster(rows)
    sheet = workbook["站点"]
    sheet.column_dimensions[NOTE].hidden = True
    sheet.column_dimensions["Z"].hidden = True  # no roster column there: not read, not reported

    response = import_page(to_bytes(workbook))

    assert problems_shown(response) == [
        ("站点", 1, NOTE, "此列被隐藏：请取消隐藏，核对其中的单元格后重新上传。")
    ]


# Merged cells, formulas and error values: reported as what they are -----------------------------


def test_merged_cells_are_reported_as_merged_not_as_blank(import_page, station):
    workbook = roster(three_points(station))
    workbook["站点"].merge_cells(f"{NAME}3:{NAME}4")

    response = import_page(to_bytes(workbook))

    message = f"合并单元格（{NAME}3:{NAME}4）：请取消合并，在每一行各自的单元格中填写。"
    assert problems_shown(response) == [("站点", 3, NAME, message), ("站点", 4, NAME, message)]
    assert FILL_IN not in response.content.decode()


def test_a_formula_without_a_calculated_result_is_reported_as_such(import_page, station):
    rows = three_points(station)
    rows[1]["name"] = '=CONCATENATE("长乐社区","回收点")'  # row 3, as a script writes it
    rows[2]["note"] = "=B2"  # row 4: an optional column
    response = import_page(to_bytes(roster(rows)))

    assert problems_shown(response) == [
        ("站点", 3, NAME, f"{NO_RESULT}。"),
        ("站点", 4, NOTE, f"{NO_RESULT}。"),
    ]
    assert FILL_IN not in response.content.decode()


def test_a_formula_whose_result_is_empty_text_is_a_blank_cell(import_page, station):
    rows = three_points(station)
    rows[0]["note"] = '=IF(1=1,"","x")'
    content = with_cached_values(to_bytes(roster(rows)), {f"{NOTE}2": ""})

    response = import_page(content)

    assert problems_shown(response) == []
    assert response.context["can_confirm"] is True


def test_an_error_value_is_reported_with_the_error(import_page, station):
    rows = three_points(station)
    rows[0]["name"] = "=VLOOKUP(1,A1:A2,2,FALSE)"
    content = with_cached_values(to_bytes(roster(rows)), {f"{NAME}2": "#N/A"})

    response = import_page(content)

    assert problems_shown(response) == [
        ("站点", 2, NAME, "单元格为错误值 #N/A：请改正公式或数值。")
    ]


def test_a_formula_with_a_calculated_result_imports_that_result(
    client, commerce_admin, station, django_capture_on_commit_callbacks
):
    rows = three_points(station)
    rows[0]["name"] = '=CONCATENATE("长乐社区","公式回收点")'
    rows[0]["floor_area"] = "=20+10"
    content = with_cached_values(
        to_bytes(roster(rows)),
        {f"{NAME}2": "长乐社区公式回收点", f"{letter(exports.SITE_COLUMNS, 'floor_area')}2": 30},
    )

    review = upload_page(client, commerce_admin, content, django_capture_on_commit_callbacks)
    assert problems_shown(review) == []
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.ROSTER_IMPORT)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sites:import-review", args=[job.pk]))

    site = Site.objects.get(name="长乐社区公式回收点")
    assert site.floor_area == 30
    assert not Site.objects.filter(name__startswith="=").exists()


# The workbook handed back shows every mark -------------------------------------------------------


def test_the_marked_workbook_shows_hidden_rows_unmerges_cells_and_holds_no_formulas(
    import_page, client, station
):
    rows = three_points(station)
    rows[0]["note"] = "=1+1"  # row 2: calculated, 2
    rows[2]["note"] = "=B3"  # row 4: no result
    workbook = roster(rows)
    sheet = workbook["站点"]
    sheet.row_dimensions[3].hidden = True
    sheet.merge_cells(f"{NAME}4:{letter(exports.SITE_COLUMNS, 'tier')}4")
    content = with_cached_values(to_bytes(workbook), {f"{NOTE}2": 2})
    import_page(content)
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.ROSTER_IMPORT)

    response = client.get(reverse("sites:import-marked", args=[job.pk]))

    marked = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["站点"]
    assert marked.row_dimensions[3].hidden is False
    assert not marked.merged_cells.ranges
    assert marked[f"{NAME}4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert marked[f"{NOTE}2"].value == 2
    assert marked[f"{NOTE}4"].comment.text.startswith(NO_RESULT)
    assert all(cell.data_type != "f" for row in marked.iter_rows() for cell in row)


# The reading itself ----------------------------------------------------------------------------


def test_scanning_reads_the_values_openpyxl_reads(station):
    """scan_sheet runs openpyxl's own sheet parser as its read-only mode does: the same values,
    dates, numbers, booleans and strings included, on the same rows."""
    rows = three_points(station)
    rows[0] |= {"latitude": Decimal("30.659"), "daily_capacity": 1.25, "dual_use": True}
    workbook = roster(rows)
    workbook["站点"]["Z9"] = dt.datetime(2026, 3, 1, 8, 30)  # noqa: DTZ001 - Excel has no zones
    book = open_upload(io.BytesIO(to_bytes(workbook)))
    expected = {
        number: values
        for number, values in enumerate(book["站点"].iter_rows(values_only=True), start=1)
        if any(value is not None for value in values)
    }

    scan = scan_sheet(book["站点"])

    width = len(next(iter(expected.values())))
    assert {number: values + (None,) * (width - len(values)) for number, values in scan.rows} == (
        expected
    )
    assert list(expected) == [1, 2, 3, 4, 9]


def with_sheet_xml(content: bytes, sheet_data: str, *, dimension: str = "") -> bytes:
    """The file with its first sheet's rows replaced (and its stated size, or none)."""

    def edit(xml):
        xml = re.sub(r"<dimension[^>]*/>", dimension, xml)
        return re.sub(r"<sheetData>.*</sheetData>|<sheetData\s*/>", sheet_data, xml)

    return with_first_sheet_edited(content, edit)


INLINE_ROWS = (
    "<sheetData>"
    '<row r="1"><c r="A1" t="inlineStr"><is><t>plain 文字</t></is></c>'
    '<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>粗</t></r><r><t xml:space="preserve">'
    ' 体 </t></r><rPh sb="0" eb="1"><t>cu</t></rPh></is></c>'
    '<c r="C1" t="inlineStr"><is><t/></is></c><c r="D1" t="inlineStr"/>'
    '<c t="inlineStr" s="0"><is><t>no reference</t></is></c></row>'
    '<row r="3"><c r="B3" t="inlineStr"><is><t>=1+1</t></is></c><c r="C3"><v>2.5</v></c></row>'
    "</sheetData>"
)


@pytest.mark.parametrize("dimension", ["", '<dimension ref="A1:E3"/>'])
def test_inline_text_reads_as_openpyxl_reads_it_with_or_without_a_stated_size(dimension):
    """Text stored in the cell (runs and phonetic guides too) reads as openpyxl's rich-text
    objects give it; the size a sheet states is read from its head, and a sheet stating none
    still reads to its end."""
    content = with_sheet_xml(to_bytes(Workbook()), INLINE_ROWS, dimension=dimension)
    book = open_upload(io.BytesIO(content))
    sheet = book.worksheets[0]
    expected = {
        number: values
        for number, values in enumerate(
            load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True), 1
        )
        if any(value is not None for value in values)
    }

    scan = scan_sheet(sheet)

    assert dict(scan.rows) == {
        1: ("plain 文字", "粗 体 ", "", None, "no reference"),
        3: (None, "=1+1", 2.5),
    }
    assert dict(scan.rows)[1] == expected[1]  # openpyxl's own reading of the same cells
    assert sheet.max_row == (3 if dimension else None)
