"""Filing inspection reports (and residents' reports), and the cases their findings open."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import ProblemCategory
from agencies.routing import route
from agencies.workdays import load_calendar
from anji_recycling.history import save_with_history
from anji_recycling.validators import validate_image_upload, validate_position

from ..choices import (
    OPEN_STATUSES,
    CaseEventKind,
    CaseStatus,
    InspectionResult,
    PatrolTaskAction,
    PatrolTaskStatus,
    Stage,
)
from ..joint import check_joint_inspection, record_officers_present
from ..models import (
    Case,
    CaseSequence,
    ChecklistItem,
    ChecklistResponse,
    Evidence,
    Finding,
    Inspection,
    JointAction,
    PatrolTask,
)
from ..patrols import complete_patrol_tasks
from ..policy import PATROL_TASK_POLICY
from .events import record, start_or_end_stage

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


def _next_case_number(year: int) -> str:
    sequence, _created = CaseSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"AJ{year}{sequence.last:06d}"


# Opening cases ---------------------------------------------------------------------------


def _open_or_join_case(*, site, finding: Finding, actor, reported_at, calendar) -> Case:
    existing = (
        Case.objects.select_for_update()
        .filter(site=site, category=finding.category, status__in=OPEN_STATUSES)
        .first()
    )
    if existing is not None:
        record(existing, action=CaseEventKind.JOINED, actor=actor, comment=finding.description)
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
    start_or_end_stage(case, Stage.REGISTER, at=reported_at, calendar=calendar)
    try:
        with transaction.atomic():
            save_with_history(case, actor=actor)
    except IntegrityError:
        # Another report opened the same case a moment ago: join it instead.
        existing = Case.objects.get(site=site, category=finding.category, status__in=OPEN_STATUSES)
        record(existing, action=CaseEventKind.JOINED, actor=actor, comment=finding.description)
        return existing
    record(
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
    _check_report(
        site=site,
        inspector=inspector,
        result=result,
        findings=findings,
        inspected_at=inspected_at,
        present=present,
    )
    validate_position(latitude, longitude)
    _check_photos(findings)
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
    _answer_checklist(inspection, answers or {})
    _link_joint_enforcement(_record_findings(inspection, findings))
    complete_patrol_tasks(inspection=inspection)
    return inspection


def _check_report(*, site, inspector, result, findings, inspected_at, present) -> None:
    """Who may file the report, and whether its result agrees with its findings."""
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


def _check_photos(findings) -> None:
    for item in findings:
        if len(item.photos) > MAX_PHOTOS_PER_FINDING:
            raise ValidationError({"photos": too_many_photos()})
        for photo in item.photos:
            validate_image_upload(photo)


def _answer_checklist(inspection: Inspection, answers: dict) -> None:
    items = ChecklistItem.objects.in_bulk(list(answers.keys()))
    ChecklistResponse.objects.bulk_create(
        ChecklistResponse(inspection=inspection, item=items[item_id], answer=answer)
        for item_id, answer in answers.items()
        if item_id in items
    )


def _record_findings(inspection: Inspection, findings) -> list[Case]:
    """Each finding with its photos, and the case it opens (or joins)."""
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
            site=inspection.site,
            finding=finding,
            actor=inspection.inspector,
            reported_at=inspection.inspected_at,
            calendar=calendar,
        )
        finding.case = case
        finding.save(update_fields=["case"])
        cases.append(case)
    return cases


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
