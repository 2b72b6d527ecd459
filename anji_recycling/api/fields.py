"""`allowed_actions` on a workflow object: what the requesting user may do to it now, read
from the object's policy (the same rows the services and the pages read)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


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
