from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.views import exception_handler


def portal_exception_handler(exc, context):
    """Model and service validation errors reach API clients as 400s with the same Chinese
    messages the pages and the admin show."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = serializers.ValidationError(detail)
    return exception_handler(exc, context)
