"""No upload makes the user wait on the request: the request stores the file and queues its
check; the check runs in the background with the progress page, then the user confirms and
the writing runs in the background too. A file over the limits (settings.IMPORT_MAX_BYTES,
settings.IMPORT_MAX_ROWS) is refused, naming the limit."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl.utils import get_column_letter

from anji_recycling import xlsx
from sites import exports, imports, jobs
from sites.imports import reading
from sites.jobs import JobProgress
from sites.models import BackgroundJob, Site
from tests.sites.test_import import site_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def rows(count):
    return workbook_bytes(sites=[site_row(number) for number in range(1, count + 1)])


def nothing_may_read_a_workbook(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the request read the workbook")

    monkeypatch.setattr(imports, "parse_and_check", refuse)
    monkeypatch.setattr(reading, "open_upload", refuse)
    monkeypatch.setattr(xlsx, "load_workbook", refuse)


def test_the_upload_is_answered_without_reading_the_workbook(
    client, commerce_admin, monkeypatch, django_capture_on_commit_callbacks
):
    from sites import tasks

    queued = []
    monkeypatch.setattr(tasks.check_roster_import, "delay", lambda **kw: queued.append(kw))
    nothing_may_read_a_workbook(monkeypatch)
    client.force_login(commerce_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sites:import"), {"file": upload(rows(3), "名单.xlsx")})

    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sites:job-status", args=[job.pk])
    assert (job.state, job.result["stage"], job.result["filename"]) == (
        BackgroundJob.State.PENDING,
        "uploaded",
        "名单.xlsx",
    )
    assert job.input_file
    assert queued == [{"job_id": job.pk}]  # the check is the worker's
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-job-refresh="2000"' in page.content.decode()
    assert "正在逐行校验文件" in page.content.decode()
    # The review waits for the check.
    review = client.get(reverse("sites:import-review", args=[job.pk]))
    assert review["Location"] == reverse("sites:job-status", args=[job.pk])


def test_the_check_runs_in_the_job_and_reports_its_progress(
    commerce_admin, monkeypatch, django_capture_on_commit_callbacks
):
    written = []
    real_write = JobProgress._write

    def record(self, **values):
        written.append(values)
        real_write(self, **values)

    monkeypatch.setattr(JobProgress, "_write", record)
    monkeypatch.setattr(jobs, "IMPORT_PROGRESS_EVERY", 2)

    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_import(upload=upload(rows(5)), user=commerce_admin)

    job.refresh_from_db()
    assert written[0] == {"done": 0, "total": 0}
    assert {"done": 0, "total": 5} in written  # once the rows are read
    assert [values["done"] for values in written[2:]] == [2, 4]
    assert (job.done, job.total, job.result["stage"]) == (5, 5, "checked")
    assert job.state == BackgroundJob.State.PENDING  # waiting for its owner
    assert job.result["summary"]["sites"]["created"] == 5
    assert not Site.objects.exists()


def test_a_file_over_the_size_limit_is_refused_at_once_naming_the_limit(
    client, commerce_admin, settings, monkeypatch
):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    nothing_may_read_a_workbook(monkeypatch)
    client.force_login(commerce_admin)
    too_large = io.BytesIO()
    with zipfile.ZipFile(too_large, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("filler", b"x" * (1024 * 1024 + 1))

    response = client.post(
        reverse("sites:import"), {"file": upload(too_large.getvalue(), "大名单.xlsx")}
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["file"]
    assert message == "大名单.xlsx 超过平台可导入的最大文件大小 1 MB：请拆分为多个文件。"
    assert not BackgroundJob.objects.exists()


def test_the_upload_page_states_the_limits(client, commerce_admin):
    client.force_login(commerce_admin)

    page = client.get(reverse("sites:import")).content.decode()

    assert "每个文件最大 20 MB、最多 50000 行" in page


def refused_check(client, user, content, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("sites:import"), {"file": upload(content)})
    job = BackgroundJob.objects.get()
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain == []  # the job's page: nothing to review
    return job, page.content.decode()


def test_a_workbook_over_the_row_limit_is_refused_by_its_stated_size_before_reading_rows(
    client, commerce_admin, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ROWS = 4

    def refuse(*args, **kwargs):
        raise AssertionError("rows were read")

    monkeypatch.setattr(reading, "scan_sheet", refuse)

    job, page = refused_check(client, commerce_admin, rows(5), django_capture_on_commit_callbacks)

    job.refresh_from_db()
    message = "工作簿有 5 行，超过平台一次可导入的 4 行：请拆分为每个不超过 4 行的文件。"
    assert (job.state, job.result["stage"], job.message) == (
        BackgroundJob.State.FAILED,
        "refused",
        message,
    )
    assert message in page
    assert reverse("sites:import") in page  # upload another file
    assert "data-job-refresh" not in page


def without_stated_size(content: bytes) -> bytes:
    """The workbook as some programs write it: no <dimension> in the sheet."""
    target = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, found = re.subn(rb"<dimension [^>]*/>", b"", data)
                assert found == 1
            copy.writestr(item, data)
    return target.getvalue()


def test_a_workbook_that_states_no_size_is_refused_once_its_rows_are_counted(
    client, commerce_admin, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ROWS = 4

    job, page = refused_check(
        client, commerce_admin, without_stated_size(rows(5)), django_capture_on_commit_callbacks
    )

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED
    assert "超过平台一次可导入的 4 行" in job.message
    assert not Site.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_by_the_check_with_its_reason(
    client, commerce_admin, django_capture_on_commit_callbacks
):
    """A zip archive that is no workbook gets as far as the background check."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as content:
        content.writestr("readme.txt", "不是 Excel")

    job, page = refused_check(
        client, commerce_admin, archive.getvalue(), django_capture_on_commit_callbacks
    )

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED
    assert "站点花名册.xlsx 不是可读取的 Excel 工作簿" in page  # the user's name of it


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def a_large_roster(data_rows: int) -> bytes:
    """A 站点 sheet of many rows, written as Excel writes it (a stated size, inline text),
    without openpyxl: a second instead of a minute."""
    headers = [column.header for column in exports.SITE_COLUMNS]
    last = get_column_letter(len(headers))

    def row(number, values):
        cells = "".join(
            f'<c r="{get_column_letter(index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for index, value in enumerate(values, start=1)
        )
        return f'<row r="{number}">{cells}</row>'

    body = [row(1, headers)]
    body += [row(n, [f"长乐社区回收点{n}", "三级回收网点"]) for n in range(2, data_rows + 2)]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:{last}{data_rows + 1}"/>'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
            f'<sheet name="{exports.site_sheet_title()}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE}/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return target.getvalue()


