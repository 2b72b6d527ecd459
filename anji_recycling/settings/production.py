"""Production: every secret comes from the environment; HTTPS everywhere."""

import copy

from .base import *  # noqa: F403
from .base import FILE_STORAGE, client_ip_settings, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"

STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# One cache shared by every web process and worker (DRF's throttles count in it), never a
# process-local one: a table in PostgreSQL, so the portal keeps working while Redis is down
# (the accounts migration `create_cache_table` creates it). Sessions and django-axes' records
# are in the database too.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }
}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# One HTTPS proxy in front (README, HTTPS 与反向代理): the client's address is the last in
# X-Forwarded-For.
globals().update(client_ip_settings(env.int("AXES_PROXY_COUNT", default=1)))

# JSON lines on stdout, one per event, each with the request id, user, township and task id;
# one line per request (method, path, status, duration) from RequestContextMiddleware.
LOGGING = copy.deepcopy(LOGGING)  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = "json"
LOG_REQUESTS = env.bool("DJANGO_LOG_REQUESTS", default=True)
