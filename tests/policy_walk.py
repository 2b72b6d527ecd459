"""Walk a workflow policy against its services and its API: for every person and every action,
the action is in `allowed_actions` exactly when the service takes it, and the API takes it
exactly then too, refusing with the service's message (nothing either writes is kept)."""

import json

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
    `load()` reads the object afresh; `call(action, obj, person)` is the service call, or None
    where no service can be asked it of this object (creating what exists already): there
    `allowed_actions` must not offer it."""
    found = []
    for who, person in people.items():
        allowed = policy.allowed_actions(load(), person)
        for action in policy.rules:
            service = call(action, load(), person)
            took = service is not None and accepted(service)
            if took != (action in allowed):
                found.append((who, action, "accepted" if took else "refused"))
    return found


def outcome(call) -> tuple[bool, list[str]]:
    """Whether the service takes the action, and its refusal's messages; rolled back."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True, []
    except PermissionDenied as error:
        return False, [str(error)]
    except ValidationError as error:
        return False, error.messages


def api_outcome(client, person, request) -> tuple[bool, str | None]:
    """Whether the API takes the request `(method, url, data)`, and its answer's text (the
    refusal; None for a 404, an object outside the person's scope, which the API does not
    reveal); rolled back like the service call."""
    method, url, data = request
    client.force_authenticate(person)
    answer = {}
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data, format="json")
            answer["response"] = response
            raise _Rollback
    except _Rollback:
        pass
    response = answer["response"]
    assert response.status_code < 500, response.content
    text = None if response.status_code == 404 else response.content.decode()
    return response.status_code < 300, text


def api_disagreements(policy, *, load, people: dict, call, request, client) -> list[tuple]:
    """(who, action, what went wrong) wherever the API, the service and `allowed_actions`
    disagree, or the API refuses without the service's message. `request(action, obj)` is
    the API request `(method, url, data)` behind the action."""
    found = []
    for who, person in people.items():
        allowed = policy.allowed_actions(load(), person)
        for action in policy.rules:
            took, messages = outcome(call(action, load(), person))
            api_took, text = api_outcome(client, person, request(action, load()))
            if took != (action in allowed) or api_took != took:
                found.append((who, action, f"service {took}, API {api_took}"))
            elif took or text is None:
                continue
            elif not any(_json_text(m) in text for m in messages):
                found.append((who, action, f"API said {text}, the service {messages}"))
    return found


def _json_text(message: str) -> str:
    return json.dumps(message, ensure_ascii=False)[1:-1]


def people_of_each_role(request) -> dict:
    """One person of each role, for a walk: the commerce bureau, 递铺's officer and grid worker,
    昌硕's officer, an agency officer (market regulation), the association, a leader."""
    from tests.conftest import CHANGSHUO
    from tests.factories import make_user

    get = request.getfixturevalue
    return {
        "commerce": get("commerce_admin"),
        "township": get("dipu_officer"),
        "other township": make_user("township_officer", township_code=CHANGSHUO),
        "grid worker": get("dipu_grid_worker"),
        "agency": get("market_officer"),
        "association": get("association"),
        "leader": get("leader"),
    }
