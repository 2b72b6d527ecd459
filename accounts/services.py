"""Writes to accounts: roles, the security log, API tokens and reading notifications."""

import hashlib
import logging
import secrets
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anji_recycling.history import save_with_history

from .access import is_county_admin
from .choices import (
    STAFF_ROLES,
    NotificationKind,
    NotificationSettingAction,
    Role,
    SecurityEventKind,
)
from .models import ApiToken, Notification, NotificationSetting, SecurityEvent, User
from .policy import NOTIFICATION_SETTING_POLICY, KindChoice
from .roles import group_name

logger = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The client's address, as django-axes resolves it for the lockout (its own function, so
    the security log, the lockout and the API throttles agree); behind the proxies the settings
    name (`client_ip_settings`), never an address the client wrote itself."""
    if request is None:
        return None
    return get_client_ip_address(request)


def record_security_event(
    *, kind: str, request=None, user=None, username: str = "", detail: str = ""
) -> SecurityEvent:
    if user is not None and not user.is_authenticated:
        user = None
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=client_ip(request),
        detail=detail[:500],
    )
    logger.info("security %s user=%s ip=%s %s", kind, event.username, event.ip_address, detail)
    return event


# Roles whose people belong to one agency whatever is chosen: grid workers to the social
# governance centre (as well as to their township), its staff to it, the co-op's to the co-op.
ROLE_AGENCY = {
    Role.GRID_WORKER: "governance",
    Role.GOVERNANCE_STAFF: "governance",
    Role.COOP_STAFF: "coop",
}


def _agency_of_role(role, agency):
    from agencies.models import Agency

    code = ROLE_AGENCY.get(role)
    if code is None:
        return agency
    if agency is not None and agency.code != code:
        raise ValidationError(
            {
                "agency": _("A %(role)s belongs to %(agency)s.")
                % {"role": Role(role).label, "agency": Agency.objects.get(code=code)}
            }
        )
    return agency or Agency.objects.filter(code=code).first()


@transaction.atomic
def assign_role(
    *, user: User, role: str, actor=None, agency=None, township=None, request=None
) -> User:
    """Give a user a role (with its agency or township) and the role's group, and log it."""
    agency = _agency_of_role(role, agency)
    stored = User.objects.filter(pk=user.pk).values_list("role", "agency_id", "township_id")
    before = stored.first() or ("", None, None)
    user.role = role
    user.agency = agency
    user.township = township
    user.is_staff = user.is_superuser or role in STAFF_ROLES
    user.full_clean(exclude=["password"])
    user.save()
    stale = user.groups.filter(name__startswith="role:").exclude(name=group_name(role))
    if stale:
        user.groups.remove(*stale)
    if role and not user.groups.filter(name=group_name(role)).exists():
        user.groups.add(Group.objects.get(name=group_name(role)))
    after = (user.role, user.agency_id, user.township_id)
    if before != after:
        record_security_event(
            kind=SecurityEventKind.PERMISSION_CHANGE,
            request=request,
            user=actor,
            detail=f"user={user.username} role={before[0] or '-'}→{role or '-'} "
            f"agency={before[1]}→{after[1]} township={before[2]}→{after[2]}",
        )
    return user


def mark_notifications_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read: those ids, or all of them. Returns how many changed.
    Another user's notification is never touched, whatever ids are given."""
    unread = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


# last_used_at is written at most this often per token, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def hash_token_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def ensure_manages_tokens(actor) -> None:
    """Only the commerce bureau (and superusers) issue, list and revoke API tokens."""
    if not is_county_admin(actor):
        raise PermissionDenied(_("Only the commerce bureau issues and revokes API tokens."))


@transaction.atomic
def issue_api_token(*, user: User, name: str, actor, request=None) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for API_TOKEN_LIFETIME_DAYS. Returns the token and its key,
    which is not stored and cannot be shown again."""
    ensure_manages_tokens(actor)
    if not user.is_active:
        raise ValidationError({"user": _("This user is deactivated and cannot use the API.")})
    if user.is_superuser and not actor.is_superuser:
        # A token acts as its user: a superuser's would give more than the actor has.
        raise ValidationError({"user": _("Only a superuser issues tokens for a superuser.")})
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_hash=hash_token_key(key),
        key_prefix=key[:8],
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    record_security_event(
        kind=SecurityEventKind.TOKEN_ISSUED,
        request=request,
        user=actor,
        detail=f"user={user.username} token={token.key_prefix} name={token.name} "
        f"expires={timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}",
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor, request=None) -> ApiToken:
    """The token stops working at once; revoking it twice changes nothing."""
    ensure_manages_tokens(actor)
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_security_event(
        kind=SecurityEventKind.TOKEN_REVOKED,
        request=request,
        user=actor,
        detail=f"user={token.user.username} token={token.key_prefix} name={token.name}",
    )
    return token


def record_token_use(*, token: ApiToken, request=None) -> None:
    """Note that a token was used: last_used_at at most once a minute (one conditional UPDATE,
    so concurrent requests write it once), and a security-log row on its first use of each day
    (Asia/Shanghai)."""
    now = timezone.now()
    previous = token.last_used_at
    if previous is not None and now - previous < TOKEN_USE_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_RESOLUTION)
    if not ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        return  # another request wrote it just now
    token.last_used_at = now
    if previous is None or timezone.localdate(previous) != timezone.localdate(now):
        record_security_event(
            kind=SecurityEventKind.TOKEN_USED,
            request=request,
            user=token.user,
            detail=f"token={token.key_prefix} name={token.name}",
        )


@transaction.atomic
def set_notification_kind(*, user, kind: str, action: str, actor) -> NotificationSetting:
    """Turn one kind of notification off or on for `user` (only they may, and not the 督办
    kinds: accounts.policy), with a history entry."""
    if kind not in NotificationKind.values:
        raise ValidationError({"kind": _("Choose one of the kinds of notification.")})
    setting = NotificationSetting.objects.select_for_update().filter(
        user_id=user.pk, kind=kind
    ).first() or NotificationSetting(user=user, kind=kind)
    choice = KindChoice(user_id=user.pk, kind=kind, muted=setting.muted)
    NOTIFICATION_SETTING_POLICY.ensure_allowed(choice, actor, action)
    setting.muted = action == NotificationSettingAction.MUTE
    return save_with_history(setting, actor=actor)
