from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

from .throttling import throttled_message


def portal_exception_handler(exc, context):
    """Model and service validation errors reach API clients as 400s with the same Chinese
    messages the pages and the admin show; a throttled client is told in Chinese how long to
    wait (and the Retry-After header says it too)."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = serializers.ValidationError(detail)
    response = exception_handler(exc, context)
    if isinstance(exc, exceptions.Throttled) and response is not None:
        response.data = {"detail": throttled_message(exc.wait)}
    return response
