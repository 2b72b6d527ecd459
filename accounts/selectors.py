"""Reads for accounts: a user's notification inbox, the API tokens, and the officers to notify."""

from django.db.models import QuerySet

from .choices import AGENCY_ROLES, TOWNSHIP_ROLES, NotificationKind, Role
from .models import ApiToken, Notification, NotificationSetting, User
from .policy import KindChoice


def inbox(*, user, unread_only: bool = False, kind: str = "") -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody sees another user's inbox), of one
    kind when a kind is given."""
    notifications = Notification.objects.visible_to(user).order_by("-created_at", "-pk")
    if kind:
        notifications = notifications.filter(kind=kind)
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


def township_people() -> QuerySet[User]:
    """Active township officers and grid workers who belong to a township, in pk order."""
    people = User.objects.filter(is_active=True, role__in=TOWNSHIP_ROLES)
    return people.exclude(township=None).order_by("pk")


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


def notification_choices(*, user) -> list[KindChoice]:
    """The user's choice for every kind of notification, in the kinds' order (one query)."""
    muted = set(
        NotificationSetting.objects.visible_to(user)
        .filter(muted=True)
        .values_list("kind", flat=True)
    )
    return [
        KindChoice(user_id=user.pk, kind=kind, muted=kind in muted) for kind in NotificationKind
    ]


def recipients_to_skip(*, user_ids, kind: str, key: str) -> set[int]:
    """Of these users, those who already have the notification with this key or who turned this
    kind of notification off (one query, however many users)."""
    told = Notification.objects.filter(recipient_id__in=user_ids, dedupe_key=key).values_list(
        "recipient_id", flat=True
    )
    muted = NotificationSetting.objects.filter(
        user_id__in=user_ids, kind=kind, muted=True
    ).values_list("user_id", flat=True)
    return set(told.order_by().union(muted.order_by()))
