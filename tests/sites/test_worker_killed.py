"""A real Celery worker process (prefork, on the real Redis and the test database) killed by
SIGKILL in the middle of a job: once its lease runs out the sweep takes the job up, another
worker process finishes it exactly once with a complete file, and the dead worker's message
arriving late changes nothing. The rules themselves: tests/sites/test_job_leases.py."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.choices import Role
from anji_recycling import leases
from anji_recycling.celery import app
from assessments.tasks import compute_period_task
from sites import exports, imports
from sites.jobs import QUEUED, requeue_waiting_jobs
from sites.models import BackgroundJob, Operator, Site
from sites.tasks import apply_roster_import, export_roster
from tests.factories import make_site, make_user
from tests.scale_out.topology import wait_until
from tests.sites.test_import import site_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPO = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2
START_TIMEOUT = 120  # a worker process starting on a busy two-core machine


class Worker:
    """One `celery worker` process in a process group of its own, ended by its id."""

    def __init__(self, name: str, workdir: Path, **env: str):
        self.log = open(workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "anji_recycling",
                "worker",
                "-n",
                f"{name}@%h",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=REPO,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to the worker and its pool child: no shutdown, no acknowledgement."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def workers(settings, tmp_path, transactional_portal_data):
    """Start workers on the test's database, Redis and a media directory shared with this
    process; messages go through Redis (not eager). Every worker is ended afterwards."""
    media = tmp_path / "media"
    media.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    settings.BACKGROUND_LEASE_SECONDS = LEASE_SECONDS
    database = connection.settings_dict
    env = {
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "tests.sites.worker_settings",
        "WORKER_DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "WORKER_MEDIA_ROOT": str(media),
        "DJANGO_BACKGROUND_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    started = []

    def start(name, **extra):
        worker = Worker(name, tmp_path, **env, **extra)
        started.append(worker)
        return worker

    app.conf.task_always_eager = False
    app.control.purge()
    try:
        yield start, media
    finally:
        app.conf.task_always_eager = True
        for worker in started:
            worker.stop()
        with app.connection_for_write() as broker:
            # The killed worker's unacknowledged message: Redis would hand it out again after
            # its visibility timeout (an hour), to whichever worker listens on this database.
            broker.default_channel.client.delete("unacked", "unacked_index")
        app.control.purge()


def waiting_on_a_lock() -> int:
    """How many of the test database's sessions wait on a lock (a worker on the test's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh within a transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def killed_waiting_on(row, start, **message) -> None:
    """Hold a lock on the row the work writes, send the work to a first worker and kill it
    once it waits there: it dies with what it wrote before uncommitted. The task: an import's
    writing (job_id) or an assessment run (run_id)."""
    task = apply_roster_import if "job_id" in message else compute_period_task
    with transaction.atomic():
        row.select_for_update().get()
        task.delay(**message)
        first = start("first")
        wait_until(waiting_on_a_lock, timeout=START_TIMEOUT, what="the first worker writing")
        first.kill()


def job_of(pk) -> BackgroundJob:
    return BackgroundJob.objects.get(pk=pk)


def wait_for_stale_lease(job_id: int) -> None:
    def stale():
        return BackgroundJob.objects.filter(leases.stale(now=timezone.now()), pk=job_id).exists()

    wait_until(stale, timeout=30, what="the killed worker's lease to run out")


def taken_up_by_the_sweep(job_id: int) -> BackgroundJob:
    """Once the killed worker's lease ran out, the sweep queues the job again (the killed
    worker's message comes back only after Redis's visibility timeout, an hour) and the
    second worker finishes it."""
    wait_for_stale_lease(job_id)
    assert requeue_waiting_jobs(now=timezone.now()) == {"queued": 1, "failed": 0}

    def finished():
        return job_of(job_id).state in (BackgroundJob.State.DONE, BackgroundJob.State.FAILED)

    wait_until(finished, timeout=START_TIMEOUT, what="the second worker to finish the job")
    return job_of(job_id)


