"""An assessment run whose real worker process is killed by SIGKILL while it stores the scores
is computed once by another worker: the killed one's scores go with its transaction. (The
workers: tests/sites/test_worker_killed.py.)"""

import pytest
from django.utils import timezone

from accounts.choices import Role
from anji_recycling import leases
from assessments.choices import PeriodKind, RunState
from assessments.models import AssessmentPeriod, AssessmentScheme, ComputationRun, TownshipResult
from assessments.services import open_period, requeue_waiting_runs
from tests.factories import make_user
from tests.scale_out.topology import wait_until
from tests.sites import test_worker_killed

START_TIMEOUT = test_worker_killed.START_TIMEOUT
workers = test_worker_killed.workers  # the fixture starting and ending the worker processes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_run_killed_while_storing_its_scores_is_computed_once_by_another_worker(workers):
    start, _media = workers
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    scheme = AssessmentScheme.objects.get(code="long-term-management", version=1)
    period = open_period(scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=admin)
    run = ComputationRun.objects.create(
        period=period, started_by=admin, total=scheme.indicators.count() + 1
    )

    # The scores are stored under the period's row lock: the first worker is killed there.
    test_worker_killed.killed_waiting_on(
        AssessmentPeriod.objects.filter(pk=period.pk), start, run_id=run.pk
    )
    assert ComputationRun.objects.get(pk=run.pk).state == RunState.RUNNING
    assert not TownshipResult.objects.exists()

    start("runs-second")

    def stale():
        return ComputationRun.objects.filter(leases.stale(now=timezone.now()), pk=run.pk)

    wait_until(stale, timeout=30, what="the killed worker's lease to run out")
    assert requeue_waiting_runs(now=timezone.now()) == {"queued": 1, "failed": 0}

    def finished():
        return ComputationRun.objects.get(pk=run.pk).state in (RunState.DONE, RunState.FAILED)

    wait_until(finished, timeout=START_TIMEOUT, what="the second worker to compute the run")
    done = ComputationRun.objects.get(pk=run.pk)
    assert (done.state, done.attempts) == (RunState.DONE, 2), done.message
    assert TownshipResult.objects.filter(period=period).count() == 15  # one a township
    assert TownshipResult.history.count() == 15  # stored once
