"""Admin of joint inspections and joint actions: read-only (they change through the pages and
the API), scoped like everywhere else, with their history."""

from django.contrib import admin

from anji_recycling.admin import ReadOnlyScopedHistoryAdmin

from .models import InspectionOfficer, JointAction, JointActionAgency


class InspectionOfficerInline(admin.TabularInline):
    model = InspectionOfficer
    extra = 0
    fields = ["agency", "officer"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InspectionOfficer)
class InspectionOfficerAdmin(ReadOnlyScopedHistoryAdmin):
    list_display = ["inspection", "agency", "officer"]
    list_filter = ["agency"]
    list_select_related = ["inspection__site", "agency", "officer"]


class JointActionAgencyInline(admin.TabularInline):
    model = JointActionAgency
    extra = 0
    fields = ["agency", "reason", "added_by", "added_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JointAction)
class JointActionAdmin(ReadOnlyScopedHistoryAdmin):
    list_display = ["site", "township", "status", "joint_inspection_on", "organised_by"]
    list_filter = ["status", "township"]
    list_select_related = ["site", "township", "organised_by"]
    search_fields = ["site__name", "site__code", "reason"]
    inlines = [JointActionAgencyInline]


@admin.register(JointActionAgency)
class JointActionAgencyAdmin(ReadOnlyScopedHistoryAdmin):
    list_display = ["action", "agency", "added_by", "added_at"]
    list_select_related = ["action__site", "agency", "added_by"]
