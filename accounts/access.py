"""Who a user is in the county's organisation. Each check reads one fact, one line each."""

from .choices import TOWNSHIP_ROLES, Role


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
