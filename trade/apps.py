from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "trade"
    verbose_name = _("Recycling market")

    def ready(self):
        # The weighbridge import and the ledger export join the site registry's background
        # jobs (sites/jobs.py) by registering themselves.
        from . import exports, imports  # noqa: F401
