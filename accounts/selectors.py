"""Reads for accounts: a user's notification inbox."""

from django.db.models import QuerySet

from .models import Notification


def inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody sees another user's inbox)."""
    notifications = Notification.objects.visible_to(user).order_by("-created_at", "-pk")
    return notifications.unread() if unread_only else notifications


def unread_count(*, user) -> int:
    return Notification.objects.visible_to(user).unread().count()
