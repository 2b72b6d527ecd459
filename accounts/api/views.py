from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import selectors, services
from .serializers import MarkReadInputSerializer, MarkReadResultSerializer, NotificationSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("unread", bool, description="Only unread notifications when true.")
    ]
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """通知收件箱：只有本人的通知；可标记为已读。"""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        unread_only = self.request.query_params.get("unread", "").lower() in {"1", "true"}
        return selectors.inbox(user=self.request.user, unread_only=unread_only)

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

    @extend_schema(request=MarkReadInputSerializer, responses=MarkReadResultSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        data = MarkReadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.get("ids")
        return self._marked(
            services.mark_notifications_read(user=request.user, notification_ids=ids)
        )
