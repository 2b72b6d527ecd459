"""Who and what each log line is about: the request id, the user and their township for lines
written while a request is served, the task id for lines written by a Celery task.

`RequestContextMiddleware` takes the request id from the proxy's `X-Request-ID` (or makes one)
and returns it in the response; `LogContextFilter` adds `request_id`, `user`, `township` and
`task_id` to every record, so the JSON formatter of the production settings writes them on
each line ("-" where there is none).
"""

import contextvars
import logging
import re
import time
import uuid
from functools import lru_cache

from django.conf import settings
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only if it is short and plain: it goes into every log line.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
NONE = "-"

request_logger = logging.getLogger("anji_recycling.request")

_request = contextvars.ContextVar("log_request", default=None)
_request_id = contextvars.ContextVar("log_request_id", default=NONE)
_task_id = contextvars.ContextVar("log_task_id", default=NONE)


def request_id_from(header_value: str | None) -> str:
    """The proxy's request id if it is a plain token, else a new one."""
    if header_value and VALID_REQUEST_ID.match(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Sets the request id (and the request, for the user) for the log lines of this request.
    Placed after AuthenticationMiddleware; the user is read only when a line is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        id_token = _request_id.set(request_id)
        request_token = _request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response.headers[REQUEST_ID_HEADER] = request_id
            if settings.LOG_REQUESTS:
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000),
                    },
                )
            return response
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)


def bind_task(task_id: str | None):
    """Mark the log lines that follow as the task's (Celery's task_prerun)."""
    return _task_id.set(task_id or NONE)


def unbind_task(token) -> None:
    _task_id.reset(token)


@lru_cache(maxsize=64)
def _township_code(township_id: int) -> str:
    """Township codes are reference data: read once per process."""
    from agencies.models import Township

    return Township.objects.filter(pk=township_id).values_list("code", flat=True).first() or NONE


def _user_fields(request) -> tuple[str, str]:
    """(username, township code) of the request's user, without loading a user that nothing
    has loaded yet (a log line never costs the page a query for the session)."""
    user = request.__dict__.get("user")
    if user is None:
        return NONE, NONE
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return NONE, NONE
    township_id = getattr(wrapped, "township_id", None)
    township = NONE
    if township_id is not None:
        try:
            township = _township_code(township_id)
        except Exception:  # noqa: BLE001 - e.g. inside a broken transaction: log without it
            township = str(township_id)
    return wrapped.get_username(), township


class LogContextFilter(logging.Filter):
    """Adds request_id, user, township and task_id to every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.task_id = _task_id.get()
        request = _request.get()
        record.user, record.township = (NONE, NONE) if request is None else _user_fields(request)
        return True
