"""An assessment run whose worker died is computed again once its lease runs out, and one that
ended its worker every time fails with a message (the leases: anji_recycling/leases.py)."""

import pytest
from django.utils import timezone, translation

from assessments.choices import RunState
from assessments.models import ComputationRun
from assessments.services import requeue_waiting_runs
from tests.sites.test_job_leases import died_while_running

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_an_assessment_run_whose_worker_died_is_computed_again_once(
    commerce_admin, q1, django_capture_on_commit_callbacks, monkeypatch
):
    from assessments import tasks
    from assessments.services import start_computation

    monkeypatch.setattr(tasks.compute_period_task, "delay", lambda **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_computation(period=q1, actor=commerce_admin)
    monkeypatch.undo()
    died_while_running(ComputationRun, run.pk)

    assert requeue_waiting_runs(now=timezone.now()) == {"queued": 1, "failed": 0}

    run.refresh_from_db()
    assert (run.state, run.attempts, run.message) == (RunState.DONE, 2, "")
    q1.refresh_from_db()
    assert q1.computed_at is not None
    assert q1.results.count() == 15  # one a township
    assert requeue_waiting_runs(now=timezone.now()) == {"queued": 0, "failed": 0}


def test_an_assessment_run_that_ended_its_worker_every_time_fails(
    commerce_admin, q1, settings, monkeypatch
):
    run = ComputationRun.objects.create(period=q1, started_by=commerce_admin)
    died_while_running(ComputationRun, run.pk, attempts=settings.BACKGROUND_MAX_ATTEMPTS)

    assert requeue_waiting_runs(now=timezone.now()) == {"queued": 0, "failed": 1}

    run.refresh_from_db()
    assert run.state == RunState.FAILED
    assert "中断 3 次" in run.message
