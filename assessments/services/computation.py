"""Computing a period: the run queued for a worker (its task is here, beside the work it runs), and
the scoring, ranking and grading it stores.
"""

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.models import Township
from anji_recycling import leases
from anji_recycling.history import save_with_history
from anji_recycling.queue import WAITING_TOO_LONG, enqueue_on_commit

from .. import indicators as computations
from ..choices import PeriodAction, PeriodStatus, RunState
from ..models import AssessmentPeriod, ComputationRun, IndicatorScore, TownshipResult
from ..policy import PERIOD_POLICY, locked_message
from .checks import refuse_when_frozen

logger = logging.getLogger(__name__)


def start_computation(*, period: AssessmentPeriod, actor) -> ComputationRun:
    """Queue the computation of a period (a Celery task, after commit, without failing when
    Redis is down); the run shows its progress. A run already waiting or working is returned
    instead of a second one; one whose message was lost (still waiting after a few minutes)
    is queued again."""
    PERIOD_POLICY.ensure_allowed(period, actor, PeriodAction.COMPUTE)
    with transaction.atomic():
        busy = period.runs.filter(state__in=(RunState.PENDING, RunState.RUNNING)).first()
        if busy is None:
            busy = ComputationRun.objects.create(
                period=period, started_by=actor, total=period.scheme.indicators.count() + 1
            )
        elif busy.state == RunState.RUNNING or busy.created_at > timezone.now() - WAITING_TOO_LONG:
            return busy
        enqueue_on_commit(compute_period_task, run_id=busy.pk)
    return busy


