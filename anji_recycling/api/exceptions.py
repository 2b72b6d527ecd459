from collections import Counter

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler

from .throttling import throttled_message


class StillReferenced(APIException):
    """409: the row cannot be deleted while other rows refer to it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "still_referenced"

    def __init__(self, referrers: list[dict]):
        phrases = [_("%(name)s (%(count)d)") % row for row in referrers]
        super().__init__(
            _("This cannot be deleted while other records refer to it: %(referrers)s.")
            % {"referrers": pgettext("list separator", ", ").join(phrases)}
        )
        self.referrers = referrers


def referrers_of(exc: ProtectedError | RestrictedError) -> list[dict]:
    """What still refers to the row, per model: its verbose name and how many rows."""
    objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
    counts = Counter(type(obj)._meta for obj in objects)
    return [
        {"model": meta.label_lower, "name": str(meta.verbose_name), "count": count}
        for meta, count in sorted(counts.items(), key=lambda item: item[0].label_lower)
    ]


def portal_exception_handler(exc, context):
    """Model and service validation errors reach API clients as 400s with the same Chinese
    messages the pages and the admin show; deleting a row that others still refer to (a
    protected or restricted foreign key) answers 409 naming what refers to it; a throttled
    client is told in Chinese how long to wait (and the Retry-After header says it too)."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = serializers.ValidationError(detail)
    referrers = None
    if isinstance(exc, ProtectedError | RestrictedError):
        referrers = referrers_of(exc)
        exc = StillReferenced(referrers)
    response = exception_handler(exc, context)
    if isinstance(exc, exceptions.Throttled) and response is not None:
        response.data = {"detail": throttled_message(exc.wait)}
    if response is not None and referrers is not None:
        response.data["referenced_by"] = referrers
    return response
