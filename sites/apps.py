from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = _("Site registry")

    def ready(self):
        # The roster's import and exports register their jobs (sites/jobs.py runs them by kind).
        from . import exports, imports  # noqa: F401
