"""Scheduled work on a real Celery worker and the real Redis broker (not eager mode), and the
portal carrying on when Redis is down."""

import contextlib
import datetime as dt
import os

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging
from django.core import mail
from django.db import transaction

from accounts.choices import EmailState, NotificationKind, Role
from accounts.models import Notification
from accounts.notifications import notify, send_pending_emails
from accounts.tasks import send_notification_emails
from anji_recycling.celery import app
from inspections.models import PatrolPlan, PatrolTask
from inspections.tasks import generate_patrol_tasks
from tests.conftest import DIPU
from tests.factories import make_site, make_user

# Tasks a worker runs see the database through their own connection: the test's writes must
# be committed, hence transactional tests (see tests/conftest.py for the reference data).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def real_broker(settings, transactional_portal_data):
    """Messages go through Redis to a worker thread in this process (one at a time, in order).
    Celery leaves logging alone while a `setup_logging` receiver is connected, so later tests'
    log captures still work."""
    app.conf.task_always_eager = False
    setup_logging.connect(_keep_logging)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        setup_logging.disconnect(_keep_logging)
        app.conf.task_always_eager = True


def _keep_logging(**kwargs):
    """Receiver of Celery's setup_logging: the test run's logging stays as pytest set it."""


@contextlib.contextmanager
def broker_down(celery_app):
    """Point the app at a port where nothing listens, without retries, and drop the pooled
    connections to the real Redis so the next message really tries the dead broker."""
    saved = {
        key: celery_app.conf[key]
        for key in ("task_always_eager", "broker_url", "broker_connection_retry")
    }
    saved_options = celery_app.conf.broker_transport_options

    def reconnect():
        celery_app.pool.force_close_all()
        celery_app._after_fork()  # Celery's own reset of the broker and producer pools

    # Celery reads the broker from the environment's CELERY_BROKER_URL before its settings.
    saved_environment = os.environ.pop("CELERY_BROKER_URL", None)
    celery_app.conf.update(
        task_always_eager=False,
        broker_url="redis://127.0.0.1:1/0",
        broker_connection_retry=False,
        broker_transport_options={"max_retries": 0},
    )
    reconnect()
    try:
        yield
    finally:
        if saved_environment is not None:
            os.environ["CELERY_BROKER_URL"] = saved_environment
        celery_app.conf.update(**saved, broker_transport_options=saved_options)
        reconnect()


@time_machine.travel(dt.datetime(2026, 3, 11, 4, 0, tzinfo=dt.UTC), tick=True)
def test_worker_generates_patrol_tasks_through_redis(real_broker):
    PatrolPlan.objects.update(is_active=False)
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    site = make_site(actor=admin)
    worker = make_user(
        Role.GRID_WORKER, township_code=DIPU, username="grid_dipu", email="grid@example.com"
    )
    PatrolPlan.objects.create(name="运营回收点每月巡查", status="operating", frequency="monthly")

    result = generate_patrol_tasks.apply_async(ignore_result=False).get(timeout=30)

    assert result["created"] == 1
    task = PatrolTask.objects.get()
    assert (task.site, task.assigned_to, task.period_start) == (site, worker, dt.date(2026, 3, 1))
    # The grid worker's inbox got one notification, and the worker emailed it.
    send_notification_emails.apply_async(ignore_result=False).get(timeout=30)
    notification = Notification.objects.get(recipient=worker)
    assert notification.kind == NotificationKind.PATROL_TASK
    assert notification.email_state == EmailState.SENT
    assert [message.to for message in mail.outbox] == [["grid@example.com"]]


def test_a_notification_is_emailed_once_after_commit_however_many_sweeps(real_broker):
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU, email="dipu@example.com")
    with transaction.atomic():
        # The hint to send is queued only when this commits.
        notify(recipients=[officer], kind=NotificationKind.OTHER, title="联席会议提醒", key="m1")
    # A second sweep queued behind the hint: by the time it answers, both have run.
    second = send_notification_emails.apply_async(ignore_result=False).get(timeout=30)

    notification = Notification.objects.get(recipient=officer)
    assert notification.email_state == EmailState.SENT
    assert notification.email_attempts == 1
    assert [message.to for message in mail.outbox] == [["dipu@example.com"]]
    assert second == {"sent": 0, "failed": 0, "skipped": 0}


def test_with_redis_down_notifications_commit_and_go_out_on_the_next_sweep(
    transactional_portal_data, monkeypatch
):
    """The broker refuses connections: the write still commits, and the periodic sweep sends
    what was due once it runs again."""
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU, email="dipu@example.com")
    refused = []
    real_delay = send_notification_emails.delay

    def delay_or_record(*args, **kwargs):
        try:
            return real_delay(*args, **kwargs)
        except Exception as error:
            refused.append(error)
            raise

    monkeypatch.setattr(send_notification_emails, "delay", delay_or_record)
    with broker_down(app), transaction.atomic():
        notify(recipients=[officer], kind=NotificationKind.OTHER, title="案件超期", key="c1")

    assert len(refused) == 1  # the hint really met the dead broker, and nothing broke
    notification = Notification.objects.get(recipient=officer)
    assert notification.email_state == EmailState.PENDING
    assert mail.outbox == []

    assert send_pending_emails() == {"sent": 1, "failed": 0, "skipped": 0}
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT


def test_with_redis_down_reports_are_filed_and_cases_move(transactional_portal_data):
    from inspections.choices import CaseStatus
    from inspections.services import transition_case
    from tests.inspections.conftest import report

    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    grid = make_user(Role.GRID_WORKER, township_code=DIPU)
    site = make_site(actor=admin)
    with broker_down(app):
        (case,) = report(site, grid, "appearance")
        case = transition_case(case=case, action="register", actor=admin)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