def test_a_roster_over_fifty_thousand_rows_is_answered_at_once_and_refused_by_its_check(
    client, commerce_admin, monkeypatch, django_capture_on_commit_callbacks
):
    """With the default limits: the upload of 50,001 rows is stored and answered; the check
    refuses it from the size the sheet states, before reading a row."""
    content = a_large_roster(50001)

    def refuse(*args, **kwargs):
        raise AssertionError("rows were read")

    monkeypatch.setattr(reading, "scan_sheet", refuse)

    job, page = refused_check(client, commerce_admin, content, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED
    assert job.message == (
        "工作簿有 50001 行，超过平台一次可导入的 50000 行：请拆分为每个不超过 50000 行的文件。"
    )
    assert job.message in page


def test_a_roster_of_many_rows_is_checked_in_the_background(
    commerce_admin, django_capture_on_commit_callbacks
):
    """The same kind of file under the limit is read and checked row by row by the job."""
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_import(upload=upload(a_large_roster(2000)), user=commerce_admin)

    job.refresh_from_db()
    assert (job.state, job.result["stage"], job.done, job.total) == (
        BackgroundJob.State.FAILED,  # every row lacks its township and the rest
        "checked",
        2000,
        2000,
    )
    assert job.result["summary"]["rows_with_problems"] == 2000
