from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChecklistAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("No problem")
    PROBLEMS = "problems", _("Problems found")
    SERIOUS = "serious", _("Serious violation")


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    REGISTERED = "registered", pgettext_lazy("case status", "Registered")
    DISMISSED = "dismissed", _("Not registered")
    DISPATCHED = "dispatched", _("Dispatched")
    HANDLING = "handling", pgettext_lazy("case status", "Handling")
    HANDLED = "handled", _("Handled")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")


OPEN_STATUSES = frozenset(
    {
        CaseStatus.REPORTED,
        CaseStatus.REGISTERED,
        CaseStatus.DISPATCHED,
        CaseStatus.HANDLING,
        CaseStatus.HANDLED,
        CaseStatus.VERIFIED,
    }
)


class CaseAction(models.TextChoices):
    """What a person does to a case; the state machine maps each to a move."""

    REGISTER = "register", _("Register")
    DISMISS = "dismiss", _("Do not register")
    DISPATCH = "dispatch", _("Dispatch")
    ACCEPT = "accept", _("Start handling")
    RETURN = "return", _("Return (outside our duties)")
    FINISH = "finish", _("Handling finished")
    VERIFY_PASS = "verify_pass", _("Verified on site")
    VERIFY_FAIL = "verify_fail", _("Verification failed: back to handling")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")


# Moves that send a case back or end it unhandled: the case page shows them apart from the
# main action and asks for confirmation.
SETBACK_ACTIONS = frozenset({CaseAction.DISMISS, CaseAction.RETURN, CaseAction.VERIFY_FAIL})


class CaseSideAction(models.TextChoices):
    """What a person does to a case besides moving it (the case policy states who and when)."""

    REROUTE = "reroute", _("Re-route")
    ASSIGN = "assign", _("Assign")
    REQUEST_TIME = "request_time", _("Ask for more time")
    RECORD_ENFORCEMENT = "record_enforcement", _("Record an enforcement action")
    ADD_ASSISTING = "add_assisting", _("Add an assisting agency")
    REMOVE_ASSISTING = "remove_assisting", _("Remove an assisting agency")
    FINISH_PART = "finish_part", _("Our part is done")
    WAIVE_PART = "waive_part", _("Waive an agency's part")
    SET_JOINT_INSPECTION = "set_joint_inspection", _("Set the joint inspection date")


class RequestAction(models.TextChoices):
    """What the commerce bureau does to a request for more time."""

    DECIDE = "decide", _("Decide")


class Actor(models.TextChoices):
    """Who may take an action, relative to the case."""

    COMMERCE = "commerce", _("Commerce bureau")
    TOWNSHIP = "township", _("The case's township")
    LEAD = "lead", _("The lead agency")
    ASSISTING = "assisting", _("An assisting agency")
    ASSIGNED = "assigned", _("The handling officer")
    OPEN_PART = "open_part", _("An assisting agency with its part open")


