"""Background jobs: a large roster is written by a worker, an import is checked on upload and
written after confirmation; each job shows its progress and belongs to its owner alone."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.choices import Role, SecurityEventKind
from accounts.models import SecurityEvent
from sites import exports
from sites.models import BackgroundJob, Site
from tests.conftest import CHANGSHUO
from tests.factories import credit_code, make_operator, make_site, make_user
from tests.sites.test_import import operator_row, site_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def small_threshold(settings):
    """Any roster of more than two rows goes to the background."""
    settings.EXPORT_BACKGROUND_ROWS = 2


@pytest.fixture
def three_dipu_sites_and_one_elsewhere(commerce_admin):
    dipu = [make_site(actor=commerce_admin, name=f"后台导出回收点{n}") for n in range(3)]
    make_site(actor=commerce_admin, township_code=CHANGSHUO, name="昌硕回收点")
    return dipu


def rows_of(file) -> list:
    """The roster's rows under its title and header rows, without the 序号 that counts them."""
    sheet = load_workbook(file).active
    assert "截至" in sheet["A1"].value
    assert sheet["A2"].value == "序号"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    return [row[1:] for row in rows]


def test_a_large_roster_is_written_by_a_background_job(
    client,
    commerce_admin,
    dipu,
    small_threshold,
    three_dipu_sites_and_one_elsewhere,
    django_capture_on_commit_callbacks,
):
    client.force_login(commerce_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("sites:site-export"), {"township": dipu.pk, "tier": "3"})

    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sites:job-status", args=[job.pk])
    assert job.kind == BackgroundJob.Kind.SITE_EXPORT
    assert job.owner == commerce_admin
    assert job.params == {"township": [str(dipu.pk)], "tier": ["3"]}
    assert (job.state, job.done, job.total) == (BackgroundJob.State.DONE, 3, 3)
    assert job.finished_at is not None
    with job.result_file.open("rb") as handle:
        rows = rows_of(handle)
    assert sorted(row[0] for row in rows) == sorted(
        site.code for site in three_dipu_sites_and_one_elsewhere
    )
    assert job.result["filename"].startswith("站点花名册_递铺街道_")
    assert "花名册" not in job.result_file.name  # stored under a name nobody can guess

    page = client.get(response["Location"]).content.decode()
    assert reverse("sites:job-download", args=[job.pk]) in page
    assert "data-job-refresh" not in page
    assert 'value="3"' in page

    download = client.get(reverse("sites:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert rows_of(io.BytesIO(b"".join(download.streaming_content))) == rows
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.EXPORT, user=commerce_admin, detail=job.result["filename"]
    ).exists()


def test_a_large_roster_keeps_the_owners_scope(
    client,
    dipu_officer,
    changshuo,
    small_threshold,
    three_dipu_sites_and_one_elsewhere,
    django_capture_on_commit_callbacks,
):
    client.force_login(dipu_officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("sites:site-export"))

    job = BackgroundJob.objects.get()
    with job.result_file.open("rb") as handle:
        assert {row[4] for row in rows_of(handle)} == {"递铺街道"}
    assert job.total == 3


def test_a_large_operator_roster_is_written_by_a_background_job(
    client, commerce_admin, small_threshold, django_capture_on_commit_callbacks
):
    for seed in range(3):
        make_operator(actor=commerce_admin, seed=80 + seed)
    client.force_login(commerce_admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("sites:operator-export"))

    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.OPERATOR_EXPORT)
    assert job.state == BackgroundJob.State.DONE
    with job.result_file.open("rb") as handle:
        assert len(rows_of(handle)) == 3
    assert job.result["filename"].startswith("经营主体花名册_安吉县_")


def test_only_the_owner_sees_and_downloads_a_job(
    client,
    commerce_admin,
    small_threshold,
    three_dipu_sites_and_one_elsewhere,
    django_capture_on_commit_callbacks,
):
    client.force_login(commerce_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("sites:site-export"))
    job = BackgroundJob.objects.get()
    another_admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")

    client.force_login(another_admin)

    assert client.get(reverse("sites:job-status", args=[job.pk])).status_code == 404
    assert client.get(reverse("sites:job-download", args=[job.pk])).status_code == 404


