"""Who a user is in the county's organisation. Each check reads one fact, one line each."""

from .choices import TOWNSHIP_ROLES, Role
from .roles import ROLE_PERMISSIONS


def is_county_admin(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role == Role.COMMERCE_ADMIN


def has_role(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.role)


def township_scope(user):
    """The township a user is confined to, or None when they see the whole county."""
    if is_county_admin(user):
        return None
    if user.role in TOWNSHIP_ROLES:
        return user.township_id
    return None


def is_township_user(user) -> bool:
    return has_role(user) and not is_county_admin(user) and user.role in TOWNSHIP_ROLES


def role_grants(user, permission: str) -> bool:
    """Whether the user's role grants a permission, read from the role table (what the role
    groups hold): no permission query, for the header and other per-page checks."""
    return user.is_superuser or permission in ROLE_PERMISSIONS.get(user.role, ())


def is_township_officer(user) -> bool:
    return has_role(user) and not user.is_superuser and user.role == Role.TOWNSHIP_OFFICER