class CaseEventKind(models.TextChoices):
    """What a case event records: a move (the case actions' values), a side action, a request
    and its decision, an enforcement measure (`enforcement_` and the measure's kind)."""

    REPORTED = "reported", _("Reported")
    JOINED = "joined", _("Another report of the same problem")
    REGISTER = "register", _("Register")
    DISMISS = "dismiss", _("Do not register")
    DISPATCH = "dispatch", _("Dispatch")
    ACCEPT = "accept", _("Start handling")
    RETURN = "return", _("Return (outside our duties)")
    FINISH = "finish", _("Handling finished")
    VERIFY_PASS = "verify_pass", _("Verified on site")
    VERIFY_FAIL = "verify_fail", _("Verification failed: back to handling")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    REROUTE = "reroute", _("Re-routed")
    ASSIGN = "assign", _("Assigned")
    ASSIST_ADDED = "assist_added", _("Assisting agency added")
    ASSIST_REMOVED = "assist_removed", _("Assisting agency removed")
    PART_DONE = "part_done", _("Assisting agency's part done")
    PART_WAIVED = "part_waived", _("Assisting agency's part waived")
    JOINT_INSPECTION_SET = "joint_inspection_set", _("Joint inspection date set")
    REQUEST_EXTENSION = "request_extension", _("Extension asked for")
    REQUEST_POSTPONEMENT = "request_postponement", _("Postponement asked for")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    POSTPONEMENT_APPROVED = "postponement_approved", _("Postponement approved")
    POSTPONEMENT_REFUSED = "postponement_refused", _("Postponement refused")
    ENFORCEMENT_RECTIFICATION_ORDER = "enforcement_rectification_order", _("Rectification order")
    ENFORCEMENT_WARNING = "enforcement_warning", _("Warning")
    ENFORCEMENT_FINE = "enforcement_fine", _("Fine")
    ENFORCEMENT_SEIZURE = "enforcement_seizure", _("Seizure")
    ENFORCEMENT_LICENCE_REVOCATION = "enforcement_licence_revocation", _("Licence revocation")
    ENFORCEMENT_BAN = "enforcement_ban", _("Ban")
    ENFORCEMENT_REFERRAL = "enforcement_referral", _("Referral to another agency")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("Deadline recomputed (working-day calendar)")
    DEMO = "demo", _("Demo history")
    OTHER = "other", pgettext_lazy("case event", "Other")

    @classmethod
    def of_request(cls, kind: str) -> "CaseEventKind":
        """An extension or a postponement asked for."""
        return cls(f"request_{kind}")

    @classmethod
    def of_decision(cls, kind: str, state: str) -> "CaseEventKind":
        """A request's decision: its kind and its new state (`extension_approved`)."""
        return cls(f"{kind}_{state}")

    @classmethod
    def of_enforcement(cls, kind: str) -> "CaseEventKind":
        return cls(f"enforcement_{kind}")


class Stage(models.TextChoices):
    """Stages with a deadline in working days (from the duty rule)."""

    REGISTER = "register", _("Registering")
    DISPATCH = "dispatch", _("Dispatching")
    HANDLE = "handle", pgettext_lazy("case stage", "Handling")
    VERIFY = "verify", _("Verifying")


class PartState(models.TextChoices):
    """An assisting agency's part in a joint action (联合执法)."""

    OPEN = "open", pgettext_lazy("part state", "Open")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived by the commerce bureau")


class RequestKind(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    POSTPONEMENT = "postponement", _("Postponement")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class EnforcementKind(models.TextChoices):
    RECTIFICATION_ORDER = "rectification_order", _("Rectification order")
    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    SEIZURE = "seizure", _("Seizure")
    LICENCE_REVOCATION = "licence_revocation", _("Licence revocation")
    BAN = "ban", _("Ban")
    REFERRAL = "referral", _("Referral to another agency")


class PatrolFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class PatrolTaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PatrolActor(models.TextChoices):
    """Who may act on a patrol task, relative to it."""

    TOWNSHIP_STAFF = "township_staff", _("Grid workers and officers of the task's township")
    TOWNSHIP_OFFICER = "township_officer", _("Officers of the task's township")
    GOVERNANCE = "governance", _("The social governance centre")
    COMMERCE = "commerce", _("Commerce bureau")


class PatrolTaskAction(models.TextChoices):
    FILE_REPORT = "file_report", _("File the report")
    ASSIGN = "assign", _("Assign to a grid worker")


class EscalationLevel(models.TextChoices):
    AGENCY = "agency", _("The responsible agency")
    OFFICE = "office", _("The leading-group office")


class SiteActor(models.TextChoices):
    """Who may act on a site's joint inspection or joint action, relative to the site."""

    COMMERCE = "commerce", _("Commerce bureau")
    TOWNSHIP = "township", _("The site's township")
    ASSEMBLED = "assembled", _("An agency of the joint action")


class SiteAction(models.TextChoices):
    """What the commerce bureau, or the site's township, does on a site together with the
    agencies (联合执法、联合检查)."""

    FILE_JOINT_INSPECTION = "file_joint_inspection", _("File a joint inspection")
    ASSEMBLE = "assemble", _("Assemble a joint action")


class JointActionStep(models.TextChoices):
    """What is done to a joint action on a site once assembled."""

    ADD_AGENCY = "add_agency", _("Add an agency")
    REMOVE_AGENCY = "remove_agency", _("Remove an agency")
    SET_JOINT_INSPECTION = "set_joint_inspection", _("Set the joint inspection date")
    CLOSE = "close", _("Close the joint action")


class JointActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("joint action", "Open")
    CLOSED = "closed", pgettext_lazy("joint action", "Closed")
