from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMERCE_ADMIN = "commerce_admin", _("Commerce bureau administrator")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    GRID_WORKER = "grid_worker", _("Grid worker")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    ASSESSOR = "assessor", _("Assessor")
    LEADER = "leader", _("Leading-group leader")
    GOVERNANCE_STAFF = "governance_staff", _("Social governance centre staff")
    COOP_STAFF = "coop_staff", _("Supply and marketing co-op staff")
    ASSOCIATION = "association", _("Industry association")


TOWNSHIP_ROLES = frozenset({Role.TOWNSHIP_OFFICER, Role.GRID_WORKER})
# Roles that belong to one agency and handle the cases it leads or assists on; the centre and the
# co-op hold more than an agency officer besides.
AGENCY_ROLES = frozenset({Role.AGENCY_OFFICER, Role.GOVERNANCE_STAFF, Role.COOP_STAFF})
STAFF_ROLES = frozenset({Role.COMMERCE_ADMIN, Role.TOWNSHIP_OFFICER})


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    LOCKED_OUT = "locked_out", _("Locked out")
    EXPORT = "export", _("Export")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TOKEN_USED = "token_used", _("API token used")


class NotificationKind(models.TextChoices):
    PATROL_TASK = "patrol_task", _("Patrol task")
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
    ACTION_ITEM = "action_item", _("Action item")
    CASE_OVERDUE = "case_overdue", _("Overdue case")
    CASE_ESCALATED = "case_escalated", _("Escalated case")
    LICENCE_EXPIRING = "licence_expiring", _("Licence expiring")
    FILING_OVERDUE = "filing_overdue", _("Filing overdue")
    ASSOCIATION_NOTICE = "association_notice", _("Association notice")
    BALANCE_FLAG = "balance_flag", _("Mass-balance flag")
    SETTLEMENT_DUE = "settlement_due", _("Settlement reminder")
    OTHER = "other", _("Other")


class EmailState(models.TextChoices):
    PENDING = "pending", _("To send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("No email address")


class ApiTokenState(models.TextChoices):
    ACTIVE = "active", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# 督办: what the leading group follows up on reaches its people whatever they choose; every
# other kind of notification a user may turn off.
SUPERVISED_NOTIFICATION_KINDS = frozenset(
    {NotificationKind.CASE_OVERDUE, NotificationKind.CASE_ESCALATED, NotificationKind.ACTION_ITEM}
)


class NotificationSettingAction(models.TextChoices):
    MUTE = "mute", _("Turn off")
    UNMUTE = "unmute", _("Turn on")


class NotificationSettingActor(models.TextChoices):
    OWNER = "owner", _("the user themselves")


class NotificationSettingState(models.TextChoices):
    ON = "on", _("on")
    MUTED = "muted", _("off")
