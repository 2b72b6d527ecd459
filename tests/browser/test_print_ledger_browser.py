"""Printing a ledger (issue #17): a township officer downloads 案件台账 from the case list in the
browser and the workbook, opened with openpyxl, prints as officials expect: a title row with the
scope and 截至 date, the header row repeated on every page, landscape, one page wide, and
第 &P 页 共 &N 页 below."""

import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from tests.factories import make_user

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_case_ledger_downloaded_in_the_browser_prints_landscape_fitted_and_numbered(
    browser_page, reported_cases, tmp_path
):
    page = browser_page
    officer = make_user(Role.TOWNSHIP_OFFICER, username="ledger-dipu", township_code="330523001")
    log_in(page, officer)
    page.goto(reverse("inspections:case-list"))
    with page.expect_download() as download:
        page.click(f"a[href^='{reverse('inspections:case-ledger')}']")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"

    sheet = load_workbook(path).worksheets[0]
    assert re.fullmatch(r"案件台账（递铺街道） 截至 \d{4}年\d{1,2}月\d{1,2}日", sheet["A1"].value)
    assert sheet.print_title_rows == "$2:$2"
    assert sheet["A2"].value == "序号"
    assert [sheet.cell(row=row, column=1).value for row in (3, 4)] == [1, 2]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert page.errors == []
