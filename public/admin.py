"""Admin for residents' reports (scoped like the pages: the county office and the report's
township) and the commerce bureau's public-reporting switch."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anji_recycling.admin import ReadOnlyScopedAdmin, ScopedAdmin, ScopedAdminMixin

from . import services
from .models import PublicReport, PublicReporting, PublicReportPhoto


class PublicReportPhotoInline(admin.TabularInline):
    model = PublicReportPhoto
    fields = readonly_fields = ["image", "uploaded_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PublicReport)
class PublicReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only here: replies, merges and the review of held reports go through the report
    page (public.policy)."""

    list_display = ["tracking_number", "created_at", "township", "category", "state", "case"]
    list_filter = ["state", "kind", "township"]
    search_fields = ["tracking_number", "place"]
    readonly_fields = [field.name for field in PublicReport._meta.fields]
    inlines = [PublicReportPhotoInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicReportPhoto)
class PublicReportPhotoAdmin(ReadOnlyScopedAdmin):
    list_display = ["report", "uploaded_at"]


@admin.register(PublicReporting)
class PublicReportingAdmin(ScopedAdmin):
    """The commerce bureau opens or closes public reporting and sets the daily cap."""

    list_display = ["__str__", "is_open", "daily_cap", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        PublicReporting.current()  # the one row exists before it is listed
        return super().changelist_view(request, extra_context)

    def save_with_service(self, *, obj, actor):
        services.set_public_reporting(actor=actor, is_open=obj.is_open, daily_cap=obj.daily_cap)
