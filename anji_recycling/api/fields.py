from rest_framework import fields, serializers


class RelatedNameField(serializers.CharField):
    """Read-only: a related row's name (`source="operator.name"`), or "" when there is none.
    Unlike `CharField(default="")`, also present in PATCH answers (DRF leaves a field that
    falls back on its default out of a partial update's answer)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        try:
            return fields.get_attribute(instance, self.source_attrs)
        except (AttributeError, KeyError):
            return ""
