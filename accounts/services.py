"""Writes to accounts: roles, the security log and reading notifications."""

import logging

from axes.helpers import get_client_ip_address
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .choices import STAFF_ROLES, SecurityEventKind
from .models import Notification, SecurityEvent, User
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


@transaction.atomic
def assign_role(
    *, user: User, role: str, actor=None, agency=None, township=None, request=None
) -> User:
    """Give a user a role (with its agency or township) and the role's group, and log it."""
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
