"""Reads for accounts: a user's notification inbox, the API tokens."""

from django.db.models import QuerySet

from .models import ApiToken, Notification


def inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody sees another user's inbox)."""
    notifications = Notification.objects.visible_to(user).order_by("-created_at", "-pk")
    return notifications.unread() if unread_only else notifications


def unread_count(*, user) -> int:
    return Notification.objects.visible_to(user).unread().count()


def api_tokens(*, user) -> QuerySet[ApiToken]:
    """Every API token the user may manage (commerce bureau: all), newest first, with the
    people it names: one query whatever the number of tokens."""
    return ApiToken.objects.visible_to(user).select_related("user", "created_by", "revoked_by")
