"""The report form's offline challenge (no external captcha): a small sum whose answer the
page cannot read back. The form carries a signed token with a nonce and a keyed hash of the
answer; a token is good once, for an hour. A person answers it in a second; a script must at
least read the page and come back for a new token each time."""

import secrets

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "public.challenge"
MAX_AGE = 60 * 60


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()[:32]


def new_challenge() -> dict:
    """{"question": "3 + 4", "token": …}."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, first + second)}, salt=SALT)
    return {"question": f"{first} + {second}", "token": token}


def passes(*, token: str, answer) -> bool:
    """The answer is right for this token, the token is fresh and not used before."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
        given = int(answer)
    except (signing.BadSignature, TypeError, ValueError):
        return False
    if not constant_time_compare(data["h"], _digest(data["n"], given)):
        return False
    return cache.add(f"public:challenge:{data['n']}", 1, timeout=MAX_AGE)
