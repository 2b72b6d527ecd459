from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

# django-leaflet's admin module imports GeoDjango (and so GDAL), which this portal does not use.
ADMIN_AUTODISCOVER_SKIP = {"leaflet"}


class PortalAdminConfig(SimpleAdminConfig):
    """The admin, discovering every app's admin module except those that need GeoDjango."""

    default_site = "anji_recycling.admin.PortalAdminSite"

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.label in ADMIN_AUTODISCOVER_SKIP:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
