"""Walk a workflow policy against its services: for every person and every action, the action
is in `allowed_actions` exactly when the service takes it (nothing the service writes is kept)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction


class _Rollback(Exception):
    pass


def accepted(call) -> bool:
    """Whether the service takes the action; its writes are rolled back either way."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except (PermissionDenied, ValidationError):
        return False


def disagreements(policy, *, load, people: dict, call) -> list[tuple]:
    """(who, action, what the service did) wherever it and `allowed_actions` disagree.
    `load()` reads the object afresh; `call(action, obj, person)` is the service call."""
    found = []
    for who, person in people.items():
        allowed = policy.allowed_actions(load(), person)
        for action in policy.rules:
            took = accepted(call(action, load(), person))
            if took != (action in allowed):
                found.append((who, action, "accepted" if took else "refused"))
    return found
