from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from anji_recycling.history import delete_with_history
from anji_recycling.scoping import save_within_scope

from .exceptions import StillReferencedSerializer


@extend_schema_view(destroy=extend_schema(responses={204: None, 409: StillReferencedSerializer}))
class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD on one model: rows from `visible_to`, writes through the app's service and kept
    inside the writer's scope."""

    select_related = ()

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        return model.objects.visible_to(self.request.user).select_related(*self.select_related)

    def save_with_service(self, *, obj, actor):
        raise NotImplementedError

    def _save(self, instance):
        save_within_scope(
            obj=instance,
            actor=self.request.user,
            save=lambda obj: self.save_with_service(obj=obj, actor=self.request.user),
        )

    def perform_create(self, serializer):
        instance = serializer.Meta.model(**serializer.validated_data)
        self._save(instance)
        serializer.instance = instance

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        self._save(instance)

    def perform_destroy(self, instance):
        delete_with_history(instance=instance, actor=self.request.user)
