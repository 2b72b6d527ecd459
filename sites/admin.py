from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agencies.models import Village
from anji_recycling.admin import ScopedAdmin, ScopedAdminMixin

from . import selectors, services
from .models import CoverageTarget, Material, Operator, Site, SitePhoto, SiteStatusChange


@admin.register(Operator)
class OperatorAdmin(ScopedAdmin):
    list_display = ["name", "kind", "credit_code", "township", "licence_valid_until", "filed_on"]
    list_filter = ["kind", "township"]
    search_fields = ["name", "credit_code", "legal_representative"]
    list_select_related = ["township"]

    def save_with_service(self, *, obj, actor):
        services.save_operator(operator=obj, actor=actor)


class SitePhotoInline(admin.TabularInline):
    model = SitePhoto
    extra = 0
    fields = readonly_fields = ["photo", "caption", "uploaded_at", "uploaded_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def photo(self, obj):
        """A link to the scoped photo view: the storage's own URL (MEDIA_URL or the bucket's)
        serves nothing."""
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.image.name)


class SiteStatusChangeInline(admin.TabularInline):
    model = SiteStatusChange
    extra = 0
    readonly_fields = ["at", "from_status", "to_status", "actor", "reason", "source"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(ScopedAdmin):
    list_display = ["code", "name", "tier", "status", "township", "village", "operator"]
    list_filter = ["tier", "status", "township"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["township", "village", "operator"]
    readonly_fields = ["code", "status"]
    autocomplete_fields = ["operator"]
    raw_id_fields = ["parent", "village"]
    inlines = [SiteStatusChangeInline, SitePhotoInline]

    def choices_for(self, field_name, user):
        """What the portal's site form offers (sites.forms.SiteForm)."""
        if field_name == "village":
            return Village.objects.visible_to(user).filter(is_active=True)
        if field_name == "operator":
            return Operator.objects.visible_to(user)
        if field_name == "parent":
            return selectors.parent_candidates(user=user)
        return None

    def save_model(self, request, obj, form, change):
        # Materials are saved by save_related (form.save_m2m) after the site exists.
        if change:
            services.update_site(site=obj, actor=request.user)
        else:
            services.register_site(site=obj, actor=request.user)


@admin.register(Material)
class MaterialAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]


@admin.register(CoverageTarget)
class CoverageTargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["year", "village_coverage_percent", "transfer_station_percent", "note"]

    def save_model(self, request, obj, form, change):
        services.save_coverage_target(target=obj, actor=request.user)
