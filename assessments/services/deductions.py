"""Assessors' deductions and the townships' objections to them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Township
from anji_recycling.history import save_with_history
from anji_recycling.validators import validate_attachment

from ..choices import DeductionAction, DeductionState, ObjectionAction, ObjectionState, PeriodAction
from ..models import AssessmentPeriod, Deduction, DeductionEvidence, Indicator, Objection
from ..policy import DEDUCTION_POLICY, OBJECTION_POLICY, PERIOD_POLICY
from .checks import mark_changed, plain


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
    mark_changed(period, actor=actor, reason=_("Deduction entered"))
    return deduction


@transaction.atomic
def withdraw_deduction(*, deduction: Deduction, actor, reason: str) -> Deduction:
    """An assessor takes back a deduction entered in error (before the period is locked)."""
    deduction = Deduction.objects.select_for_update().select_related("period").get(pk=deduction.pk)
    DEDUCTION_POLICY.ensure_allowed(deduction, actor, DeductionAction.WITHDRAW, comment=reason)
    deduction.state = DeductionState.WITHDRAWN
    save_with_history(deduction, actor=actor, reason=reason.strip())
    mark_changed(deduction.period, actor=actor, reason=_("Deduction withdrawn"))
    return deduction


# Objections


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
        mark_changed(period, actor=actor, reason=_("Objection accepted"))
    return objection
