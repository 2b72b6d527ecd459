"""Background work whose worker died (SIGKILL, out of memory, a reboot) is taken up again once
its lease runs out and finishes exactly once; a live worker's work is never taken from it.
The real worker killed by a signal: tests/sites/test_worker_killed.py."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from anji_recycling import leases
from sites import exports, imports, jobs
from sites.jobs import QUEUED, claim_job, requeue_waiting_jobs
from sites.models import BackgroundJob, Operator, Site
from tests.factories import make_site
from tests.sites.test_import import upload
from tests.sites.test_jobs import valid_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def died_while_running(model, pk, *, attempts=1):
    """The row as a worker left it when it was killed: running, its lease never renewed."""
    long_ago = timezone.now() - leases.lease_duration() - dt.timedelta(seconds=1)
    model.objects.filter(pk=pk).update(
        state="running",
        claimed_at=long_ago,
        heartbeat_at=long_ago,
        attempts=attempts,
        lease_token=uuid.uuid4(),
    )


@pytest.fixture
def export_job(commerce_admin):
    for number in range(3):
        make_site(actor=commerce_admin, name=f"租约测试回收点{number}")
    return exports.start_export_job(
        kind=BackgroundJob.Kind.SITE_EXPORT, owner=commerce_admin, params={}, filename="a.xlsx"
    )


def rows_of(job) -> list:
    with job.result_file.open("rb") as handle:
        return list(load_workbook(handle).active.iter_rows(min_row=3, values_only=True))


def test_an_export_whose_worker_died_is_taken_up_by_the_sweep_and_finishes_once(export_job):
    died_while_running(BackgroundJob, export_job.pk)

    # eager in tests: the task the sweep queues runs at once
    assert requeue_waiting_jobs(now=timezone.now()) == {"queued": 1, "failed": 0}

    export_job.refresh_from_db()
    assert (export_job.state, export_job.attempts) == (BackgroundJob.State.DONE, 2)
    assert len(rows_of(export_job)) == Site.objects.count() == 3
    assert requeue_waiting_jobs(now=timezone.now()) == {"queued": 0, "failed": 0}


def test_the_dead_workers_message_redelivered_takes_up_its_export(export_job):
    """The broker hands the message of a worker that died to another one (acks_late)."""
    died_while_running(BackgroundJob, export_job.pk)

    exports.run_export_job(job_id=export_job.pk)
    export_job.refresh_from_db()
    first = export_job.result_file.name
    exports.run_export_job(job_id=export_job.pk)  # and once more: it is done

    export_job.refresh_from_db()
    assert (export_job.state, export_job.attempts) == (BackgroundJob.State.DONE, 2)
    assert export_job.result_file.name == first
    assert len(rows_of(export_job)) == 3


def test_a_job_whose_worker_is_alive_is_not_taken_from_it(export_job):
    job = claim_job(job_id=export_job.pk)  # a worker has it and renews its lease

    assert requeue_waiting_jobs(now=timezone.now()) == {"queued": 0, "failed": 0}
    exports.run_export_job(job_id=job.pk)  # the message delivered again meanwhile

    job.refresh_from_db()
    assert (job.state, job.attempts, job.result_file.name) == (BackgroundJob.State.RUNNING, 1, "")
    # Once its lease runs out the job is the sweep's.
    later = timezone.now() + leases.lease_duration() + dt.timedelta(seconds=1)
    assert list(BackgroundJob.objects.filter(leases.stale(now=later))) == [job]


def test_a_worker_that_lost_its_lease_leaves_the_job_and_its_file_to_the_new_one(
    export_job, monkeypatch
):
    """A worker that stalled past its lease and then carries on: another worker has taken the
    job over meanwhile, so the stalled one can neither finish it nor leave a file behind."""
    real_write = exports.write_roster
    files = []

    def write_while_taken_over(*args, **kwargs):
        died_while_running(BackgroundJob, export_job.pk)
        monkeypatch.setattr(exports, "write_roster", real_write)
        exports.run_export_job(job_id=export_job.pk)  # the new worker, start to end
        files.append(BackgroundJob.objects.get(pk=export_job.pk).result_file.name)
        return real_write(*args, **kwargs)

    storage = export_job.result_file.storage

    def stored():
        return set(storage.listdir("jobs/out")[1]) if storage.exists("jobs/out") else set()

    before = stored()
    monkeypatch.setattr(exports, "write_roster", write_while_taken_over)
    exports.run_export_job(job_id=export_job.pk)

    job = BackgroundJob.objects.get(pk=export_job.pk)
    assert (job.state, job.attempts) == (BackgroundJob.State.DONE, 2)
    assert [job.result_file.name] == files
    assert stored() - before == {files[0].rsplit("/", 1)[1]}  # the stalled worker's is gone


def test_a_job_that_ended_its_worker_every_time_fails_with_a_message(export_job, settings):
    died_while_running(BackgroundJob, export_job.pk, attempts=settings.BACKGROUND_MAX_ATTEMPTS)

    assert requeue_waiting_jobs(now=timezone.now()) == {"queued": 0, "failed": 1}

    export_job.refresh_from_db()
    assert export_job.state == BackgroundJob.State.FAILED
    assert export_job.message.startswith("任务在运行中已中断 3 次")
    assert export_job.finished_at is not None


@pytest.fixture
def station(commerce_admin):
    return make_site(actor=commerce_admin, tier=2, name="递铺街道中转分拣站")


def confirmed_import(user, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_import(upload=upload(valid_workbook(station)), user=user)
    job.refresh_from_db()
    job.result = {**job.result, "stage": QUEUED}
    job.save()
    return job


def test_an_import_whose_worker_died_while_writing_is_written_once(
    commerce_admin, station, django_capture_on_commit_callbacks
):
    job = confirmed_import(commerce_admin, station, django_capture_on_commit_callbacks)
    died_while_running(BackgroundJob, job.pk)  # its transaction went with the worker

    assert requeue_waiting_jobs(now=timezone.now()) == {"queued": 1, "failed": 0}

    job.refresh_from_db()
    assert (job.state, job.attempts) == (BackgroundJob.State.DONE, 2)
    assert job.result["applied"]["sites"]["created"] == 3
    assert Site.objects.filter(parent=station).count() == 3
    assert Operator.objects.count() == 1
    jobs.run_import_job(job_id=job.pk)  # the dead worker's message, redelivered
    assert Site.objects.filter(parent=station).count() == 3


def test_an_import_taken_over_while_writing_rolls_its_writing_back(
    commerce_admin, station, django_capture_on_commit_callbacks, monkeypatch
):
    """The stalled worker's rows and its end of the job are one transaction: with the lease
    gone, none of its rows stay."""
    job = confirmed_import(commerce_admin, station, django_capture_on_commit_callbacks)
    real_apply = imports.apply_import

    def apply_then_lose_the_lease(*args, **kwargs):
        counts = real_apply(*args, **kwargs)
        BackgroundJob.objects.filter(pk=job.pk).update(lease_token=uuid.uuid4())
        return counts

    monkeypatch.setattr(imports, "apply_import", apply_then_lose_the_lease)
    jobs.run_import_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.RUNNING  # the other worker's to finish
    assert not Site.objects.filter(parent=station).exists()
    assert not Operator.objects.exists()


def test_an_import_whose_worker_died_while_checking_is_checked_again(
    commerce_admin, station, django_capture_on_commit_callbacks, monkeypatch
):
    from sites import tasks

    monkeypatch.setattr(tasks.check_roster_import, "delay", lambda **kwargs: None)  # lost
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_import(upload=upload(valid_workbook(station)), user=commerce_admin)
    monkeypatch.undo()
    died_while_running(BackgroundJob, job.pk)

    assert requeue_waiting_jobs(now=timezone.now()) == {"queued": 1, "failed": 0}

    job.refresh_from_db()
    assert (job.state, job.result["stage"]) == (BackgroundJob.State.PENDING, "checked")
    assert job.result["summary"]["sites"]["created"] == 3
    assert job.attempts == 0  # the writing, once confirmed, has its own attempts
    assert Site.objects.count() == 1
