"""Every write to inspections and cases goes through these services."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_agency_officer, is_officer_of_agency
from accounts.choices import NotificationKind
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from agencies.models import Agency, ProblemCategory
from agencies.routing import duties_of, route
from agencies.workdays import load_calendar
from anji_recycling.history import save_with_history
from anji_recycling.validators import (
    validate_attachment,
    validate_image_upload,
    validate_position,
)
from sites.choices import SiteStatus
from sites.services import change_site_status

from .choices import (
    OPEN_STATUSES,
    CaseAction,
    CaseEventKind,
    CaseSideAction,
    CaseStatus,
    EnforcementKind,
    InspectionResult,
    PartState,
    PatrolTaskAction,
    PatrolTaskStatus,
    RequestAction,
    RequestState,
    Stage,
)
from .deadlines import end_stage, extend_stage, start_stage
from .joint import check_joint_inspection, record_officers_present
from .models import (
    Case,
    CaseEvent,
    CaseRequest,
    CaseSequence,
    ChecklistItem,
    ChecklistResponse,
    EnforcementAction,
    Evidence,
    Finding,
    Inspection,
    JointAction,
    JointPart,
    PatrolTask,
)
from .patrols import complete_patrol_tasks
from .policy import CASE_POLICY, ENDS_STAGE, PATROL_TASK_POLICY, REQUEST_POLICY, WHILE_HANDLED

MAX_FINDINGS = 20
MAX_PHOTOS_PER_FINDING = 9
# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)


def ensure_not_in_future(inspected_at) -> None:
    if inspected_at is not None and inspected_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError(
            _("The inspection cannot lie in the future."), code="inspected_in_future"
        )


def too_many_photos() -> ValidationError:
    return ValidationError(
        _("At most %(count)s photos per problem."),
        code="too_many_photos",
        params={"count": MAX_PHOTOS_PER_FINDING},
    )


@dataclass
class FindingInput:
    category: ProblemCategory
    description: str
    is_serious: bool = False
    photos: list = field(default_factory=list)


def _today() -> dt.date:
    return timezone.localdate()


def _next_case_number(year: int) -> str:
    sequence, _created = CaseSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"AJ{year}{sequence.last:06d}"


def _start_stage(case: Case, stage: str | None, *, at, calendar) -> None:
    if stage is None:
        if case.status in ENDS_STAGE:
            end_stage(case)
        return
    start_stage(case, stage, at=at, calendar=calendar)


def _record(case, *, action, actor, comment="", source="", target="", attachments=()):
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=source,
        to_status=target,
        actor=actor,
        comment=comment,
    )
    for upload in attachments:
        validate_attachment(upload)
        Evidence.objects.create(event=event, file=upload)
    return event


# Opening cases ---------------------------------------------------------------------------


def _open_or_join_case(*, site, finding: Finding, actor, reported_at, calendar) -> Case:
    existing = (
        Case.objects.select_for_update()
        .filter(site=site, category=finding.category, status__in=OPEN_STATUSES)
        .first()
    )
    if existing is not None:
        _record(existing, action=CaseEventKind.JOINED, actor=actor, comment=finding.description)
        return existing
    routing = route(category=finding.category, township=site.township, village=site.village)
    rule = routing.rule
    case = Case(
        number=_next_case_number(timezone.localtime(reported_at).year),
        site=site,
        township=site.township,
        village=site.village,
        category=finding.category,
        description=finding.description,
        duty_rule=rule,
        area=routing.area,
        lead_agency=routing.lead_agency,
        deadline_days={
            Stage.REGISTER: rule.register_days,
            Stage.DISPATCH: rule.dispatch_days,
            Stage.HANDLE: rule.handle_days,
            Stage.VERIFY: rule.verify_days,
        },
        reported_by=actor,
        reported_at=reported_at,
        is_serious=finding.is_serious,
    )
    _start_stage(case, Stage.REGISTER, at=reported_at, calendar=calendar)
    try:
        with transaction.atomic():
            save_with_history(case, actor=actor)
    except IntegrityError:
        # Another report opened the same case a moment ago: join it instead.
        existing = Case.objects.get(site=site, category=finding.category, status__in=OPEN_STATUSES)
        _record(existing, action=CaseEventKind.JOINED, actor=actor, comment=finding.description)
        return existing
    _record(
        case,
        action=CaseEventKind.REPORTED,
        actor=actor,
        comment=finding.description,
        target=CaseStatus.REPORTED,
    )
    return case


@transaction.atomic
def open_reported_case(*, site, category: ProblemCategory, description: str, actor) -> Case:
    """A case reported without an inspection (a resident's 举报): routed by the duty table
    like a patrol's finding, joined to the site's open case of the same category if any."""
    finding = FindingInput(category=category, description=description)
    return _open_or_join_case(
        site=site,
        finding=finding,
        actor=actor,
        reported_at=timezone.now(),
        calendar=load_calendar(),
    )


def _link_joint_enforcement(cases: list[Case]) -> None:
    """Problems for several agencies in one report: each case's lead is the others' helper."""
    leads = {case.lead_agency_id for case in cases if case.lead_agency_id}
    for case in cases:
        helpers = leads - {case.lead_agency_id}
        if helpers:
            case.assisting_agencies.add(*helpers)


def result_of(findings) -> str:
    """The overall result the findings give: none, some, or a serious one among them."""
    if any(finding.is_serious for finding in findings):
        return InspectionResult.SERIOUS
    return InspectionResult.PROBLEMS if findings else InspectionResult.PASSED


def already_filed(*, idempotency_key, inspector) -> Inspection | None:
    """The inspection filed earlier under this report key, marked `replayed`; None when the key
    is new (or not given). A key of someone else's report is refused."""
    if not idempotency_key:
        return None
    existing = Inspection.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.inspector_id != inspector.pk:
        raise ValidationError(_("This report key belongs to another person's report."))
    existing.replayed = True
    return existing


@transaction.atomic
def file_inspection(
    *,
    site,
    inspector,
    result: str = "",
    answers: dict | None = None,
    findings: list[FindingInput] = (),
    inspected_at=None,
    latitude=None,
    longitude=None,
    note: str = "",
    idempotency_key=None,
    present=(),
) -> Inspection:
    """A patrol report: the checklist, the findings with photos, and the cases they open; the
    overall result, when not given, is the findings' (`result_of`). Sent again with the same
    `idempotency_key` (a retry), it returns the inspection filed the first time, with
    `replayed` set, and changes nothing. With agencies' officers `present`, it is a joint
    inspection (联合检查, inspections/joint.py): the site policy decides who may file one."""
    existing = already_filed(idempotency_key=idempotency_key, inspector=inspector)
    if existing is not None:
        return existing
    result = result or result_of(findings)
    if not site.__class__.objects.visible_to(inspector).filter(pk=site.pk).exists():
        raise PermissionDenied(_("You may not inspect sites outside your own area."))
    if present:
        check_joint_inspection(site=site, inspector=inspector, officers=present)
    if findings and result == InspectionResult.PASSED:
        raise ValidationError(
            {"result": _("A report with problems cannot be marked 'no problem'.")}
        )
    if not findings and result != InspectionResult.PASSED:
        raise ValidationError({"result": _("Record at least one problem, or mark 'no problem'.")})
    try:
        ensure_not_in_future(inspected_at)
    except ValidationError as error:
        raise ValidationError({"inspected_at": error}) from error
    if len(findings) > MAX_FINDINGS:
        raise ValidationError(_("At most %(count)s problems per report.") % {"count": MAX_FINDINGS})
    validate_position(latitude, longitude)
    for item in findings:
        if len(item.photos) > MAX_PHOTOS_PER_FINDING:
            raise ValidationError({"photos": too_many_photos()})
        for photo in item.photos:
            validate_image_upload(photo)
    inspection = Inspection(
        site=site,
        township=site.township,
        inspector=inspector,
        inspected_at=inspected_at or timezone.now(),
        result=result,
        latitude=latitude,
        longitude=longitude,
        note=note,
        idempotency_key=idempotency_key,
        joint_action=JointAction.objects.open().filter(site_id=site.pk).first(),
    )
    inspection.full_clean(exclude=["idempotency_key"])  # the constraint decides, below
    try:
        with transaction.atomic():
            inspection.save()
    except IntegrityError:
        # The same report arrived twice at once: the other request filed it.
        existing = already_filed(idempotency_key=idempotency_key, inspector=inspector)
        if existing is None:
            raise
        return existing
    inspection.replayed = False
    record_officers_present(inspection=inspection, officers=present, actor=inspector)
    items = ChecklistItem.objects.in_bulk(list((answers or {}).keys()))
    ChecklistResponse.objects.bulk_create(
        ChecklistResponse(inspection=inspection, item=items[item_id], answer=answer)
        for item_id, answer in (answers or {}).items()
        if item_id in items
    )
    cases = []
    calendar = load_calendar() if findings else None
    for item in findings:
        finding = Finding.objects.create(
            inspection=inspection,
            category=item.category,
            description=item.description,
            is_serious=item.is_serious,
        )
        for photo in item.photos:
            Evidence.objects.create(finding=finding, file=photo)
        case = _open_or_join_case(
            site=site,
            finding=finding,
            actor=inspector,
            reported_at=inspection.inspected_at,
            calendar=calendar,
        )
        finding.case = case
        finding.save(update_fields=["case"])
        cases.append(case)
    _link_joint_enforcement(cases)
    complete_patrol_tasks(inspection=inspection)
    return inspection


@transaction.atomic
def file_task_report(*, task: PatrolTask, inspector, **report) -> Inspection:
    """A patrol task completed by filing its site's report (`report` as for file_inspection):
    refused unless the task is open and the inspector of its township, and unless the report
    lies within the task's period, so that it really completes the task."""
    existing = already_filed(idempotency_key=report.get("idempotency_key"), inspector=inspector)
    if existing is not None:
        return existing
    task = PatrolTask.objects.select_for_update().select_related("site").get(pk=task.pk)
    PATROL_TASK_POLICY.ensure_allowed(task, inspector, PatrolTaskAction.FILE_REPORT)
    inspection = file_inspection(site=task.site, inspector=inspector, **report)
    task.refresh_from_db(fields=["status"])
    if task.status != PatrolTaskStatus.DONE:
        raise ValidationError(
            {
                "inspected_at": _(
                    "The task runs from %(start)s to %(due)s: a report outside that period "
                    "does not complete it."
                )
                % {"start": f"{task.period_start:%Y-%m-%d}", "due": f"{task.due_on:%Y-%m-%d}"}
            }
        )
    return inspection


# Moving cases ------------------------------------------------------------------------------


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
    _start_stage(case, move.starts, at=now, calendar=calendar)
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
    _record(
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
    _record(
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
    _record(case, action=CaseEventKind.ASSIGN, actor=actor, comment=str(officer))
    return case


# Extensions and postponements -----------------------------------------------------------------


@transaction.atomic
def request_more_time(*, case: Case, kind: str, days: int, reason: str, actor) -> CaseRequest:
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.REQUEST_TIME, comment=reason)
    request = CaseRequest(case=case, kind=kind, days=days, reason=reason, requested_by=actor)
    save_with_history(request, actor=actor)
    _record(case, action=CaseEventKind.of_request(kind), actor=actor, comment=reason)
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
        extend_stage(case, request, on=_today(), calendar=load_calendar())
        save_with_history(case, actor=actor, reason=comment or request.get_kind_display())
    save_with_history(request, actor=actor, reason=comment)
    _record(
        case,
        action=CaseEventKind.of_decision(request.kind, request.state),
        actor=actor,
        comment=comment,
    )
    return request


# Enforcement ------------------------------------------------------------------------------

SITE_EFFECTS = {
    EnforcementKind.RECTIFICATION_ORDER: SiteStatus.RECTIFYING,
    EnforcementKind.BAN: SiteStatus.BANNED,
}


@transaction.atomic
def record_enforcement_action(*, action: EnforcementAction, actor) -> EnforcementAction:
    """The lead agency records a measure; a rectification order puts the site into 整改中
    and a ban into 已取缔, through the site service so the site's history names the case."""
    case = action.case
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.RECORD_ENFORCEMENT)
    action.recorded_by = actor
    # The lead's measure is the lead agency's; an assisting agency records its own, within
    # its duties.
    leads = is_officer_of_agency(actor, case.lead_agency_id) or not is_agency_officer(actor)
    action.agency = case.lead_agency if leads else actor.agency
    if leads and action.category_id is None:
        action.category = case.category
    if not leads:
        ensure_within_duties(action)
    save_with_history(action, actor=actor)
    target = SITE_EFFECTS.get(action.kind)
    site = case.site
    if target and site.status != target:
        change_site_status(
            site=site,
            to=target,
            actor=actor,
            reason=f"{action.get_kind_display()} {action.document_number}".strip(),
            source=_("Case %(number)s") % {"number": case.number},
        )
    _record(
        case, action=CaseEventKind.of_enforcement(action.kind), actor=actor, comment=action.note
    )
    return action


def ensure_within_duties(action: EnforcementAction) -> None:
    """An assisting agency acts only on the problems the duty table gives it (fire safety by
    the fire brigade, licences by market regulation, pollution by ecology, ...)."""
    duties = duties_of(agency_id=action.agency_id)
    if action.category_id in duties:
        return
    names = "、".join(
        ProblemCategory.objects.filter(pk__in=duties)
        .order_by("sort_order")
        .values_list("name", flat=True)
    )
    if not names:
        message = _("The duty table gives %(agency)s no problem to act on.")
    else:
        message = _(
            "Name the problem the measure addresses, within the duties of %(agency)s: %(duties)s."
        )
    raise ValidationError({"category": message % {"agency": action.agency.name, "duties": names}})


# Joint enforcement (联合执法) -------------------------------------------------------------------


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
    _record(
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
    _record(
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
    _record(
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
    _record(
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
    if on < _today():
        raise ValidationError({"on": _("The joint inspection cannot be set on a past day.")})
    case.joint_inspection_on = on
    save_with_history(case, actor=actor, reason=note)
    agencies = [case.lead_agency_id, *case.assisting_agencies.values_list("pk", flat=True)]
    by_agency = officers_to_notify(agency_ids=[pk for pk in agencies if pk is not None])
    by_township = officers_to_notify(township_ids=[case.township_id])
    recipients = [person for people in by_agency.values() for person in people]
    recipients += by_township.get(case.township_id, [])
    comment = _("%(day)s %(note)s") % {"day": on.isoformat(), "note": note.strip()}
    _record(case, action=CaseEventKind.JOINT_INSPECTION_SET, actor=actor, comment=comment.strip())
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
