"""Every write to assessments goes through these services: schemes, periods (compute, lock,
publish, unlock), deductions and objections. Each keeps a history entry naming who and why."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.access import is_county_admin
from agencies.models import Township
from agencies.workdays import load_calendar
from anji_recycling import leases
from anji_recycling.history import save_with_history
from anji_recycling.queue import WAITING_TOO_LONG, enqueue_on_commit
from anji_recycling.validators import validate_attachment

from . import indicators as computations
from .choices import (
    FROZEN_STATUSES,
    DeductionAction,
    DeductionState,
    IndicatorKind,
    ObjectionAction,
    ObjectionState,
    PeriodAction,
    PeriodKind,
    PeriodStatus,
    RunState,
)
from .models import (
    AssessmentPeriod,
    AssessmentScheme,
    ComputationRun,
    Deduction,
    DeductionEvidence,
    GradeBand,
    Indicator,
    IndicatorScore,
    Objection,
    TownshipResult,
)
from .policy import (
    DEDUCTION_POLICY,
    OBJECTION_POLICY,
    PERIOD_POLICY,
    locked_message,
)

logger = logging.getLogger(__name__)


def plain(number: Decimal) -> str:
    """A number of points as people write it: 100, 2.5 (not 1E+2, 2.50)."""
    return format(Decimal(number).normalize(), "f")


# Access: one condition a line ------------------------------------------------------------------


def _require_commerce_admin(actor, message: str) -> None:
    if not is_county_admin(actor):
        raise PermissionDenied(message)


def _refuse_when_frozen(period: AssessmentPeriod, message: str) -> None:
    if period.status in FROZEN_STATUSES:
        raise ValidationError(message)


# Schemes ---------------------------------------------------------------------------------------


@dataclass
class IndicatorInput:
    kind: str
    name: str
    weight: Decimal
    max_points: Decimal
    points_per_item: Decimal | None = None
    description: str = ""
    pk: int | None = None


@dataclass
class BandInput:
    name: str
    min_score: Decimal
    pk: int | None = None


def check_scheme(
    *, total_points: Decimal, indicators: list[IndicatorInput], bands: list[BandInput]
) -> None:
    """The rules a scheme's definition keeps, with the message a commerce officer reads."""
    errors = []
    if not indicators:
        errors.append(_("A scheme needs at least one indicator."))
    weights = sum((item.weight for item in indicators), Decimal(0))
    if indicators and weights != total_points:
        errors.append(
            _(
                "The indicators' weights add up to %(sum)s points; they must add up to the "
                "scheme's total of %(total)s points."
            )
            % {"sum": plain(weights), "total": plain(total_points)}
        )
    for item in indicators:
        if item.max_points is None or item.max_points <= 0:
            errors.append(
                _("The indicator %(name)s needs maximum points above zero.") % {"name": item.name}
            )
        if item.kind == IndicatorKind.ILLEGAL_POINTS and not item.points_per_item:
            errors.append(
                _("The indicator %(name)s needs the points deducted for each illegal point.")
                % {"name": item.name}
            )
        if item.kind == IndicatorKind.BALANCE_FLAGS and not item.points_per_item:
            errors.append(
                _("The indicator %(name)s needs the points deducted for each flag.")
                % {"name": item.name}
            )
    computed = [item.kind for item in indicators if item.kind != IndicatorKind.ASSESSOR_DEDUCTIONS]
    if len(computed) != len(set(computed)):
        errors.append(_("A scheme computes each kind of indicator once."))
    thresholds = [band.min_score for band in bands]
    if len(thresholds) != len(set(thresholds)):
        errors.append(_("Two grades cannot start at the same score."))
    if any(score < 0 or score > total_points for score in thresholds):
        errors.append(_("A grade starts at a score between 0 and the scheme's total."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_scheme(
    *,
    scheme: AssessmentScheme,
    indicators: list[IndicatorInput],
    bands: list[BandInput],
    actor,
) -> AssessmentScheme:
    """Create or change a scheme with its indicators and grade bands, all or nothing. A
    scheme used by a locked or published period is frozen: revise it as a new version."""
    _require_commerce_admin(actor, _("Only the commerce bureau defines assessment schemes."))
    if scheme.pk is not None:
        AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.is_frozen:
            raise ValidationError(
                _(
                    "This scheme version was used by a locked or published period and stays "
                    "as it was: save it as a new version to change it."
                )
            )
    check_scheme(total_points=scheme.total_points, indicators=indicators, bands=bands)
    save_with_history(scheme, actor=actor)
    _sync_rows(
        model=Indicator,
        existing=scheme.indicators.all(),
        inputs=indicators,
        actor=actor,
        build=lambda item, order: {
            "scheme": scheme,
            "kind": item.kind,
            "name": item.name,
            "weight": item.weight,
            "max_points": item.max_points,
            "points_per_item": item.points_per_item,
            "description": item.description,
            "sort_order": order,
        },
    )
    _sync_rows(
        model=GradeBand,
        existing=scheme.grade_bands.all(),
        inputs=bands,
        actor=actor,
        build=lambda item, order: {
            "scheme": scheme,
            "name": item.name,
            "min_score": item.min_score,
        },
    )
    return scheme


def _sync_rows(*, model, existing, inputs, actor, build):
    """Make a scheme's child rows match the inputs: update by pk, create new, delete gone.
    Indicators already scored are never deleted (PROTECT): the period keeps them."""
    by_pk = {row.pk: row for row in existing}
    kept = set()
    for order, item in enumerate(inputs, start=1):
        row = by_pk.get(item.pk) if item.pk else None
        row = row or model()
        for name, value in build(item, order).items():
            setattr(row, name, value)
        save_with_history(row, actor=actor, validate=False)
        kept.add(row.pk)
    # Delete after saving so a unique rule (one kind per scheme) sees the final rows.
    for pk, row in by_pk.items():
        if pk not in kept:
            row._history_user = actor
            row.delete()


@transaction.atomic
def revise_scheme(*, scheme: AssessmentScheme, actor) -> AssessmentScheme:
    """A new version of a scheme, with a copy of its indicators and grade bands, to edit."""
    _require_commerce_admin(actor, _("Only the commerce bureau defines assessment schemes."))
    latest = (
        AssessmentScheme.objects.select_for_update()
        .filter(code=scheme.code)
        .order_by("-version")
        .first()
    )
    revised = AssessmentScheme(
        code=scheme.code,
        version=latest.version + 1,
        name=scheme.name,
        total_points=scheme.total_points,
        objection_days=scheme.objection_days,
        note=scheme.note,
    )
    save_with_history(
        revised, actor=actor, reason=_("New version of v%(version)s") % {"version": scheme.version}
    )
    for indicator in scheme.indicators.all():
        indicator.pk = None
        indicator.scheme = revised
        save_with_history(indicator, actor=actor, validate=False)
    for band in scheme.grade_bands.all():
        band.pk = None
        band.scheme = revised
        save_with_history(band, actor=actor, validate=False)
    return revised


# Periods ---------------------------------------------------------------------------------------


@transaction.atomic
def open_period(
    *, scheme: AssessmentScheme, kind: str, year: int, quarter: int | None, actor
) -> AssessmentPeriod:
    """A new quarter or year to assess with a scheme version."""
    _require_commerce_admin(actor, _("Only the commerce bureau opens assessment periods."))
    period = AssessmentPeriod(
        scheme=scheme,
        kind=kind,
        year=year,
        quarter=quarter if kind == PeriodKind.QUARTER else None,
    )
    if kind == PeriodKind.QUARTER and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose the quarter, 1 to 4.")})
    period.start_date, period.end_date = period.date_range()
    return save_with_history(period, actor=actor)


@transaction.atomic
def change_period_scheme(
    *, period: AssessmentPeriod, scheme: AssessmentScheme, actor
) -> AssessmentPeriod:
    """Score a period that is not locked with another scheme version; its scores and
    deductions of the old version go (deductions first need withdrawing)."""
    _require_commerce_admin(actor, _("Only the commerce bureau opens assessment periods."))
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    _refuse_when_frozen(period, locked_message(period))
    if period.deductions.exclude(state=DeductionState.WITHDRAWN).exists():
        raise ValidationError(
            _("Deductions were entered against this scheme: withdraw them before switching.")
        )
    period.scores.all().delete()
    period.results.all().delete()
    period.scheme = scheme
    period.status = PeriodStatus.DRAFT
    period.computed_at = None
    return save_with_history(period, actor=actor, reason=str(scheme))


def start_computation(*, period: AssessmentPeriod, actor) -> ComputationRun:
    """Queue the computation of a period (a Celery task, after commit, without failing when
    Redis is down); the run shows its progress. A run already waiting or working is returned
    instead of a second one; one whose message was lost (still waiting after a few minutes)
    is queued again."""
    from .tasks import compute_period_task

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
    from .tasks import compute_period_task

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


@transaction.atomic
def _store_scores(*, period, indicators, bands, townships, measures, actor, before_commit=None):
    period = AssessmentPeriod.objects.select_for_update().select_related("scheme").get(pk=period.pk)
    # Locked while we counted: the lock wins.
    _refuse_when_frozen(period, locked_message(period))
    now = timezone.now()
    reason = _("Computed")
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
                for name, value in values.items():
                    setattr(score, name, value)
                changed_scores.append(score)
        totals[township.pk] = computations.quantize(total)
    if existing:  # indicators no longer in the scheme (the period changed scheme)
        IndicatorScore.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    if new_scores:
        bulk_create_with_history(
            new_scores, IndicatorScore, default_user=actor, default_change_reason=reason
        )
    if changed_scores:
        bulk_update_with_history(
            changed_scores,
            IndicatorScore,
            [
                "numerator",
                "denominator",
                "value",
                "raw_points",
                "weighted_points",
                "note",
                "evidence",
                "computed_at",
            ],
            default_user=actor,
            default_change_reason=reason,
        )
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
            for name, value in values.items():
                setattr(result, name, value)
            changed_results.append(result)
    if new_results:
        bulk_create_with_history(
            new_results, TownshipResult, default_user=actor, default_change_reason=reason
        )
    if changed_results:
        bulk_update_with_history(
            changed_results,
            TownshipResult,
            ["total", "rank", "grade", "computed_at"],
            default_user=actor,
            default_change_reason=reason,
        )
    period.status = PeriodStatus.COMPUTED
    period.computed_at = now
    period.needs_recompute = False
    save_with_history(period, actor=actor, reason=reason, validate=False)
    if before_commit is not None:
        before_commit()
    return sorted(new_results + changed_results, key=lambda r: (r.rank, r.township.code))


@transaction.atomic
def lock_period(*, period: AssessmentPeriod, actor) -> AssessmentPeriod:
    """Freeze the reviewed scores: from now on nothing changes them until an unlock."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    PERIOD_POLICY.ensure_allowed(period, actor, PeriodAction.LOCK)
    if period.runs.filter(state__in=(RunState.PENDING, RunState.RUNNING)).exists():
        raise ValidationError(_("A computation of this period is still running."))
    period.status = PeriodStatus.LOCKED
    period.locked_at = timezone.now()
    period.locked_by = actor
    return save_with_history(period, actor=actor, reason=_("Locked"), validate=False)


@transaction.atomic
def publish_period(*, period: AssessmentPeriod, actor) -> AssessmentPeriod:
    """Publish a locked period: the county ranking becomes visible to every township, and
    the objection window (the scheme's days) starts."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    PERIOD_POLICY.ensure_allowed(period, actor, PeriodAction.PUBLISH)
    period.status = PeriodStatus.PUBLISHED
    period.published_at = timezone.now()
    _set_objection_deadline(period, calendar=load_calendar())
    return save_with_history(period, actor=actor, reason=_("Published"), validate=False)


def _set_objection_deadline(period: AssessmentPeriod, *, calendar) -> None:
    published_on = timezone.localtime(period.published_at).date()
    deadline = calendar.deadline(published_on, period.scheme.objection_days)
    period.objection_deadline = deadline.day
    period.objection_deadline_provisional = deadline.provisional


def recompute_objection_deadlines(*, first_day, last_day, reason: str, actor=None) -> int:
    """After the working-day calendar changed between these days: the objection windows of
    published periods that counted them (or are provisional) follow. Returns how many moved."""
    calendar = load_calendar()
    periods = (
        AssessmentPeriod.objects.filter(status=PeriodStatus.PUBLISHED)
        .filter(
            Q(objection_deadline_provisional=True)
            | Q(published_at__date__lt=last_day, objection_deadline__gte=first_day)
        )
        .values_list("pk", flat=True)
    )
    changed = 0
    for pk in list(periods):
        with transaction.atomic():
            period = (
                AssessmentPeriod.objects.select_for_update().select_related("scheme").get(pk=pk)
            )
            before = (period.objection_deadline, period.objection_deadline_provisional)
            _set_objection_deadline(period, calendar=calendar)
            if (period.objection_deadline, period.objection_deadline_provisional) == before:
                continue
            comment = _("Objection window recomputed (working-day calendar: %(reason)s)") % {
                "reason": reason
            }
            save_with_history(period, actor=actor, reason=comment[:100], validate=False)
            changed += 1
    return changed


@transaction.atomic
def unlock_period(*, period: AssessmentPeriod, actor, reason: str) -> AssessmentPeriod:
    """Open a locked or published period for a correction; the reason goes into its history.
    It is then computed, reviewed, locked and published again."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    PERIOD_POLICY.ensure_allowed(period, actor, PeriodAction.UNLOCK, comment=reason)
    period.status = PeriodStatus.COMPUTED
    period.locked_at = None
    period.locked_by = None
    period.published_at = None
    period.objection_deadline = None
    period.objection_deadline_provisional = False
    return save_with_history(period, actor=actor, reason=reason.strip(), validate=False)


def _mark_changed(period: AssessmentPeriod, *, actor, reason: str) -> None:
    """Deductions moved after a computation: the period must be computed again to lock."""
    if period.status == PeriodStatus.COMPUTED and not period.needs_recompute:
        period.needs_recompute = True
        save_with_history(period, actor=actor, reason=reason, validate=False)


# Deductions ------------------------------------------------------------------------------------


@transaction.atomic
def record_deduction(
    *,
    period: AssessmentPeriod,
    township: Township,
    indicator: Indicator,
    points: Decimal,
    reason: str,
    actor,
    files=(),
) -> Deduction:
    """An assessor deducts points from a township for a period, with reason and evidence."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    PERIOD_POLICY.ensure_allowed(period, actor, PeriodAction.DEDUCT)
    errors = {}
    if indicator.scheme_id != period.scheme_id:
        errors["indicator"] = _("Choose an indicator of this period's scheme.")
    elif not indicator.is_manual:
        errors["indicator"] = _(
            "%(name)s is computed from the portal's data: deductions go to an indicator "
            "scored by the assessors."
        ) % {"name": indicator.name}
    if points is None or points <= 0:
        errors["points"] = _("A deduction is more than zero points.")
    elif points > indicator.max_points:
        errors["points"] = _(
            "A deduction of %(points)s points is more than the indicator's maximum of "
            "%(max)s points."
        ) % {"points": plain(points), "max": plain(indicator.max_points)}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the deduction.")
    if errors:
        raise ValidationError(errors)
    for upload in files:
        validate_attachment(upload)
    deduction = Deduction(
        period=period,
        township=township,
        indicator=indicator,
        points=points,
        reason=reason.strip(),
        entered_by=actor,
    )
    save_with_history(deduction, actor=actor)
    for upload in files:
        DeductionEvidence.objects.create(deduction=deduction, file=upload)
    _mark_changed(period, actor=actor, reason=_("Deduction entered"))
    return deduction


@transaction.atomic
def withdraw_deduction(*, deduction: Deduction, actor, reason: str) -> Deduction:
    """An assessor takes back a deduction entered in error (before the period is locked)."""
    deduction = Deduction.objects.select_for_update().select_related("period").get(pk=deduction.pk)
    DEDUCTION_POLICY.ensure_allowed(deduction, actor, DeductionAction.WITHDRAW, comment=reason)
    deduction.state = DeductionState.WITHDRAWN
    save_with_history(deduction, actor=actor, reason=reason.strip())
    _mark_changed(deduction.period, actor=actor, reason=_("Deduction withdrawn"))
    return deduction


# Objections ------------------------------------------------------------------------------------


@transaction.atomic
def file_objection(*, deduction: Deduction, reason: str, actor) -> Objection:
    """A township officer objects to a deduction on their township, with a reason, until the
    objection window closes (the scheme's working days after publication)."""
    deduction = (
        Deduction.objects.select_for_update().select_related("period__scheme").get(pk=deduction.pk)
    )
    DEDUCTION_POLICY.ensure_allowed(deduction, actor, DeductionAction.OBJECT, comment=reason)
    objection = Objection(deduction=deduction, reason=reason.strip(), filed_by=actor)
    return save_with_history(objection, actor=actor)


@transaction.atomic
def decide_objection(*, objection: Objection, accept: bool, actor, comment: str = "") -> Objection:
    """The commerce bureau accepts an objection (the deduction becomes void) or rejects it
    (with a reason). Accepting changes scores, so a locked period must be unlocked first."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("deduction__period")
        .get(pk=objection.pk)
    )
    action = ObjectionAction.ACCEPT if accept else ObjectionAction.REJECT
    OBJECTION_POLICY.ensure_allowed(objection, actor, action, comment=comment)
    period = objection.deduction.period
    objection.state = ObjectionState.ACCEPTED if accept else ObjectionState.REJECTED
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.decision_comment = comment.strip()
    save_with_history(objection, actor=actor, reason=comment)
    if accept:
        deduction = Deduction.objects.select_for_update().get(pk=objection.deduction_id)
        deduction.state = DeductionState.VOID
        save_with_history(deduction, actor=actor, reason=_("Objection accepted"))
        _mark_changed(period, actor=actor, reason=_("Objection accepted"))
    return objection
