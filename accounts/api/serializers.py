from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import NotificationKind, NotificationSettingAction
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


class NotificationChoiceSerializer(serializers.Serializer):
    """Whether one kind of notification reaches the user, and what they may change."""

    kind = serializers.CharField()
    kind_display = serializers.CharField(source="label")
    muted = serializers.BooleanField()
    supervised = serializers.BooleanField(
        help_text=_("The leading group's follow-up (督办): cannot be turned off.")
    )
    allowed_actions = serializers.SerializerMethodField()

    def get_allowed_actions(self, choice) -> list[str]:
        from ..policy import NOTIFICATION_SETTING_POLICY

        return NOTIFICATION_SETTING_POLICY.allowed_actions(choice, self.context["request"].user)


class NotificationSettingInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    action = serializers.ChoiceField(choices=NotificationSettingAction.choices)
