"""Moving a case through its states, rerouting it to another lead, assigning an officer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_officer_of_agency
from agencies.models import Agency
from agencies.workdays import load_calendar
from anji_recycling.history import save_with_history

from ..choices import CaseAction, CaseEventKind, CaseSideAction, CaseStatus
from ..models import Case, JointPart
from ..policy import CASE_POLICY
from .events import record, start_or_end_stage


@transaction.atomic
def transition_case(*, case: Case, action: str, actor, comment: str = "", attachments=()) -> Case:
    """Move a case as the state machine allows, for the actor's relation to it. Row-locked:
    of two officers acting at once, the second finds the case already moved and is refused."""
    expected_status = case.status
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != expected_status:
        raise ValidationError(
            _("Someone else has just moved this case (it is now %(status)s); reload the page.")
            % {"status": CaseStatus(case.status).label}
        )
    if action not in CaseAction.values:
        raise ValidationError(_("Unknown action: %(action)s.") % {"action": action})
    move = CASE_POLICY.ensure_allowed(case, actor, action, comment=comment, attachments=attachments)
    source = case.status
    now = timezone.now()
    case.status = move.target
    calendar = load_calendar() if move.starts else None
    start_or_end_stage(case, move.starts, at=now, calendar=calendar)
    if action == CaseAction.RETURN:
        case.return_count += 1
    if move.target == CaseStatus.HANDLED:
        case.handled_at = now
    if move.target == CaseStatus.CLOSED:
        case.closed_at = now
        handled_on = timezone.localtime(case.handled_at or now).date()
        case.closed_on_time = case.handling_deadline is None or handled_on <= case.handling_deadline
    if action == CaseAction.REOPEN:
        case.closed_at = None
        case.closed_on_time = None
    save_with_history(case, actor=actor, reason=comment)
    record(
        case,
        action=CaseEventKind(action),
        actor=actor,
        comment=comment,
        source=source,
        target=move.target,
        attachments=attachments,
    )
    return case


@transaction.atomic
def reroute_case(
    *,
    case: Case,
    lead_agency: Agency | None,
    actor,
    comment: str,
    previous_lead_assists: bool = False,
) -> Case:
    """After a return, the commerce bureau names another lead (None: the township leads). The
    new lead is never its own assisting agency; the previous lead assists only if chosen."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.REROUTE, comment=comment)
    previous, previous_lead_id = case.lead_label, case.lead_agency_id
    case.lead_agency = lead_agency
    case.assigned_to = None
    save_with_history(case, actor=actor, reason=comment)
    if lead_agency is not None:
        case.assisting_agencies.remove(lead_agency)
        JointPart.objects.filter(case=case, agency=lead_agency).delete()
    if previous_lead_assists and previous_lead_id not in (None, case.lead_agency_id):
        case.assisting_agencies.add(previous_lead_id)
    assisting = "、".join(agency.name for agency in case.assisting_agencies.order_by("code"))
    record(
        case,
        action=CaseEventKind.REROUTE,
        actor=actor,
        comment=_("%(previous)s → %(lead)s (assisting: %(assisting)s): %(reason)s")
        % {
            "previous": previous,
            "lead": case.lead_label,
            "assisting": assisting or "—",
            "reason": comment,
        },
    )
    return case


@transaction.atomic
def assign_case(*, case: Case, officer, actor) -> Case:
    """Within the lead agency, give the case to one officer. Row-locked, like every move."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.ASSIGN)
    if not is_officer_of_agency(officer, case.lead_agency_id):
        raise ValidationError({"officer": _("Choose an officer of the lead agency.")})
    case.assigned_to = officer
    save_with_history(case, actor=actor)
    record(case, action=CaseEventKind.ASSIGN, actor=actor, comment=str(officer))
    return case