def test_the_status_page_follows_a_job_that_is_still_working(client, commerce_admin):
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.SITE_EXPORT,
        owner=commerce_admin,
        state=BackgroundJob.State.RUNNING,
        total=4000,
        done=1000,
        result={"filename": "站点花名册_安吉县_20261129.xlsx"},
    )
    client.force_login(commerce_admin)

    page = client.get(reverse("sites:job-status", args=[job.pk])).content.decode()

    assert 'data-job-refresh="2000"' in page
    assert "js/job-progress.js" in page
    assert '<progress max="4000" value="1000"' in page
    assert reverse("sites:job-download", args=[job.pk]) not in page
    assert client.get(reverse("sites:job-download", args=[job.pk])).status_code == 404


def test_the_status_page_says_when_a_job_was_taken_up_after_its_worker_stopped(
    client, commerce_admin
):
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.SITE_EXPORT,
        owner=commerce_admin,
        state=BackgroundJob.State.RUNNING,
        attempts=2,
    )
    client.force_login(commerce_admin)

    page = client.get(reverse("sites:job-status", args=[job.pk])).content.decode()

    assert "后台工作进程已中断，已由另一个进程接手（第 2 次，最多 3 次）" in page


def test_an_unfinished_export_cannot_be_downloaded(client, commerce_admin):
    job = BackgroundJob.objects.create(kind=BackgroundJob.Kind.SITE_EXPORT, owner=commerce_admin)
    client.force_login(commerce_admin)

    assert client.get(reverse("sites:job-download", args=[job.pk])).status_code == 404


# The import, end to end through the pages --------------------------------------------------------


@pytest.fixture
def station(commerce_admin):
    return make_site(actor=commerce_admin, tier=2, name="递铺街道中转分拣站")


def valid_workbook(station):
    return workbook_bytes(
        operators=[operator_row(201)],
        sites=[
            site_row(n, parent_code=station.code, operator_code=credit_code(201))
            for n in range(1, 4)
        ],
    )


def upload_checked(client, user, content, capture):
    """Upload through the page: the request answers at once with the job's page; the check
    runs in the background once the request committed (eager here)."""
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("sites:import"), {"file": upload(content)})
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.ROSTER_IMPORT)
    assert response["Location"] == reverse("sites:job-status", args=[job.pk])
    return job, response


