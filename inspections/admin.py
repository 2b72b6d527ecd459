from django.contrib import admin

from anji_recycling.admin import ReadOnlyScopedAdmin, ScopedAdminMixin
from anji_recycling.history import save_with_history

from .joint_admin import InspectionOfficerInline
from .models import (
    Case,
    CaseEvent,
    CaseRequest,
    ChecklistItem,
    EnforcementAction,
    Inspection,
    PatrolPlan,
)
from .patrols import save_patrol_plan


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The patrol checklist is data the commerce bureau edits."""

    list_display = ["text", "code", "category", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_select_related = ["category"]

    def save_model(self, request, obj, form, change):
        save_with_history(obj, actor=request.user)


@admin.register(PatrolPlan)
class PatrolPlanAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "status", "tier", "township", "frequency", "is_active"]
    list_filter = ["frequency", "status", "is_active"]

    def save_model(self, request, obj, form, change):
        save_patrol_plan(plan=obj, actor=request.user)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(Case)
class CaseAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "number",
        "site",
        "township",
        "category",
        "lead_agency",
        "status",
        "stage_deadline",
    ]
    list_filter = ["status", "category", "lead_agency", "township"]
    search_fields = ["number", "site__name", "site__code"]
    list_select_related = ["site", "township", "category", "lead_agency"]
    inlines = [CaseEventInline]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyScopedAdmin):
    list_display = ["inspected_at", "site", "township", "inspector", "result"]
    list_filter = ["result", "township"]
    list_select_related = ["site", "township", "inspector"]
    inlines = [InspectionOfficerInline]


@admin.register(CaseRequest)
class CaseRequestAdmin(ReadOnlyScopedAdmin):
    list_display = ["case", "kind", "days", "state", "requested_by", "decided_by"]
    list_filter = ["kind", "state"]
    list_select_related = ["case", "requested_by", "decided_by"]


@admin.register(EnforcementAction)
class EnforcementActionAdmin(ReadOnlyScopedAdmin):
    list_display = ["case", "kind", "decided_on", "agency", "fine_amount", "rectify_by"]
    list_filter = ["kind", "agency"]
    list_select_related = ["case", "agency"]
