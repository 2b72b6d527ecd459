"""交售台账 for big filters: more rows than settings.EXPORT_BACKGROUND_ROWS and the ledger is
written by the site registry's background export job (progress page, download), with the
owner's scope and the list's filters."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from sites.models import BackgroundJob

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_large_ledger_is_written_in_the_background_with_the_filters_and_scope(
    client,
    settings,
    network,
    paper,
    plastic,
    commerce_admin,
    dipu_officer,
    django_capture_on_commit_callbacks,
):
    settings.EXPORT_BACKGROUND_ROWS = 2
    for day in (1, 2, 3):
        deliver(
            actor=commerce_admin,
            from_site=network.dipu_point,
            to_site=network.dipu_station,
            material=paper,
            on=dt.date(2026, 3, day),
        )
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=plastic,
    )
    deliver(
        actor=commerce_admin, from_site=network.cs_point, to_site=network.cs_station, material=paper
    )
    client.force_login(dipu_officer)

    with django_capture_on_commit_callbacks(execute=True):  # the worker (eager)
        response = client.get(
            reverse("trade:transfer-export"), {"material": paper.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )

    job = BackgroundJob.objects.get()
    assert job.kind == BackgroundJob.Kind.TRANSFER_EXPORT
    assert response["Location"] == reverse("sites:job-status", args=[job.pk])
    assert (job.state, job.done, job.total) == (BackgroundJob.State.DONE, 3, 3)
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "交售台账导出" in page and reverse("sites:job-download", args=[job.pk]) in page

    download = client.get(reverse("sites:job-download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    # The title row names whose ledger it is, as the one written at once does.
    assert "交售台账" in sheet["A1"].value and "递铺街道" in sheet["A1"].value
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # below title and header
    assert [row[0] for row in rows] == [1, 2, 3]  # 序号
    assert [(row[3], row[8]) for row in rows] == [("递铺网点", "废纸")] * 3  # paper, own township

    client.force_login(commerce_admin)  # someone else's job is not found
    assert client.get(reverse("sites:job-download", args=[job.pk])).status_code == 404
