"""Joint inspections and joint actions on a site (部门协作、联合执法、属地主责): who may do what
(two policies, read by the services, the pages and the API), the services, and the reads.

A joint inspection (联合检查) is one report filed through `services.file_inspection` with the
officers of several agencies present; each finding is routed, as every finding is, by the duty
table to the agency whose duty covers its category (the case's lead), and the report counts for
every agency present. A joint action on a site is assembled by the commerce bureau, or by the
site's township for its own sites: the agencies, the reason, the day of the joint inspection;
every agency's officers (and the township's) are told."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_agency_officer, is_county_admin, is_officer_of_township
from accounts.choices import NotificationKind
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from anji_recycling.history import save_with_history
from anji_recycling.policy import Policy, Rule

from .choices import JointActionStatus, JointActionStep, SiteAction, SiteActor
from .models import Inspection, InspectionOfficer, JointAction, JointActionAgency

C, T, A = SiteActor.COMMERCE, SiteActor.TOWNSHIP, SiteActor.ASSEMBLED
OPEN = frozenset({JointActionStatus.OPEN})


# Who may do what -------------------------------------------------------------------------------


def site_relations(site, user) -> set[str]:
    """How a user stands to a site, one relation a line."""
    relations = set()
    if is_county_admin(user):
        relations.add(C)
    if is_officer_of_township(user, site.township_id):
        relations.add(T)
    return relations


def _no_open_action(site) -> bool:
    return not JointAction.objects.open().filter(site_id=site.pk).exists()


SITE_POLICY = Policy(
    noun=gettext_lazy("site"),
    rules={
        # 属地主责: the township files the joint inspection of its own site, or the bureau.
        SiteAction.FILE_JOINT_INSPECTION: Rule(
            actors={C, T},
            changes=gettext_lazy(
                "one report listing every present agency's officers; it counts for each agency"
            ),
        ),
        SiteAction.ASSEMBLE: Rule(
            actors={C, T},
            needs_comment=True,
            comment_field="reason",
            when=_no_open_action,
            unless=gettext_lazy(
                "This site already has an open joint action: add the agencies to it."
            ),
            changes=gettext_lazy("a joint action on the site; every agency's officers are told"),
        ),
    },
    relations=site_relations,
    action_label=lambda action: SiteAction(action).label,
    actor_label=lambda actor: SiteActor(actor).label,
    state_label=str,
)


def joint_action_relations(action, user) -> set[str]:
    relations = set()
    if is_county_admin(user):
        relations.add(C)
    if is_officer_of_township(user, action.township_id):
        relations.add(T)
    if is_agency_officer(user) and user.agency_id in _member_ids(action):
        relations.add(A)
    return relations


def _member_ids(action) -> set[int]:
    # Reads the prefetched members when the page has them.
    return {member.agency_id for member in action.members.all()}


JOINT_ACTION_POLICY = Policy(
    noun=gettext_lazy("joint action"),
    rules={
        JointActionStep.ADD_AGENCY: Rule(
            actors={C, T},
            states=OPEN,
            needs_comment=True,
            comment_field="reason",
            changes=gettext_lazy(
                "the agencies of the joint action; the agency's officers are told"
            ),
        ),
        JointActionStep.REMOVE_AGENCY: Rule(
            actors={C, T},
            states=OPEN,
            needs_comment=True,
            comment_field="reason",
            when=lambda action: len(_member_ids(action)) > 1,
            unless=gettext_lazy("A joint action keeps at least one agency: close it instead."),
            changes=gettext_lazy("the agencies of the joint action"),
        ),
        JointActionStep.SET_JOINT_INSPECTION: Rule(
            actors={C, T},
            states=OPEN,
            changes=gettext_lazy("the joint inspection date; every agency's officers are told"),
        ),
        JointActionStep.CLOSE: Rule(
            actors={C, T},
            states=OPEN,
            needs_comment=True,
            comment_field="note",
            changes=gettext_lazy("the joint action is closed"),
        ),
    },
    relations=joint_action_relations,
    action_label=lambda action: JointActionStep(action).label,
    actor_label=lambda actor: SiteActor(actor).label,
    state_label=lambda state: JointActionStatus(state).label,
)


# The joint inspection: one report, several agencies present ------------------------------------


def check_joint_inspection(*, site, inspector, officers) -> None:
    """Before a report with officers present is filed: the inspector may file a joint
    inspection of this site, and everyone listed is an active officer of an agency."""
    SITE_POLICY.ensure_allowed(site, inspector, SiteAction.FILE_JOINT_INSPECTION)
    for officer in officers:
        if not (officer.is_active and is_agency_officer(officer) and officer.agency_id):
            raise ValidationError(
                {
                    "present_officers": _(
                        "%(person)s is not an officer of an agency: list the agencies' officers "
                        "present."
                    )
                    % {"person": officer}
                }
            )


def record_officers_present(*, inspection, officers, actor) -> list[InspectionOfficer]:
    """The officers present, each under the agency they work for, in the report's history."""
    rows = []
    for officer in {person.pk: person for person in officers}.values():
        row = InspectionOfficer(inspection=inspection, agency_id=officer.agency_id, officer=officer)
        rows.append(save_with_history(row, actor=actor))
    return rows


