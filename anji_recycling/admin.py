"""The portal's admin site and the scoping every model admin shares."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import Textarea
from .history import set_admin_delta_changes


class PortalAdminSite(admin.AdminSite):
    site_header = _("Anji Recycling Management Portal: administration")
    site_title = _("Anji Recycling Management Portal")
    index_title = _("Administration")


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    """Admin for records that change only through their workflow (the portal's pages and API):
    shown read-only and scoped like everywhere else. `scope` narrows the rows; by default the
    model's `visible_to(user)`."""

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request.user)

    def scope(self, queryset, user):
        return queryset.visible_to(user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdminTextarea(Textarea, AdminTextareaWidget):
    """The admin's text area, keeping LF line breaks like the portal's (anji_recycling.forms):
    saving a page with unchanged text leaves the text as it was."""


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin that shows a user only what `visible_to` allows and changes only what
    `editable_by` allows, and saves through the app's service."""

    formfield_overrides = {models.TextField: {"widget": AdminTextarea}}

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        set_admin_delta_changes(self.model, list(historical_records))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        return self.model.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        return self.model.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def save_model(self, request, obj, form, change):
        self.save_with_service(obj=obj, actor=request.user)

    def save_with_service(self, *, obj, actor):
        raise NotImplementedError(f"{type(self).__name__} must save through its app's service")
