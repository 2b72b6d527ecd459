"""Admin for residents' reports (scoped like the pages: the county office and the report's
township) and the commerce bureau's public-reporting switch."""

from django.contrib import admin

from anji_recycling.admin import ReadOnlyScopedAdmin, ReadOnlyScopedHistoryAdmin, ScopedAdmin

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
class PublicReportAdmin(ReadOnlyScopedHistoryAdmin):
    """Read-only here: replies, merges and the review of held reports go through the report
    page (public.policy). Its history views are scoped like every other (ScopedAdmin)."""

    list_display = ["tracking_number", "created_at", "township", "category", "state", "case"]
    list_filter = ["state", "kind", "township"]
    search_fields = ["tracking_number", "place"]
    # The token is the resident's private link: no page of the portal shows it to staff.
    readonly_fields = [field.name for field in PublicReport._meta.fields if field.name != "token"]
    inlines = [PublicReportPhotoInline]
    view_on_site = False


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
