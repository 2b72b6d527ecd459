"""Reads for accounts: a user's notification inbox, the API tokens, and the officers to notify."""

from django.db.models import QuerySet

from .choices import AGENCY_ROLES, Role
from .models import ApiToken, Notification, User


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


def people_with_a_role() -> QuerySet[User]:
    """Active users who hold a role: those a meeting may invite, the demo may act as."""
    return User.objects.filter(is_active=True).exclude(role="")


def officers(*, role: str, agency_ids=None, township_ids=None) -> QuerySet[User]:
    """Active people of a role, of these agencies or townships when given, in pk order."""
    # An agency's officers include its centre's or co-op's staff.
    roles = AGENCY_ROLES if role == Role.AGENCY_OFFICER else {role}
    people = User.objects.filter(is_active=True, role__in=roles)
    if agency_ids is not None:
        people = people.filter(agency_id__in=agency_ids)
    if township_ids is not None:
        people = people.filter(township_id__in=township_ids)
    return people.order_by("pk")


def officers_to_notify(*, agency_ids=None, township_ids=None, role=None) -> dict:
    """The active officers to tell, in one query, grouped by where they work: the agency
    officers of each agency in `agency_ids`, the township officers (or another township
    `role`) of each township in `township_ids`, or, given neither, the commerce office
    (under the key None)."""
    if agency_ids is not None:
        people = officers(role=role or Role.AGENCY_OFFICER, agency_ids=agency_ids)
        key = "agency_id"
    elif township_ids is not None:
        people = officers(role=role or Role.TOWNSHIP_OFFICER, township_ids=township_ids)
        key = "township_id"
    else:
        people = officers(role=role or Role.COMMERCE_ADMIN)
        key = None
    grouped: dict = {}
    for person in people:
        grouped.setdefault(getattr(person, key) if key else None, []).append(person)
    return grouped
