"""Requests for more time (extension, postponement) and their decision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.workdays import load_calendar
from anji_recycling.history import save_with_history

from ..choices import CaseEventKind, CaseSideAction, CaseStatus, RequestAction, RequestState
from ..deadlines import extend_stage
from ..models import Case, CaseRequest
from ..policy import CASE_POLICY, REQUEST_POLICY, WHILE_HANDLED
from .events import record, today


@transaction.atomic
def request_more_time(*, case: Case, kind: str, days: int, reason: str, actor) -> CaseRequest:
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.REQUEST_TIME, comment=reason)
    request = CaseRequest(case=case, kind=kind, days=days, reason=reason, requested_by=actor)
    save_with_history(request, actor=actor)
    record(case, action=CaseEventKind.of_request(kind), actor=actor, comment=reason)
    return request


@transaction.atomic
def decide_request(*, request: CaseRequest, approve: bool, actor, comment: str = "") -> CaseRequest:
    request = CaseRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    REQUEST_POLICY.ensure_allowed(request, actor, RequestAction.DECIDE, comment=comment)
    case = Case.objects.select_for_update().get(pk=request.case_id)
    # More time is given only while the lead agency still handles the case.
    if approve and case.status not in WHILE_HANDLED:
        raise ValidationError(
            _(
                "The case is %(status)s now: more time can no longer be given. Refuse the "
                "request instead."
            )
            % {"status": CaseStatus(case.status).label}
        )
    request.state = RequestState.APPROVED if approve else RequestState.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_comment = comment
    if approve:
        extend_stage(case, request, on=today(), calendar=load_calendar())
        save_with_history(case, actor=actor, reason=comment or request.get_kind_display())
    save_with_history(request, actor=actor, reason=comment)
    record(
        case,
        action=CaseEventKind.of_decision(request.kind, request.state),
        actor=actor,
        comment=comment,
    )
    return request
