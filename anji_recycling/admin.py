"""The portal's admin site and the scoping every model admin shares.

Every portal ModelAdmin reads its rows through `ScopedAdminMixin.get_queryset` (the model's
`visible_to(user)`). Django's views that take an object id (change, delete, the log history,
the user's password page) find their object through it; the simple-history views (the
history list, a historical version, its revert) are made to as well, so a row outside the
user's scope answers 404 on every admin URL.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import is_county_admin

from .forms import Textarea
from .history import set_admin_delta_changes


class PortalAdminSite(admin.AdminSite):
    site_header = _("Anji Recycling Management Portal: administration")
    site_title = _("Anji Recycling Management Portal")
    index_title = _("Administration")

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        scoped = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [scoped, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" redirects to the page of any row by its id, and a page's
        address can itself be a secret (a resident's tracking link): it is followed only for
        a row the user's admin shows (the model admin's scoped queryset) of a model admin that
        offers "view on site", else 404."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.view_on_site:
            raise Http404
        if not model_admin.has_view_or_change_permission(request):
            raise Http404
        if model_admin.get_object(request, unquote(object_id)) is None:
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)


class ScopedAdminMixin:
    """Rows as the model's `visible_to(user)` allows, in the changelist and behind every
    object id. Every portal ModelAdmin starts with it (tests/test_admin_scoping.py)."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def choices_for(self, field_name, user):
        """The rows a foreign key of the form may take for `user` (as the portal's own form
        offers them), or None for the model field's own choices."""
        return

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = self.choices_for(db_field.name, request.user)
        if choices is not None:
            # The row being edited keeps what it holds (set by the commerce bureau, say).
            held = self._held_value(request, db_field)
            kwargs["queryset"] = choices | choices.model._base_manager.filter(pk__in=held)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _held_value(self, request, db_field):
        """The foreign key's value in the row whose page this is (change, historical version)."""
        match = request.resolver_match
        object_id = match and (match.kwargs.get("object_id") or next(iter(match.args), None))
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        value = getattr(obj, db_field.attname, None) if obj is not None else None
        return [value] if value is not None else []

    def get_changeform_initial_data(self, request):
        """A new row's form prefilled from the address (`?parent=<id>`) never names a row the
        user may not choose: the admin's id widgets show the name of any id they are given."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            choices = self.choices_for(name, request.user)
            if choices is not None and not self._offers(choices, value):
                del initial[name]
        return initial

    @staticmethod
    def _offers(choices, value) -> bool:
        try:
            return choices.filter(pk=value).exists()
        except (ValueError, ValidationError):
            return False


class ReadOnlyAdminMixin:
    """For records that change only through their workflow (the portal's pages and API): the
    admin shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyScopedAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only, and scoped like everywhere else."""


class AdminTextarea(Textarea, AdminTextareaWidget):
    """The admin's text area, keeping LF line breaks like the portal's (anji_recycling.forms):
    saving a page with unchanged text leaves the text as it was."""


class ScopedAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Admin that shows a user only what `visible_to` allows and changes only what
    `editable_by` allows, and saves through the app's service.

    django-simple-history's views go through the scoped queryset too. Left alone, its history
    list falls back to the row's last historical version when `get_queryset` does not find the
    row, and its version page (and revert) reads the history table directly: both showed any
    row of the county by its sequential id."""

    formfield_overrides = {models.TextField: {"widget": AdminTextarea}}

    def history_object(self, request, object_id):
        """The row whose history is asked for, if the user may see it; 404 otherwise. A
        deleted row's history (simple-history's fallback) is for the commerce bureau only:
        who else saw the row can no longer be told."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None and not is_county_admin(request.user):
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self.history_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.history_object(request, object_id)
        # simple-history saves a posted version (revert) after checking only the permission
        # to view history: reverting is changing the row.
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

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


class ReadOnlyScopedHistoryAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Read-only and scoped, with the row's history (scoped like the row)."""