def test_an_export_killed_mid_task_is_finished_once_by_another_worker(workers, tmp_path):
    start, media = workers
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    sites = [make_site(actor=admin, name=f"断电回收点{number}") for number in range(3)]
    hold = tmp_path / "hold"
    hold.mkdir()
    with translation.override("zh-hans"), transaction.atomic():
        job = exports.start_export_job(
            kind=BackgroundJob.Kind.SITE_EXPORT, owner=admin, params={}, filename="a.xlsx"
        )
    first = start("jobs-first", HOLD_JOBS_IN=str(hold))

    wait_until((hold / "held").exists, timeout=START_TIMEOUT, what="the first worker mid-task")
    running = job_of(job.pk)
    assert (running.state, running.attempts) == (BackgroundJob.State.RUNNING, 1)
    # While it works its lease is renewed.
    wait_until(
        lambda: job_of(job.pk).heartbeat_at > running.heartbeat_at,
        timeout=30,
        what="a heartbeat",
    )
    first.kill()
    assert job_of(job.pk).state == BackgroundJob.State.RUNNING
    assert not (media / "jobs" / "out").exists() or not any((media / "jobs" / "out").iterdir())

    start("jobs-second")
    done = taken_up_by_the_sweep(job.pk)
    assert (done.state, done.attempts, done.done, done.total) == (
        BackgroundJob.State.DONE,
        2,
        3,
        3,
    ), done.message
    with done.result_file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(min_row=2, values_only=True))
    # Row 1 is the title, row 2 the header (序号 first), the sites below it.
    header, *rows = rows
    assert header[0] == "序号"
    assert sorted(row[1] for row in rows) == sorted(site.code for site in sites)
    assert [path.name for path in (media / "jobs" / "out").iterdir()] == [
        Path(done.result_file.name).name
    ]

    # The dead worker's own message, redelivered by Redis an hour later: nothing happens.
    export_roster.apply_async(kwargs={"job_id": job.pk}, ignore_result=False).get(timeout=60)
    again = job_of(job.pk)
    assert (again.result_file.name, again.finished_at, again.attempts) == (
        done.result_file.name,
        done.finished_at,
        2,
    )


def test_an_import_killed_while_writing_leaves_nothing_and_is_written_once(workers, tmp_path):
    """The writing is one transaction: the killed worker's rows go with its connection. The
    test holds a lock on the site the file updates last, so the first worker is killed with
    the rows before it written (uncommitted) and waiting on that lock."""
    start, _media = workers
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    last = make_site(actor=admin, name="断电导入已有回收点")
    rows = [site_row(number) for number in range(1, 4)]
    rows.append(site_row(9, code=last.code, name=last.name, address="递铺街道长乐社区新址9号"))
    with translation.override("zh-hans"):
        checked = imports.parse_and_check(upload(workbook_bytes(sites=rows)), user=admin)
        assert checked.ok, checked.problems
        with transaction.atomic():
            job = imports.start_import(upload=upload(workbook_bytes(sites=rows)), user=admin)
            # Checked and confirmed (both tested elsewhere): the writing is what is killed.
            BackgroundJob.objects.filter(pk=job.pk).update(result={**job.result, "stage": QUEUED})
    app.control.purge()  # the check's message: not this test's subject

    killed_waiting_on(Site.objects.filter(pk=last.pk), start, job_id=job.pk)
    assert job_of(job.pk).state == BackgroundJob.State.RUNNING
    assert Site.objects.count() == 1  # nothing of the killed worker's rows

    start("jobs-second")
    done = taken_up_by_the_sweep(job.pk)
    assert (done.state, done.attempts) == (BackgroundJob.State.DONE, 2), done.message
    assert done.result["applied"]["sites"] == {"created": 3, "updated": 1, "unchanged": 0}
    assert Site.objects.count() == 4
    assert Site.objects.get(pk=last.pk).address == "递铺街道长乐社区新址9号"
    assert not Operator.objects.exists()
