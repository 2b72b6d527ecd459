from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_display", "title", "body", "link", "created_at", "read_at"]
        fields += ["is_read"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkReadInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        help_text=_("The notifications to mark read; leave out to mark every one read."),
    )


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications changed."))
    unread = serializers.IntegerField(help_text=_("How many are still unread."))