@dataclass(frozen=True)
class PresentAgency:
    agency: object  # agencies.Agency
    officers: list
    finding_count: int  # the report's findings routed to this agency


def present_agencies(inspection, findings) -> list[PresentAgency]:
    """Each agency present at the report with its officers and how many of the report's
    findings its duties cover (from the prefetched `officers_present` and findings' cases)."""
    by_agency: dict = {}
    for row in inspection.officers_present.all():
        by_agency.setdefault(row.agency_id, (row.agency, []))[1].append(row.officer)
    routed = [finding.case.lead_agency_id for finding in findings if finding.case_id]
    return [
        PresentAgency(agency=agency, officers=people, finding_count=routed.count(agency.pk))
        for agency, people in by_agency.values()
    ]


def mark_routing(findings, present: list[PresentAgency]) -> None:
    """Each finding's agency within the report: the duty table's (the case's lead; the township
    when it leads), and whether that agency was present."""
    present_ids = {entry.agency.pk for entry in present}
    for finding in findings:
        case = finding.case if finding.case_id else None
        finding.routed_label = case.lead_label if case else ""
        # The township that leads (illegal building, poor management) filed the report.
        finding.routed_present = case is not None and (
            case.lead_agency_id is None or case.lead_agency_id in present_ids
        )


@dataclass(frozen=True)
class JointInspectionFigures:
    attended: int  # joint inspections the agency was at in the period
    findings: int  # their findings routed to the agency


def joint_inspection_figures(*, agency_id, start_at, end_at) -> JointInspectionFigures:
    """An agency's joint inspections in a period, and their findings its duties cover: one
    query, counted in SQL."""
    present = InspectionOfficer.objects.filter(agency_id=agency_id).values("inspection_id")
    row = Inspection.objects.filter(
        pk__in=present, inspected_at__gte=start_at, inspected_at__lt=end_at
    ).aggregate(
        attended=Count("pk", distinct=True),
        findings=Count("findings", filter=Q(findings__case__lead_agency_id=agency_id)),
    )
    return JointInspectionFigures(attended=row["attended"], findings=row["findings"])


# Joint actions on a site -----------------------------------------------------------------------


def _tell(action: JointAction, *, agency_ids, title: str, body: str, key: str) -> None:
    """The officers of these agencies, and the site's township officers (属地主责)."""
    by_agency = officers_to_notify(agency_ids=list(agency_ids))
    by_township = officers_to_notify(township_ids=[action.township_id])
    recipients = [person for people in by_agency.values() for person in people]
    recipients += by_township.get(action.township_id, [])
    notify(
        recipients=recipients,
        kind=NotificationKind.OTHER,
        title=title,
        key=key,
        body=body,
        link=action.get_absolute_url(),
    )


def _ensure_not_past(day) -> None:
    if day is not None and day < timezone.localdate():
        raise ValidationError(
            {"joint_inspection_on": _("The joint inspection cannot be set on a past day.")}
        )


def _stamp() -> str:
    return f"{timezone.now():%Y%m%d%H%M%S%f}"


@transaction.atomic
def assemble_joint_action(
    *, site, agencies, reason: str, actor, joint_inspection_on: dt.date | None = None
) -> JointAction:
    """The commerce bureau, or the site's township, assembles agencies on a site with the
    reason (and the day of the joint inspection, when known); every agency is told."""
    site = site.__class__.objects.select_for_update().get(pk=site.pk)
    SITE_POLICY.ensure_allowed(site, actor, SiteAction.ASSEMBLE, comment=reason)
    agencies = list({agency.pk: agency for agency in agencies}.values())
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one agency.")})
    _ensure_not_past(joint_inspection_on)
    action = JointAction(
        site=site,
        township_id=site.township_id,
        reason=reason.strip(),
        joint_inspection_on=joint_inspection_on,
        organised_by=actor,
    )
    save_with_history(action, actor=actor, reason=reason)
    for agency in agencies:
        member = JointActionAgency(action=action, agency=agency, reason=reason, added_by=actor)
        save_with_history(member, actor=actor, reason=reason)
    day = joint_inspection_on.isoformat() if joint_inspection_on else ""
    _tell(
        action,
        agency_ids=[agency.pk for agency in agencies],
        title=(
            _("Joint action on %(site)s: joint inspection on %(day)s")
            if day
            else _("Joint action on %(site)s")
        )
        % {"site": site.name, "day": day},
        body=reason,
        key=f"joint-action:{action.pk}:{_stamp()}",
    )
    return action


