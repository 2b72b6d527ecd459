"""Serializer fields the portal's API shares: `allowed_actions` on a workflow object (what the
requesting user may do to it now, read from the object's policy: the same rows the services
and the pages read), a related row's name, and a time a person enters."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import fields, serializers

from anji_recycling.validators import validate_plausible_moment


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AllowedActionsField(serializers.Field):
    def __init__(self, policy, **kwargs):
        self.policy = policy
        kwargs.setdefault(
            "help_text", _("What the requesting user may do to this object now (its policy).")
        )
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        if request is None:
            return []
        return self.policy.allowed_actions(obj, request.user)


class RelatedNameField(serializers.CharField):
    """Read-only: a related row's name (`source="operator.name"`), or the row as the pages
    show it (`source="village"`: str(village), 康山村), or "" when there is none. Unlike
    `CharField(default="")`, also present in PATCH answers (DRF leaves a field that falls back
    on its default out of a partial update's answer)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        try:
            value = fields.get_attribute(instance, self.source_attrs)
        except (AttributeError, KeyError):
            return ""
        return "" if value is None else value


class MomentField(serializers.DateTimeField):
    """A time a person enters (a meeting's start, an inspection's): within the portal's years."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_plausible_moment)
