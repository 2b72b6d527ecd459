"""Joint enforcement (联合执法): assisting agencies, their parts, the joint inspection day."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from agencies.models import Agency
from anji_recycling.history import save_with_history

from ..choices import CaseEventKind, CaseSideAction, PartState
from ..models import Case, JointPart
from ..policy import CASE_POLICY
from .events import record, today


@transaction.atomic
def add_assisting_agency(*, case: Case, agency: Agency, actor, reason: str) -> Case:
    """The commerce bureau, or the case's township, asks another agency to assist, with the
    reason; the agency's officers are told. The lead is never its own assistant."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.ADD_ASSISTING, comment=reason)
    if agency.pk == case.lead_agency_id:
        raise ValidationError({"agency": _("The lead agency does not assist its own case.")})
    if case.assisting_agencies.filter(pk=agency.pk).exists():
        raise ValidationError({"agency": _("This agency already assists the case.")})
    case.assisting_agencies.add(agency)
    part = JointPart.objects.filter(case=case, agency=agency).first() or JointPart(
        case=case, agency=agency
    )
    part.state, part.note, part.closed_by, part.closed_at = PartState.OPEN, "", None, None
    save_with_history(part, actor=actor, reason=reason)
    record(
        case,
        action=CaseEventKind.ASSIST_ADDED,
        actor=actor,
        comment=_("%(agency)s: %(reason)s") % {"agency": agency.name, "reason": reason},
    )
    notify(
        recipients=officers_to_notify(agency_ids=[agency.pk]).get(agency.pk, []),
        kind=NotificationKind.OTHER,
        title=_("Joint enforcement: case %(number)s asks %(agency)s to assist")
        % {"number": case.number, "agency": agency.name},
        key=f"assist:{case.pk}:{agency.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        body=reason,
        link=case.get_absolute_url(),
    )
    return case


@transaction.atomic
def remove_assisting_agency(*, case: Case, agency: Agency, actor, reason: str) -> Case:
    """An agency leaves the joint action, with the reason kept in the timeline."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.REMOVE_ASSISTING, comment=reason)
    if not case.assisting_agencies.filter(pk=agency.pk).exists():
        raise ValidationError({"agency": _("This agency does not assist the case.")})
    case.assisting_agencies.remove(agency)
    JointPart.objects.filter(case=case, agency=agency).delete()
    record(
        case,
        action=CaseEventKind.ASSIST_REMOVED,
        actor=actor,
        comment=_("%(agency)s: %(reason)s") % {"agency": agency.name, "reason": reason},
    )
    return case


def _close_part(part: JointPart, *, state: str, actor, note: str) -> JointPart:
    part.state, part.note = state, note.strip()
    part.closed_by, part.closed_at = actor, timezone.now()
    return save_with_history(part, actor=actor, reason=note)


@transaction.atomic
def finish_part(*, case: Case, actor, note: str = "") -> JointPart:
    """An assisting agency marks its part of the joint action done (its findings and
    measures recorded on the case)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.FINISH_PART)
    part = JointPart.objects.get(case=case, agency_id=actor.agency_id)
    _close_part(part, state=PartState.DONE, actor=actor, note=note)
    record(
        case,
        action=CaseEventKind.PART_DONE,
        actor=actor,
        comment=f"{part.agency.name} {note}".strip(),
    )
    return part


@transaction.atomic
def waive_part(*, case: Case, agency: Agency, actor, reason: str) -> JointPart:
    """The commerce bureau releases an assisting agency from its open part, with the reason,
    so the lead may finish the case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.WAIVE_PART, comment=reason)
    part = JointPart.objects.filter(case=case, agency=agency, state=PartState.OPEN).first()
    if part is None:
        raise ValidationError({"agency": _("This agency has no open part in the case.")})
    _close_part(part, state=PartState.WAIVED, actor=actor, note=reason)
    record(
        case,
        action=CaseEventKind.PART_WAIVED,
        actor=actor,
        comment=_("%(agency)s: %(reason)s") % {"agency": agency.name, "reason": reason},
    )
    return part


@transaction.atomic
def set_joint_inspection(*, case: Case, on: dt.date, actor, note: str = "") -> Case:
    """The commerce bureau, or the case's township, sets the day of the joint inspection
    (联合检查); the officers of the lead agency, of every assisting agency and of the township
    (属地主责) are told."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.SET_JOINT_INSPECTION)
    if on < today():
        raise ValidationError({"on": _("The joint inspection cannot be set on a past day.")})
    case.joint_inspection_on = on
    save_with_history(case, actor=actor, reason=note)
    agencies = [case.lead_agency_id, *case.assisting_agencies.values_list("pk", flat=True)]
    by_agency = officers_to_notify(agency_ids=[pk for pk in agencies if pk is not None])
    by_township = officers_to_notify(township_ids=[case.township_id])
    recipients = [person for people in by_agency.values() for person in people]
    recipients += by_township.get(case.township_id, [])
    comment = _("%(day)s %(note)s") % {"day": on.isoformat(), "note": note.strip()}
    record(case, action=CaseEventKind.JOINT_INSPECTION_SET, actor=actor, comment=comment.strip())
    notify(
        recipients=recipients,
        kind=NotificationKind.OTHER,
        title=_("Joint inspection of case %(number)s on %(day)s")
        % {"number": case.number, "day": on.isoformat()},
        key=f"joint-inspection:{case.pk}:{on.isoformat()}",
        body=note.strip(),
        link=case.get_absolute_url(),
    )
    return case
