from django.contrib import admin

from anji_recycling.admin import ReadOnlyScopedAdmin, ScopedAdmin

from . import services
from .models import NetworkProject, ProjectPhoto, ProjectStageChange


@admin.register(NetworkProject)
class NetworkProjectAdmin(ScopedAdmin):
    list_display = ["name", "kind", "stage", "township", "village", "target_year", "site"]
    list_filter = ["kind", "stage", "land_status", "target_year"]
    list_select_related = ["township", "village", "site"]
    search_fields = ["name", "builder", "address"]
    # The stage and its site change through the stage action, where the registry's rules hold.
    readonly_fields = [
        "stage",
        "approved_on",
        "construction_started_on",
        "completed_on",
        "operating_on",
        "site",
        "registered_by",
    ]

    def save_with_service(self, *, obj, actor):
        if obj.pk is None:
            services.register_project(project=obj, actor=actor)
        else:
            services.update_project(project=obj, actor=actor)


@admin.register(ProjectStageChange)
class ProjectStageChangeAdmin(ReadOnlyScopedAdmin):
    list_display = ["project", "from_stage", "to_stage", "on", "actor", "at"]
    list_select_related = ["project", "actor"]


@admin.register(ProjectPhoto)
class ProjectPhotoAdmin(ReadOnlyScopedAdmin):
    list_display = ["project", "stage", "caption", "uploaded_at", "uploaded_by"]
    list_select_related = ["project", "uploaded_by"]
