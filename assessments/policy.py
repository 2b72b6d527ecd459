"""Who may do what in the township assessment, as data: a period (deduct, compute, lock,
publish, unlock), a deduction (withdraw, object) and an objection (accept, reject).

Services call `ensure_allowed` first; the period, township and deduction pages render their
buttons from `allowed_actions`. A new rule is one edit in a table below.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import assesses_for, is_assessor, is_county_admin, is_officer_of_township
from anji_recycling.policy import Policy, Rule

from .choices import (
    FROZEN_STATUSES,
    AssessmentActor,
    DeductionAction,
    DeductionState,
    ObjectionAction,
    ObjectionState,
    PeriodAction,
    PeriodStatus,
)

C, A, T = AssessmentActor.COMMERCE, AssessmentActor.ASSESSOR, AssessmentActor.TOWNSHIP


def relations(user, *, township_id=None, scheme=None) -> set[str]:
    """How a user stands to an assessment record of a township, one relation a line. An
    assessor acts on a scheme of their own agency (or one that names no agency)."""
    held = set()
    if is_county_admin(user):
        held.add(C)
    if is_assessor(user) and (scheme is None or assesses_for(user, scheme.owner_agency_code)):
        held.add(A)
    if is_officer_of_township(user, township_id):
        held.add(T)
    return held


def _label(choices):
    return lambda value: choices(value).label


def _not_frozen(period) -> bool:
    return period.status not in FROZEN_STATUSES


def locked_message(period) -> str:
    return _(
        "The period %(period)s is locked: its scores no longer change. To correct it, the "
        "commerce bureau first unlocks it, giving the reason."
    ) % {"period": period}


def _no_deduction_message(period) -> str:
    return _(
        "The period %(period)s is locked: no deduction can be added. Ask the commerce "
        "bureau to unlock it if a correction is needed."
    ) % {"period": period}


def _computed_since_changes(period) -> bool:
    return not period.needs_recompute


PERIOD_POLICY = Policy(
    noun=gettext_lazy("assessment period"),
    rules={
        PeriodAction.DEDUCT: Rule(
            actors={A, C},
            when=_not_frozen,
            unless=_no_deduction_message,
            changes=gettext_lazy("a deduction; a computed period must be computed again"),
        ),
        PeriodAction.COMPUTE: Rule(actors={C}, when=_not_frozen, unless=locked_message),
        PeriodAction.LOCK: Rule(
            actors={C},
            states={PeriodStatus.COMPUTED},
            when=_computed_since_changes,
            unless=lambda period: _(
                "Deductions or objections changed after the last computation: compute the "
                "period again, review it, then lock it."
            ),
        ),
        PeriodAction.PUBLISH: Rule(
            actors={C},
            states={PeriodStatus.LOCKED},
            changes=gettext_lazy("the ranking is public; the objection window starts"),
        ),
        PeriodAction.UNLOCK: Rule(
            actors={C}, states=FROZEN_STATUSES, needs_comment=True, comment_field="reason"
        ),
    },
    relations=lambda period, user: relations(user, scheme=period.scheme),
    action_label=_label(PeriodAction),
    actor_label=_label(AssessmentActor),
    state_label=_label(PeriodStatus),
)


def _earlier_objection(deduction):
    # Reads the prefetched objections when the page has them.
    return next(
        (
            objection
            for objection in deduction.objections.all()
            if objection.state in (ObjectionState.PENDING, ObjectionState.REJECTED)
        ),
        None,
    )


def _why_no_objection(deduction) -> str | None:
    """Why the township cannot object to this deduction now; None when it can."""
    deadline = deduction.period.objection_deadline
    if deadline is not None and timezone.localdate() > deadline:
        return _(
            "The objection window closed on %(date)s (%(days)s working days after the "
            "results were published): no objection can be filed any more."
        ) % {"date": f"{deadline:%Y-%m-%d}", "days": deduction.period.scheme.objection_days}
    earlier = _earlier_objection(deduction)
    if earlier is None:
        return None
    if earlier.state == ObjectionState.PENDING:
        return _("This deduction already has an objection waiting.")
    return _(
        "The objection to this deduction was rejected on %(date)s: it cannot be raised again."
    ) % {"date": f"{timezone.localtime(earlier.decided_at):%Y-%m-%d}"}


DEDUCTION_POLICY = Policy(
    noun=gettext_lazy("deduction"),
    rules={
        DeductionAction.WITHDRAW: Rule(
            actors={A, C},
            states={DeductionState.ACTIVE},
            when=lambda deduction: _not_frozen(deduction.period),
            unless=lambda deduction: locked_message(deduction.period),
            needs_comment=True,
            comment_field="reason",
        ),
        DeductionAction.OBJECT: Rule(
            actors={T},
            states={DeductionState.ACTIVE},
            when=lambda deduction: _why_no_objection(deduction) is None,
            unless=_why_no_objection,
            needs_comment=True,
            comment_field="reason",
            changes=gettext_lazy("an objection for the commerce bureau to decide"),
        ),
    },
    relations=lambda deduction, user: relations(user, township_id=deduction.township_id),
    state_of=lambda deduction: deduction.state,
    action_label=_label(DeductionAction),
    actor_label=_label(AssessmentActor),
    state_label=_label(DeductionState),
)

OBJECTION_POLICY = Policy(
    noun=gettext_lazy("objection"),
    rules={
        # Accepting voids the deduction and so changes scores: not on a locked period.
        ObjectionAction.ACCEPT: Rule(
            actors={C},
            states={ObjectionState.PENDING},
            when=lambda objection: _not_frozen(objection.deduction.period),
            unless=lambda objection: (
                _(
                    "The period %(period)s is locked: accepting the objection would change its "
                    "scores. Unlock the period first, giving the reason."
                )
                % {"period": objection.deduction.period}
            ),
            changes=gettext_lazy("the deduction becomes void"),
        ),
        ObjectionAction.REJECT: Rule(
            actors={C}, states={ObjectionState.PENDING}, needs_comment=True
        ),
    },
    relations=lambda objection, user: relations(user, township_id=objection.deduction.township_id),
    state_of=lambda objection: objection.state,
    action_label=_label(ObjectionAction),
    actor_label=_label(AssessmentActor),
    state_label=_label(ObjectionState),
)
