"""Writes to assessment periods: opening one, changing its scheme, locking, publishing and
unlocking it, and its objection deadline.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.workdays import load_calendar
from anji_recycling.history import save_with_history

from ..choices import DeductionState, PeriodAction, PeriodKind, PeriodStatus, RunState
from ..models import AssessmentPeriod, AssessmentScheme
from ..policy import PERIOD_POLICY, locked_message
from .checks import refuse_when_frozen, require_commerce_admin


@transaction.atomic
def open_period(
    *, scheme: AssessmentScheme, kind: str, year: int, quarter: int | None, actor
) -> AssessmentPeriod:
    """A new quarter or year to assess with a scheme version."""
    require_commerce_admin(actor, _("Only the commerce bureau opens assessment periods."))
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
    require_commerce_admin(actor, _("Only the commerce bureau opens assessment periods."))
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    refuse_when_frozen(period, locked_message(period))
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
