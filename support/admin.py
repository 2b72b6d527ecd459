from django.contrib import admin

from anji_recycling.admin import ReadOnlyScopedAdmin, ScopedAdmin

from . import services
from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


@admin.register(Subsidy)
class SubsidyAdmin(ScopedAdmin):
    list_display = [
        "operator",
        "project",
        "kind",
        "basis_document",
        "amount",
        "granted_on",
        "granted_by",
    ]
    list_filter = ["kind", "granted_by"]
    search_fields = ["operator__name", "project__name", "basis_document", "purpose"]
    list_select_related = ["operator", "project", "granted_by"]
    raw_id_fields = ["operator", "project"]
    readonly_fields = ["granted_by"]

    def save_with_service(self, *, obj, actor):
        services.save_subsidy(subsidy=obj, actor=actor)


@admin.register(LandSupportCase)
class LandSupportAdmin(ScopedAdmin):
    list_display = ["site", "kind", "requested_on", "area", "decision", "decided_on"]
    list_filter = ["kind", "decision"]
    search_fields = ["site__name", "site__code", "request"]
    list_select_related = ["site"]
    raw_id_fields = ["site"]

    def save_with_service(self, *, obj, actor):
        services.save_land_support(case=obj, actor=actor)


@admin.register(AssociationNotice)
class NoticeAdmin(ReadOnlyScopedAdmin):
    """Notices are published on the portal's page or the API (publish_notice tells the
    townships); the admin reads them."""

    list_display = ["title", "kind", "published_on", "published_by"]
    list_filter = ["kind"]
    search_fields = ["title", "body"]
    list_select_related = ["published_by"]


@admin.register(PublicityActivity)
class PublicityAdmin(ScopedAdmin):
    list_display = ["held_on", "township", "form", "topic", "agency"]
    list_filter = ["form", "township"]
    search_fields = ["topic", "audience"]
    list_select_related = ["township", "agency"]

    def save_with_service(self, *, obj, actor):
        services.record_publicity(activity=obj, actor=actor)