def test_an_import_is_checked_in_the_background_and_written_after_confirmation(
    client, dipu_officer, station, django_capture_on_commit_callbacks
):
    client.force_login(dipu_officer)
    assert client.get(reverse("sites:import")).status_code == 200

    job, response = upload_checked(
        client, dipu_officer, valid_workbook(station), django_capture_on_commit_callbacks
    )

    job.refresh_from_db()
    assert job.input_file
    assert job.result["summary"]["sites"]["created"] == 3
    assert (job.state, job.done, job.total) == (BackgroundJob.State.PENDING, 4, 4)
    assert Site.objects.count() == 1  # checked, not written
    # The job's page sends the user on to the check's findings.
    status = client.get(response["Location"])
    assert status["Location"] == reverse("sites:import-review", args=[job.pk])
    review = client.get(status["Location"])
    assert review.context["can_confirm"] is True
    assert review.context["problems"] == []

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("sites:import-review", args=[job.pk]))

    assert confirmed["Location"] == reverse("sites:job-status", args=[job.pk])
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE
    assert job.result["applied"]["sites"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert job.done == job.total == 4
    assert Site.objects.filter(tier=3, parent=station).count() == 3
    status = client.get(confirmed["Location"])
    assert status.context["applied"]["operators"]["created"] == 1
    assert "data-job-refresh" not in status.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sites:import-review", args=[job.pk]))  # confirming twice
    assert Site.objects.count() == 4


def test_an_import_with_a_bad_row_shows_it_and_can_not_be_confirmed(
    client, commerce_admin, station, django_capture_on_commit_callbacks
):
    rows = [site_row(n, parent_code=station.code) for n in range(1, 8)]
    rows[4]["village"] = "广场社区"  # row 6: a community of 昌硕街道

    job, response = upload_checked(
        client, commerce_admin, workbook_bytes(sites=rows), django_capture_on_commit_callbacks
    )
    review = client.get(response["Location"], follow=True)

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED
    assert [(p.row, p.column) for p in review.context["problems"]] == [(6, "F")]
    assert reverse("sites:import-marked", args=[job.pk]) in review.content.decode()
    assert review.context["can_confirm"] is False

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sites:import-review", args=[job.pk]))
    assert Site.objects.count() == 1

    marked = client.get(reverse("sites:import-marked", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(marked.streaming_content)))[
        exports.site_sheet_title()
    ]
    assert sheet["F6"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=6, column=sheet.max_column).value


def test_the_registry_is_checked_again_when_the_import_runs(
    client, commerce_admin, station, django_capture_on_commit_callbacks
):
    job, response = upload_checked(
        client, commerce_admin, valid_workbook(station), django_capture_on_commit_callbacks
    )
    station.delete()  # the parent the file names is gone before the import runs

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sites:import-review", args=[job.pk]))

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED
    assert {problem["row"] for problem in job.result["problems"]} == {2, 3, 4}
    assert not Site.objects.exists()
    assert response.status_code == 302


def test_another_users_import_is_not_found(
    client, commerce_admin, dipu_officer, station, django_capture_on_commit_callbacks
):
    job, _response = upload_checked(
        client, dipu_officer, valid_workbook(station), django_capture_on_commit_callbacks
    )

    client.force_login(commerce_admin)

    for name in ("sites:import-review", "sites:import-marked", "sites:job-status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("sites:import-review", args=[job.pk])).status_code == 404


# Redis down and messages delivered twice ----------------------------------------------------


def test_starting_a_large_export_with_redis_down_still_answers_and_is_queued_later(
    client,
    commerce_admin,
    small_threshold,
    three_dipu_sites_and_one_elsewhere,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from kombu.exceptions import OperationalError

    from sites import tasks
    from sites.jobs import requeue_waiting_jobs

    def broker_refuses(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.export_roster, "delay", broker_refuses)
    client.force_login(commerce_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("sites:site-export"), {"tier": "3"})

    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert job.state == BackgroundJob.State.PENDING

    monkeypatch.undo()
    just_after = job.created_at + dt.timedelta(minutes=1)
    assert requeue_waiting_jobs(now=just_after) == {"queued": 0, "failed": 0}
    later = job.created_at + dt.timedelta(minutes=5)
    # eager in tests: it runs now
    assert requeue_waiting_jobs(now=later) == {"queued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE
    assert len(rows_of(job.result_file.open("rb"))) == 4


def test_a_job_delivered_twice_runs_once(commerce_admin, three_dipu_sites_and_one_elsewhere):
    job = exports.start_export_job(
        kind=BackgroundJob.Kind.SITE_EXPORT, owner=commerce_admin, params={}, filename="a.xlsx"
    )
    exports.run_export_job(job_id=job.pk)
    job.refresh_from_db()
    first_file = job.result_file.name

    exports.run_export_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE
    assert job.result_file.name == first_file


def test_an_import_awaiting_confirmation_is_not_queued(commerce_admin):
    from sites.jobs import requeue_waiting_jobs

    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.ROSTER_IMPORT, owner=commerce_admin, result={"stage": "checked"}
    )
    assert requeue_waiting_jobs(now=job.created_at + dt.timedelta(hours=1)) == {
        "queued": 0,
        "failed": 0,
    }


def test_finished_jobs_and_their_files_go_after_a_week(
    commerce_admin, three_dipu_sites_and_one_elsewhere
):
    from sites.jobs import delete_finished_jobs

    job = exports.start_export_job(
        kind=BackgroundJob.Kind.SITE_EXPORT, owner=commerce_admin, params={}, filename="a.xlsx"
    )
    exports.run_export_job(job_id=job.pk)
    job.refresh_from_db()
    storage, name = job.result_file.storage, job.result_file.name
    running = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.SITE_EXPORT, owner=commerce_admin, state=BackgroundJob.State.RUNNING
    )

    assert delete_finished_jobs(now=job.finished_at + dt.timedelta(days=6)) == {
        "deleted": 0,
        "files": 0,
    }
    assert delete_finished_jobs(now=job.finished_at + dt.timedelta(days=8)) == {
        "deleted": 1,
        "files": 1,
    }
    assert not storage.exists(name)
    assert list(BackgroundJob.objects.all()) == [running]