def _locked(action: JointAction) -> JointAction:
    return (
        JointAction.objects.select_for_update()
        .select_related("site")
        .prefetch_related("members")
        .get(pk=action.pk)
    )


@transaction.atomic
def add_joint_agency(*, action: JointAction, agency, reason: str, actor) -> JointActionAgency:
    action = _locked(action)
    JOINT_ACTION_POLICY.ensure_allowed(action, actor, JointActionStep.ADD_AGENCY, comment=reason)
    if agency.pk in _member_ids(action):
        raise ValidationError({"agency": _("This agency is already part of the joint action.")})
    member = JointActionAgency(action=action, agency=agency, reason=reason, added_by=actor)
    save_with_history(member, actor=actor, reason=reason)
    day = action.joint_inspection_on.isoformat() if action.joint_inspection_on else "—"
    _tell(
        action,
        agency_ids=[agency.pk],
        title=_("Joint action on %(site)s asks %(agency)s to join (joint inspection: %(day)s)")
        % {"site": action.site.name, "agency": agency.name, "day": day},
        body=reason,
        key=f"joint-action:{action.pk}:{agency.pk}:{_stamp()}",
    )
    return member


@transaction.atomic
def remove_joint_agency(*, action: JointAction, agency, reason: str, actor) -> JointAction:
    action = _locked(action)
    JOINT_ACTION_POLICY.ensure_allowed(action, actor, JointActionStep.REMOVE_AGENCY, comment=reason)
    member = next((m for m in action.members.all() if m.agency_id == agency.pk), None)
    if member is None:
        raise ValidationError({"agency": _("This agency is not part of the joint action.")})
    member._history_user, member._change_reason = actor, reason
    member.delete()
    return action


@transaction.atomic
def set_joint_action_inspection(
    *, action: JointAction, on: dt.date, actor, note: str = ""
) -> JointAction:
    """The day every agency of the joint action comes to the site; all are told."""
    action = _locked(action)
    JOINT_ACTION_POLICY.ensure_allowed(action, actor, JointActionStep.SET_JOINT_INSPECTION)
    _ensure_not_past(on)
    action.joint_inspection_on = on
    save_with_history(action, actor=actor, reason=note)
    _tell(
        action,
        agency_ids=_member_ids(action),
        title=_("Joint inspection of %(site)s on %(day)s")
        % {"site": action.site.name, "day": on.isoformat()},
        body=note.strip() or action.reason,
        key=f"joint-action-inspection:{action.pk}:{on.isoformat()}",
    )
    return action


@transaction.atomic
def close_joint_action(*, action: JointAction, note: str, actor) -> JointAction:
    action = _locked(action)
    JOINT_ACTION_POLICY.ensure_allowed(action, actor, JointActionStep.CLOSE, comment=note)
    action.status = JointActionStatus.CLOSED
    action.closing_note = note.strip()
    save_with_history(action, actor=actor, reason=note)
    return action


def joint_actions_for(*, user, site=None):
    """The joint actions the user sees (of one site, when given), with their site, township
    and agencies: three queries whatever their number."""
    actions = JointAction.objects.visible_to(user).select_related(
        "site", "township", "organised_by"
    )
    if site is not None:
        actions = actions.filter(site_id=site.pk)
    return actions.prefetch_related("members__agency")


# How many of a joint action's reports its page lists (the newest first).
ACTION_REPORTS_SHOWN = 50


def reports_of_action(*, action: JointAction, user):
    """The reports filed on the site while the joint action was open (the inspections that
    followed it) that the user sees, newest first, with their inspectors: one query."""
    return (
        Inspection.objects.visible_to(user)
        .filter(joint_action_id=action.pk)
        .select_related("inspector")
        .order_by("-inspected_at", "-pk")[:ACTION_REPORTS_SHOWN]
    )


def action_of_report(*, inspection: Inspection, user) -> JointAction | None:
    """The joint action a report followed, when the user sees it (two queries, none without)."""
    if inspection.joint_action_id is None:
        return None
    return joint_actions_for(user=user).filter(pk=inspection.joint_action_id).first()