def requeue_waiting_runs(*, now) -> dict:
    """Queue again the runs still waiting long after they were started (their message never
    reached a worker: Redis was down) and the running ones whose worker died (its lease ran
    out). A run delivered twice computes once (`_claim_run`); a run that ended its worker
    `BACKGROUND_MAX_ATTEMPTS` times fails instead."""
    runs = ComputationRun.objects.all()
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "The computation stopped %(count)s times while it ran (the worker was ended): it "
            "is not started again. Ask the administrator."
        ) % {"count": leases.max_attempts()}
    failed = leases.give_up_exhausted(runs, now=now, message=message)
    waiting = Q(state=RunState.PENDING, created_at__lt=now - WAITING_TOO_LONG)
    queued = 0
    for run_id in (
        runs.filter(waiting | leases.stale(now=now))
        .filter(attempts__lt=leases.max_attempts())
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        compute_period_task.delay(run_id=run_id)
        queued += 1
    return {"queued": queued, "failed": failed}


def _claim_run(run_id: int) -> ComputationRun | None:
    """Take the lease of a waiting run (or of a running one whose worker died) and return it;
    None when a live worker has it or it is finished (a task delivered twice computes once)."""
    if leases.claim(ComputationRun.objects.all(), pk=run_id) is None:
        return None
    return ComputationRun.objects.select_related("period", "started_by").get(pk=run_id)


def run_computation(*, run_id: int) -> None:
    """The worker's side: compute the run's period, writing progress as it goes. The scores
    and the run's end are stored in one transaction, by the worker holding the lease."""
    run = _claim_run(run_id)
    if run is None:
        return
    runs = ComputationRun.objects.all()

    def progress(done: int, total: int) -> None:
        runs.filter(pk=run.pk).update(done=done, total=total)

    def finish_run() -> None:
        leases.finish_or_discard(
            runs,
            pk=run.pk,
            token=run.lease_token,
            state=RunState.DONE,
            message="",
            finished_at=timezone.now(),
        )

    try:
        with (
            leases.Heartbeat(runs, pk=run.pk, token=run.lease_token),
            translation.override(settings.LANGUAGE_CODE),
        ):
            compute_period(
                period=run.period, actor=run.started_by, progress=progress, before_commit=finish_run
            )
    except leases.LeaseLost:
        logger.warning("assessment computation run %s was taken over by another worker", run.pk)
    except ValidationError as error:
        _finish_run(run, state=RunState.FAILED, message=" ".join(error.messages))
    except Exception as error:
        logger.exception("assessment computation run %s failed", run.pk)
        _finish_run(run, state=RunState.FAILED, message=str(error))


def _finish_run(run, *, state, message=""):
    leases.finish(
        ComputationRun.objects.all(),
        pk=run.pk,
        token=run.lease_token,
        state=state,
        message=message[:500],
        finished_at=timezone.now(),
    )


# The name the workers have always known it by (assessments.tasks re-exports it).
@shared_task(name="assessments.tasks.compute_period_task")
def compute_period_task(*, run_id: int) -> None:
    """The run's background task: it takes the run's id and computes it (run_computation)."""
    run_computation(run_id=run_id)


def _context(period: AssessmentPeriod, township_ids) -> computations.Context:
    start_at, end_at = period.bounds()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return computations.Context(
        township_ids=tuple(township_ids),
        period_id=period.pk,
        start=period.start_date,
        end=period.end_date,
        start_at=start_at,
        end_at=end_at,
        as_of=min(period.end_date, yesterday),
    )


def competition_ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    """Standard competition ranking (1, 2, 2, 4): equal totals share a rank."""
    ordered = sorted(totals.values(), reverse=True)
    return {key: ordered.index(total) + 1 for key, total in totals.items()}


def grade_for(total: Decimal, bands) -> str:
    """The grade of the highest band whose lower bound the total reaches ('' below all)."""
    reached = [band for band in bands if total >= band.min_score]
    return max(reached, key=lambda band: band.min_score).name if reached else ""


def compute_period(
    *,
    period: AssessmentPeriod,
    actor,
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> list[TownshipResult]:
    """Score every township on every indicator of the period's scheme, rank them and grade
    them. A locked or published period is refused: nothing changes its scores. The number of
    queries depends on the number of indicators, never on the number of sites, inspections or
    cases (each indicator is counted in SQL in one query). `before_commit` runs last in the
    transaction that stores the scores (a worker's run finishes there, or the scores go)."""
    period = AssessmentPeriod.objects.select_related("scheme").get(pk=period.pk)
    PERIOD_POLICY.ensure_allowed(period, actor, PeriodAction.COMPUTE)
    indicators = list(period.scheme.indicators.order_by("sort_order", "pk"))
    bands = list(period.scheme.grade_bands.all())
    townships = list(Township.objects.order_by("code"))
    context = _context(period, [t.pk for t in townships])
    total_steps = len(indicators) + 1
    measures = {}
    for step, indicator in enumerate(indicators, start=1):
        measures[indicator.pk] = computations.compute_indicator(
            indicator=indicator, context=context
        )
        if progress:
            progress(step, total_steps)
    results = _store_scores(
        period=period,
        indicators=indicators,
        bands=bands,
        townships=townships,
        measures=measures,
        actor=actor,
        before_commit=before_commit,
    )
    if progress:
        progress(total_steps, total_steps)
    return results


SCORE_FIELDS = (
    "numerator",
    "denominator",
    "value",
    "raw_points",
    "weighted_points",
    "note",
    "evidence",
    "computed_at",
)
RESULT_FIELDS = ("total", "rank", "grade", "computed_at")


@transaction.atomic
def _store_scores(*, period, indicators, bands, townships, measures, actor, before_commit=None):
    period = AssessmentPeriod.objects.select_for_update().select_related("scheme").get(pk=period.pk)
    # Locked while we counted: the lock wins.
    refuse_when_frozen(period, locked_message(period))
    now = timezone.now()
    reason = _("Computed")
    totals = _store_indicator_scores(
        period=period,
        indicators=indicators,
        townships=townships,
        measures=measures,
        now=now,
        actor=actor,
        reason=reason,
    )
    results = _store_township_results(
        period=period,
        townships=townships,
        totals=totals,
        bands=bands,
        now=now,
        actor=actor,
        reason=reason,
    )
    period.status = PeriodStatus.COMPUTED
    period.computed_at = now
    period.needs_recompute = False
    save_with_history(period, actor=actor, reason=reason, validate=False)
    if before_commit is not None:
        before_commit()
    return sorted(results, key=lambda r: (r.rank, r.township.code))


def _store_indicator_scores(*, period, indicators, townships, measures, now, actor, reason):
    """Each township's score on each indicator, stored (the scores of indicators no longer in
    the scheme deleted); returns each township's total, by township id."""
    existing = {
        (score.township_id, score.indicator_id): score
        for score in IndicatorScore.objects.filter(period=period)
    }
    new_scores, changed_scores = [], []
    totals = {}
    for township in townships:
        total = Decimal(0)
        for indicator in indicators:
            measure = measures[indicator.pk][township.pk]
            weighted = computations.quantize(
                measure.raw_points * indicator.weight / indicator.max_points
            )
            total += weighted
            values = {
                "numerator": measure.numerator,
                "denominator": measure.denominator,
                "value": measure.value,
                "raw_points": measure.raw_points,
                "weighted_points": weighted,
                "note": measure.note[:300],
                "evidence": measure.evidence,
                "computed_at": now,
            }
            score = existing.pop((township.pk, indicator.pk), None)
            if score is None:
                new_scores.append(
                    IndicatorScore(period=period, township=township, indicator=indicator, **values)
                )
            else:
                changed_scores.append(_assign(score, values))
        totals[township.pk] = computations.quantize(total)
    if existing:  # indicators no longer in the scheme (the period changed scheme)
        IndicatorScore.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    _save_rows(IndicatorScore, new_scores, changed_scores, SCORE_FIELDS, actor=actor, reason=reason)
    return totals


def _store_township_results(*, period, townships, totals, bands, now, actor, reason):
    """Each township's total, rank and grade, stored; returns the results."""
    ranks = competition_ranks(totals)
    stored = {
        result.township_id: result
        for result in TownshipResult.objects.filter(period=period).select_related("township")
    }
    new_results, changed_results = [], []
    for township in townships:
        values = {
            "total": totals[township.pk],
            "rank": ranks[township.pk],
            "grade": grade_for(totals[township.pk], bands),
            "computed_at": now,
        }
        result = stored.get(township.pk)
        if result is None:
            new_results.append(TownshipResult(period=period, township=township, **values))
        else:
            changed_results.append(_assign(result, values))
    _save_rows(
        TownshipResult, new_results, changed_results, RESULT_FIELDS, actor=actor, reason=reason
    )
    return new_results + changed_results


def _assign(row, values: dict):
    for name, value in values.items():
        setattr(row, name, value)
    return row


def _save_rows(model, new_rows, changed_rows, fields, *, actor, reason) -> None:
    """Create and update rows in bulk, each with its history record."""
    if new_rows:
        bulk_create_with_history(new_rows, model, default_user=actor, default_change_reason=reason)
    if changed_rows:
        bulk_update_with_history(
            changed_rows,
            model,
            list(fields),
            default_user=actor,
            default_change_reason=reason,
        )
