from django.contrib import admin

from anji_recycling.admin import ScopedAdmin

from . import services
from .models import (
    Agency,
    AgencyDuty,
    DutyRule,
    LeadingGroupMembership,
    LeadingGroupPost,
    ProblemCategory,
    Township,
    TownshipPopulation,
    Village,
)


@admin.register(Township)
class TownshipAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "latitude", "longitude"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]

    def save_with_service(self, *, obj, actor):
        services.save_township(township=obj, actor=actor)


@admin.register(TownshipPopulation)
class TownshipPopulationAdmin(ScopedAdmin):
    list_display = ["township", "year", "population", "source"]
    list_filter = ["township", "year"]
    list_select_related = ["township"]
    readonly_fields = ["entered_by"]

    def save_with_service(self, *, obj, actor):
        services.save_township_population(population=obj, actor=actor)


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    list_display = ["code", "name", "township", "kind", "urban_rural_code", "is_active"]
    list_filter = ["township", "kind", "urban_rural_code", "is_active"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["township"]
    readonly_fields = ["urban_rural_source"]

    def save_with_service(self, *, obj, actor):
        services.save_village(village=obj, actor=actor)


class AgencyDutyInline(admin.TabularInline):
    model = AgencyDuty
    extra = 0
    fields = ["text", "sort_order"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "code", "kind", "sort_order"]
    search_fields = ["name", "code"]

    def save_with_service(self, *, obj, actor):
        services.save_agency(agency=obj, actor=actor)


@admin.register(AgencyDuty)
class AgencyDutyAdmin(ScopedAdmin):
    list_display = ["__str__", "agency", "for_townships", "sort_order"]
    list_select_related = ["agency"]

    def save_with_service(self, *, obj, actor):
        services.save_agency_duty(duty=obj, actor=actor)


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(ScopedAdmin):
    list_display = ["name", "code", "examples", "sort_order", "is_active"]

    def save_with_service(self, *, obj, actor):
        services.save_problem_category(category=obj, actor=actor)


@admin.register(DutyRule)
class DutyRuleAdmin(ScopedAdmin):
    list_display = [
        "category",
        "area",
        "lead_kind",
        "lead_agency",
        "register_days",
        "dispatch_days",
        "handle_days",
        "verify_days",
        "is_active",
    ]
    list_filter = ["area", "lead_kind", "lead_agency", "is_active"]
    list_select_related = ["category", "lead_agency"]

    def save_with_service(self, *, obj, actor):
        services.save_duty_rule(rule=obj, actor=actor)


@admin.register(LeadingGroupPost)
class LeadingGroupPostAdmin(ScopedAdmin):
    list_display = ["__str__", "role", "title", "agency", "township", "sort_order"]
    list_select_related = ["agency", "township"]

    def save_with_service(self, *, obj, actor):
        services.save_post(post=obj, actor=actor)


@admin.register(LeadingGroupMembership)
class LeadingGroupMembershipAdmin(ScopedAdmin):
    list_display = ["person_name", "post", "job_title", "start_date", "end_date"]
    list_select_related = ["post__agency", "post__township"]
    list_filter = ["post__role"]
    search_fields = ["person_name"]

    def save_with_service(self, *, obj, actor):
        services.save_membership(membership=obj, actor=actor)
