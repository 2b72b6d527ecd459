from rest_framework.permissions import DjangoModelPermissions


class ScopedModelPermissions(DjangoModelPermissions):
    """Model permissions from the user's role (reading needs the view permission too); each
    object must be in the model's `editable_by(user)` to be changed."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_object_permission(self, request, view, obj):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()


class WorkflowPermissions(DjangoModelPermissions):
    """For viewsets whose writes are workflow actions: any method needs only the view
    permission on the model; the service behind each action decides who may take it."""

    perms_map = dict.fromkeys(
        ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
        ["%(app_label)s.view_%(model_name)s"],
    )
