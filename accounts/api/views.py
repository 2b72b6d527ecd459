from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import selectors, services
from ..choices import NotificationKind
from .serializers import (
    MarkReadInputSerializer,
    MarkReadResultSerializer,
    NotificationChoiceSerializer,
    NotificationSerializer,
    NotificationSettingInputSerializer,
)


@extend_schema(
    parameters=[
        OpenApiParameter("unread", bool, description="Only unread notifications when true."),
        OpenApiParameter(
            "kind",
            str,
            enum=NotificationKind.values,
            description="Only notifications of this kind.",
        ),
    ]
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """通知收件箱：只有本人的通知；可标记为已读。"""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        unread_only = self.request.query_params.get("unread", "").lower() in {"1", "true"}
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in NotificationKind.values:
            raise ValidationError({"kind": [_("Choose one of the kinds of notification.")]})
        return selectors.inbox(user=self.request.user, unread_only=unread_only, kind=kind)

    def _marked(self, count):
        unread = selectors.unread_count(user=self.request.user)
        return Response(MarkReadResultSerializer({"marked": count, "unread": unread}).data)

    @extend_schema(request=None, responses=MarkReadResultSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        return self._marked(
            services.mark_notifications_read(user=request.user, notification_ids=[notification.pk])
        )

    @extend_schema(
        request=NotificationSettingInputSerializer,
        responses=NotificationChoiceSerializer(many=True),
    )
    @action(detail=False, methods=["get", "post"], url_path="settings", pagination_class=None)
    def kind_settings(self, request):
        """通知设置：本人每类通知是否接收（POST kind 和 action=mute/unmute 修改）；督办类通知
        不能关闭。"""
        if request.method == "POST":
            data = NotificationSettingInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.set_notification_kind(
                user=request.user, actor=request.user, **data.validated_data
            )
        choices = selectors.notification_choices(user=request.user)
        return Response(
            NotificationChoiceSerializer(choices, many=True, context={"request": request}).data
        )

    @extend_schema(request=MarkReadInputSerializer, responses=MarkReadResultSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        data = MarkReadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.get("ids")
        return self._marked(
            services.mark_notifications_read(user=request.user, notification_ids=ids)
        )
