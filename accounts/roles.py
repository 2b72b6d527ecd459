"""Roles map to Django groups; this is the one table of what each role may do.

Scope (which rows) is decided by each model's `visible_to`/`editable_by`; these permissions
decide which kinds of rows a role may view, add, change or delete at all.
"""

from .choices import Role

AGENCIES_MODELS = (
    "agency",
    "agencyduty",
    "township",
    "village",
    "problemcategory",
    "dutyrule",
    "leadinggrouppost",
    "leadinggroupmembership",
)


def _perms(app_label, models, actions):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


VIEW_ORGANISATION = _perms("agencies", AGENCIES_MODELS, ["view"])

ROLE_PERMISSIONS = {
    Role.COMMERCE_ADMIN: [
        *_perms("agencies", AGENCIES_MODELS, ["view", "add", "change", "delete"]),
        *_perms("accounts", ["user"], ["view", "add", "change"]),
        "accounts.view_securityevent",
    ],
    Role.TOWNSHIP_OFFICER: [*VIEW_ORGANISATION, "agencies.change_village"],
    Role.GRID_WORKER: VIEW_ORGANISATION,
    Role.AGENCY_OFFICER: VIEW_ORGANISATION,
    Role.ASSESSOR: VIEW_ORGANISATION,
    Role.LEADER: VIEW_ORGANISATION,
}


def group_name(role) -> str:
    """Groups are named by the role's value so renaming a label never orphans a group."""
    return f"role:{role}"
