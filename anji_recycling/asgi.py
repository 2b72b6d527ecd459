"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from anji_recycling import celery

# Without DJANGO_SETTINGS_MODULE a server runs the production settings, never the local ones
# that importing the package (its Celery app) put in as the default.
if celery.SETTINGS_DEFAULTED:
    os.environ["DJANGO_SETTINGS_MODULE"] = "anji_recycling.settings.production"

application = get_asgi_application()
