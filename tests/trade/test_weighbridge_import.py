"""过磅记录导入: weighbridge records uploaded as .xlsx run through the site roster's import jobs
and pages: checked in the background writing nothing, each problem given by row and column,
written on confirmation all rows or none; the same file twice records nothing twice; a row of
another township's sites is refused."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from sites import imports as site_imports
from sites.models import BackgroundJob
from tests.sites.test_import import upload
from trade import imports
from trade.models import Transfer

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def chinese_today():
    with translation.override("zh-hans"), time_machine.travel(TODAY, tick=False):
        yield


def weighbridge_bytes(rows, *, title=None, hidden_sheet=False, merge=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title or imports.sheet_title()
    sheet.append([column.header for column in imports.COLUMNS])
    for row in rows:
        sheet.append([row.get(column.key) for column in imports.COLUMNS])
    if hidden_sheet:
        workbook.create_sheet("备用").sheet_state = "hidden"
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ticket(number, network, **changes):
    return {
        "ticket": f"DP{number:04d}",
        "date": dt.date(2026, 3, 10),
        "from_code": network.dipu_point.code,
        "to_code": network.dipu_station.code,
        "material": "废纸",
        "weight": 1250.5,
        "price": 1500,
        **changes,
    }


def check(content, user):
    return imports.parse_and_check(upload(content, "过磅记录.xlsx"), user=user)


def test_a_good_file_records_every_ticket(network, dipu_officer):
    content = weighbridge_bytes([ticket(1, network), ticket(2, network, weight=800)])
    result = check(content, dipu_officer)
    assert result.ok, result.problems
    assert result.summary["transfers"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert not Transfer.objects.exists()  # the check writes nothing

    counts = imports.apply_import(result, actor=dipu_officer)

    assert counts == {"transfers": {"created": 2, "updated": 0, "unchanged": 0}}
    first = Transfer.objects.get(weighbridge_ticket="DP0001")
    assert (first.weight_kg, first.amount, first.entered_by) == (
        Decimal("1250.50"),
        Decimal("1875.75"),
        dipu_officer,
    )
    assert first.history.count() == 1


def test_one_bad_row_is_given_by_row_and_column_and_nothing_is_written(network, dipu_officer):
    content = weighbridge_bytes(
        [ticket(1, network), ticket(2, network, weight=-5), ticket(3, network)]
    )
    result = check(content, dipu_officer)

    assert not result.ok
    assert [(p.row, p.column, p.header) for p in result.problems] == [(3, "G", "净重（公斤）")]
    assert "大于0" in result.problems[0].message
    assert "第3行" in str(result.problems[0])
    with pytest.raises(Exception, match="未导入"):
        imports.apply_import(result, actor=dipu_officer)
    assert not Transfer.objects.exists()


def test_the_market_rules_reach_their_column(network, dipu_officer):
    rows = [
        ticket(1, network, to_code=network.centre.code),  # a point does not deliver to the centre
        ticket(2, network, date=dt.date(2026, 4, 1)),  # in the future
        ticket(3, network, material="废电池"),  # the station does not handle it
        ticket(4, network, from_code="NO-SUCH"),
        ticket(5, network, price=0),  # no reason
    ]
    problems = check(weighbridge_bytes(rows), dipu_officer).problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "D"),
        (3, "B"),
        (4, "E"),
        (5, "C"),
        (6, "I"),
    ]
    assert not Transfer.objects.exists()


def test_importing_the_same_file_again_records_nothing_twice(network, dipu_officer):
    content = weighbridge_bytes([ticket(1, network), ticket(2, network)])
    imports.apply_import(check(content, dipu_officer), actor=dipu_officer)

    again = check(content, dipu_officer)
    assert again.summary["transfers"] == {"created": 0, "updated": 0, "unchanged": 2}
    imports.apply_import(again, actor=dipu_officer)
    assert Transfer.objects.count() == 2

    corrected = weighbridge_bytes([ticket(1, network, weight=999), ticket(2, network)])
    result = check(corrected, dipu_officer)
    assert result.summary["transfers"] == {"created": 0, "updated": 1, "unchanged": 1}
    imports.apply_import(result, actor=dipu_officer)
    assert Transfer.objects.count() == 2
    assert Transfer.objects.get(weighbridge_ticket="DP0001").weight_kg == Decimal("999.00")


def test_a_ticket_twice_in_one_file_is_a_problem(network, dipu_officer):
    problems = check(weighbridge_bytes([ticket(1, network), ticket(1, network)]), dipu_officer)
    assert [(p.row, p.column) for p in problems.problems] == [(3, "A")]


def test_another_townships_sites_are_refused(network, dipu_officer):
    rows = [
        ticket(1, network),
        ticket(2, network, from_code=network.cs_point.code, to_code=network.cs_station.code),
    ]
    result = check(weighbridge_bytes(rows), dipu_officer)
    assert [(p.row, p.column) for p in result.problems] == [(3, "D")]
    assert "不在您的辖区内" in result.problems[0].message
    assert not Transfer.objects.exists()


def test_hidden_sheets_and_merged_cells_are_refused_as_for_the_roster(network, dipu_officer):
    with pytest.raises(Exception, match="隐藏"):
        check(weighbridge_bytes([ticket(1, network)], hidden_sheet=True), dipu_officer)
    merged = check(
        weighbridge_bytes([ticket(1, network), ticket(2, network)], merge="G2:G3"), dipu_officer
    )
    assert {(p.row, p.column) for p in merged.problems} == {(2, "G"), (3, "G")}
    assert "合并" in merged.problems[0].message


def test_the_upload_runs_in_the_roster_jobs_and_pages(
    client, network, dipu_officer, django_capture_on_commit_callbacks
):
    client.force_login(dipu_officer)
    page = client.get(reverse("trade:transfer-import"))
    assert page.status_code == 200
    template = client.get(reverse("trade:transfer-import-template"))
    assert load_workbook(io.BytesIO(b"".join(template.streaming_content))).sheetnames == [
        "过磅记录"
    ]

    content = weighbridge_bytes([ticket(1, network), ticket(2, network, weight=0)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trade:transfer-import"), {"file": upload(content, "三月过磅.xlsx")}
        )
    job = BackgroundJob.objects.get()
    assert job.kind == BackgroundJob.Kind.WEIGHBRIDGE_IMPORT
    assert response["Location"] == reverse("sites:job-status", args=[job.pk])
    review = client.get(reverse("sites:import-review", args=[job.pk]))
    text = review.content.decode()
    assert "交售" in text and "净重（公斤）" in text
    marked = client.get(reverse("sites:import-marked", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(marked.streaming_content)))["过磅记录"]
    assert sheet["G3"].comment is not None
    assert not Transfer.objects.exists()

    good = weighbridge_bytes([ticket(1, network), ticket(2, network)])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trade:transfer-import"), {"file": upload(good, "三月过磅.xlsx")})
    job = BackgroundJob.objects.latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("sites:import-review", args=[job.pk]))
    assert confirmed.status_code == 302
    assert Transfer.objects.count() == 2
    status = client.get(reverse("sites:job-status", args=[job.pk])).content.decode()
    assert reverse("trade:transfer-list") in status


def test_a_role_that_records_no_transfers_may_not_upload(client, users_by_role):
    from accounts.choices import Role

    client.force_login(users_by_role[Role.LEADER])
    assert client.get(reverse("trade:transfer-import")).status_code == 403
    assert site_imports.import_limits()["rows"] > 0


def test_a_formula_without_a_calculated_result_is_reported_as_such(network, dipu_officer):
    """A weighbridge program that writes formulas and no results: the cell says so."""
    result = check(weighbridge_bytes([ticket(1, network, weight="=1200+50.5")]), dipu_officer)
    assert [(p.row, p.column) for p in result.problems] == [(2, "G")]
    assert "公式没有计算结果，请在 Excel 中保存后再上传" in result.problems[0].message
    assert "请填写" not in result.problems[0].message


def test_a_file_over_the_size_limit_is_refused_at_once_naming_the_limit(
    client, network, dipu_officer, settings, monkeypatch
):
    import zipfile

    from tests.sites.test_import_background import nothing_may_read_a_workbook

    settings.IMPORT_MAX_BYTES = 1024 * 1024
    nothing_may_read_a_workbook(monkeypatch)
    too_large = io.BytesIO()
    with zipfile.ZipFile(too_large, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("filler", b"x" * (1024 * 1024 + 1))
    client.force_login(dipu_officer)

    response = client.post(
        reverse("trade:transfer-import"), {"file": upload(too_large.getvalue(), "全年过磅.xlsx")}
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["file"]
    assert message == "全年过磅.xlsx 超过平台可导入的最大文件大小 1 MB：请拆分为多个文件。"
    assert not BackgroundJob.objects.exists()


def test_a_file_over_the_row_limit_is_answered_at_once_and_refused_by_its_check(
    client, network, dipu_officer, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ROWS = 2
    content = weighbridge_bytes([ticket(number, network) for number in range(1, 4)])
    client.force_login(dipu_officer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("trade:transfer-import"), {"file": upload(content)})
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("sites:job-status", args=[job.pk])
    assert job.state == BackgroundJob.State.PENDING  # answered before anything was read
    for callback in queued:
        callback()

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED
    assert (
        job.message == "工作簿有 3 行，超过平台一次可导入的 2 行：请拆分为每个不超过 2 行的文件。"
    )
    assert not Transfer.objects.exists()
