from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from anji_recycling.admin import ReadOnlyScopedAdmin, ScopedAdminMixin

from .models import SecurityEvent, User
from .services import assign_role


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "role", "agency", "township", "is_active"]
    list_filter = ["role", "agency", "township", "is_active"]
    list_select_related = ["agency", "township"]
    # Groups follow the role (see accounts.roles); they are not edited by hand.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Role in the portal"), {"fields": ["role", "agency", "township"]}),
        (_("Status"), {"fields": ["is_active", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["groups", "last_login", "date_joined"]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in the portal"), {"fields": ["role", "agency", "township"]}),
    ]

    def save_model(self, request, obj, form, change):
        assign_role(
            user=obj,
            role=obj.role,
            agency=obj.agency,
            township=obj.township,
            actor=request.user,
            request=request,
        )


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["at", "kind", "username", "ip_address", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "detail"]
    date_hierarchy = "at"
