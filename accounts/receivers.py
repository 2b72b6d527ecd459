"""Security log entries for Django's own authentication and permission signals."""

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from anji_recycling.middleware import IdleSessionMiddleware

from .choices import SecurityEventKind
from .models import User
from .services import record_security_event


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    record_security_event(kind=SecurityEventKind.LOGIN, request=request, user=user)
    if request is not None and hasattr(request, "session"):
        IdleSessionMiddleware.mark_fresh(request.session)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(kind=SecurityEventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    record_security_event(
        kind=SecurityEventKind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(user_locked_out)
def log_locked_out(sender, request, username, ip_address, **kwargs):
    record_security_event(
        kind=SecurityEventKind.LOCKED_OUT,
        request=request,
        username=str(username or "")[:150],
        detail=f"ip={ip_address}",
    )


def _log_m2m_change(instance, action, pk_set, field):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action != "post_clear" and not pk_set:
        return
    label = instance.username if isinstance(instance, User) else f"group:{instance.name}"
    # The admin changes groups outside our services; the history middleware holds its request.
    request = getattr(HistoricalRecords.context, "request", None)
    record_security_event(
        kind=SecurityEventKind.PERMISSION_CHANGE,
        request=request,
        user=getattr(request, "user", None),
        detail=f"{label} {field} {action.removeprefix('post_')} {sorted(pk_set or [])}",
    )


@receiver(m2m_changed, sender=User.groups.through)
def log_group_membership(sender, instance, action, pk_set, **kwargs):
    _log_m2m_change(instance, action, pk_set, "groups")


@receiver(m2m_changed, sender=User.user_permissions.through)
def log_user_permissions(sender, instance, action, pk_set, **kwargs):
    _log_m2m_change(instance, action, pk_set, "permissions")


@receiver(m2m_changed, sender=Group.permissions.through)
def log_group_permissions(sender, instance, action, pk_set, **kwargs):
    _log_m2m_change(instance, action, pk_set, "permissions")
