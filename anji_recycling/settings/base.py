"""Settings shared by every environment; values come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from anji_recycling import map_tiles

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-demo-key-change-me-for-any-real-deployment")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "anji_recycling.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "leaflet",
    "accounts",
    "agencies",
    "sites",
    "trade",
    "network",
    "support",
    "inspections",
    "assessments",
    "dashboards",
    "public",
]

MIDDLEWARE = [
    # /healthz/ and /readyz/ answer before anything else (no Host check, no HTTPS redirect).
    "anji_recycling.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anji_recycling.middleware.IdleSessionMiddleware",
    "anji_recycling.middleware.ChineseFirstLocaleMiddleware",
    "anji_recycling.middleware.RefuseNulInQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anji_recycling.log_context.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must be last: it turns lockouts into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anji_recycling.urls"
WSGI_APPLICATION = "anji_recycling.wsgi.application"
ASGI_APPLICATION = "anji_recycling.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
                "agencies.context_processors.calendar_reminder",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web process and its Celery worker write to one SQLite file: wait for the other
    # writer instead of failing with "database is locked", take the write lock when a
    # transaction starts (no deadlock between two readers upgrading), and let readers go on
    # while one writes (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Short web queries: PostgreSQL's JIT compiles the dashboard's aggregates (their estimated
    # cost is high because of the per-row price subqueries) for about 40 ms each, longer than
    # they then run.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Sessions end after 30 minutes without a request (idle timeout): IdleSessionMiddleware
# moves the end on at most once a minute rather than writing the session on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling: 5 failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"


def client_ip_settings(proxy_count: int) -> dict:
    """Where django-ipware finds the client's address, for django-axes, the security log and the
    API throttles alike (accounts.services.client_ip), behind `proxy_count` reverse proxies that
    append the address they were connected from to X-Forwarded-For (nginx:
    `$proxy_add_x_forwarded_for`; the compose `proxy` passes the header on unchanged).

    The nearest proxy's own address is REMOTE_ADDR, never in the header, so ipware (which counts
    the proxy addresses after the client's) is told one fewer; anything the client put in front
    of the header is ignored (IPWARE_STRICT off: the client is counted from the right)."""
    if not proxy_count:
        return {
            "TRUSTED_PROXY_COUNT": 0,
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_COUNT": None,
            "IPWARE_STRICT": True,
        }
    return {
        "TRUSTED_PROXY_COUNT": proxy_count,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR",),
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "IPWARE_STRICT": False,
    }


# AXES_PROXY_COUNT (README): how many proxies in front of the portal; 1 in production.
globals().update(client_ip_settings(env.int("AXES_PROXY_COUNT", default=0)))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # The configured map tiles' hosts (anji_recycling/map_tiles.py) and any extra source.
        "img-src": [SELF, "data:", "blob:", *env.list("CSP_TILE_SOURCES", default=[])],
        "connect-src": [SELF],
        # The installable web app (anji_recycling/pwa.py): its worker and manifest, own origin.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Chinese input formats with ISO 8601 first (anji_recycling/formats/zh_Hans/formats.py).
FORMAT_MODULE_PATH = ["anji_recycling.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from npm (package-lock.json) and are served by the app: no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# Uploaded and generated files (site photos, case and deduction evidence, import workbooks,
# export files) go through Django's storage API: to an S3-compatible bucket (MinIO on premises,
# the government cloud's OSS through its S3 API) when AWS_STORAGE_BUCKET_NAME is set, to
# MEDIA_ROOT otherwise. Either way they are read only through the portal's scoped views, which
# stream them after the scope check: nothing is served from a public URL, and the bucket stays
# private (private ACL on every object, signed requests only).
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            # "path" for MinIO, "virtual" for OSS (which refuses path-style requests).
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
            "signature_version": env("AWS_S3_SIGNATURE_VERSION", default="s3v4"),
            "location": env("AWS_LOCATION", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            # The portal never hands out bucket URLs; if one is ever signed it lasts minutes.
            "querystring_expire": 300,
            # Two photos called IMG_0001.jpg are two objects, never one overwriting the other.
            "file_overwrite": False,
            # A download is buffered in memory up to this size, on the temporary disk above it.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
else:
    FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A roster of more rows than this is written by a background worker instead of in the request
# (a city's county-wide roster would outlast the web server's timeout).
EXPORT_BACKGROUND_ROWS = env.int("DJANGO_EXPORT_BACKGROUND_ROWS", default=20000)
# Excel imports larger than this are refused at once, naming the limit (the request only
# stores the file; checking and writing run in the background).
IMPORT_MAX_BYTES = env.int("DJANGO_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("DJANGO_IMPORT_MAX_ROWS", default=50000)
# Background work (exports, imports, assessment runs) holds a lease that its worker renews every
# fifth of it; a worker that died is replaced once its lease runs out, at most this many times.
BACKGROUND_LEASE_SECONDS = env.int("DJANGO_BACKGROUND_LEASE_SECONDS", default=300)
BACKGROUND_MAX_ATTEMPTS = env.int("DJANGO_BACKGROUND_MAX_ATTEMPTS", default=3)

# The recycling market (trade): a front-end price more than this percentage below the board is
# flagged; an operating point idle for this many weeks is flagged; a site's stock beyond its
# daily capacity times this many days is flagged; a transfer unsettled this many days is late.
TRADE_PRICE_MARGIN_PERCENT = env.int("TRADE_PRICE_MARGIN_PERCENT", default=10)
TRADE_IDLE_WEEKS = env.int("TRADE_IDLE_WEEKS", default=4)
TRADE_STOCK_CAPACITY_DAYS = env.int("TRADE_STOCK_CAPACITY_DAYS", default=7)

# Network building: the year the county's three-tier network should be complete (the
# document's 力争到2025年), and the radius (km) within which unserved villages are grouped
# into one suggested point.
NETWORK_TARGET_YEAR = env.int("NETWORK_TARGET_YEAR", default=2025)
NETWORK_PLACEMENT_RADIUS_KM = env.float("NETWORK_PLACEMENT_RADIUS_KM", default=2.0)
TRADE_UNSETTLED_DAYS = env.int("TRADE_UNSETTLED_DAYS", default=30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["anji_recycling.api.permissions.ScopedModelPermissions"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        # The browsable API without forms whose selects would list every row of the county.
        "anji_recycling.api.renderers.PortalBrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "anji_recycling.api.pagination.PortalPagination",
    # Counted in the default cache: in production the database cache every replica shares.
    "DEFAULT_THROTTLE_CLASSES": [
        "anji_recycling.api.throttling.PortalUserRateThrottle",
        "anji_recycling.api.throttling.PortalAnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", default="3600/hour"),
        "anon": env("API_THROTTLE_ANON", default="100/hour"),
        # The public API (/api/v1/public/): the public map asks for two of them per page.
        "public": env("API_THROTTLE_PUBLIC", default="1000/hour"),
        "public_report": env("PUBLIC_REPORT_RATE", default="5/hour"),
        "public_report_device": env("PUBLIC_REPORT_DEVICE_RATE", default="3/hour"),
    },
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "anji_recycling.api.exceptions.portal_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "安吉县再生资源回收长效管理平台 API",
    "DESCRIPTION": "Anji County renewable-resources recycling management portal API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served by the app itself (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SiteStatusEnum": "sites.choices.SiteStatus",
        "CaseStatusEnum": "inspections.choices.CaseStatus",
        "RequestKindEnum": "inspections.choices.RequestKind",
        "RequestStateEnum": "inspections.choices.RequestState",
        "EnforcementKindEnum": "inspections.choices.EnforcementKind",
        "OperatorKindEnum": "sites.choices.OperatorKind",
        "AgencyKindEnum": "agencies.choices.AgencyKind",
        "TownshipKindEnum": "agencies.choices.TownshipKind",
        "VillageKindEnum": "agencies.choices.VillageKind",
        "NotificationKindEnum": "accounts.choices.NotificationKind",
        # GeoJSON's `type` members (agencies/api/serializers.py: the villages' layer).
        "GeoJSONPointTypeEnum": [("Point", "Point")],
        "GeoJSONFeatureTypeEnum": [("Feature", "Feature")],
        "GeoJSONFeatureCollectionTypeEnum": [("FeatureCollection", "FeatureCollection")],
    },
}

# API tokens, issued by the commerce bureau in the portal, expire after this many days.
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# Nothing reads a task's return value: jobs, runs and sweeps write their outcome to the
# database (and sweeps log it), so results are not stored anywhere.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
# Celery's workers log through LOGGING below (JSON in production, with the task id).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat: a sweep that has never run (a new deployment, a new sweep) runs when beat starts, then
# on its interval; beat touches CELERY_BEAT_HEARTBEAT_FILE on every tick for its healthcheck.
CELERY_BEAT_SCHEDULER = "anji_recycling.beat:SweepScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
CELERY_BEAT_HEARTBEAT_FILE = env("CELERY_BEAT_HEARTBEAT_FILE", default="")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# System jobs: a static schedule of sweeps that find due work in the database (idempotent), so
# nothing relies on long ETA/countdown messages and what fell due while Redis was down goes
# out when it is back. Business schedules (patrol plans, reminder lead times, escalation
# delays, recurrence) are data the commerce bureau edits.
CELERY_BEAT_SCHEDULE = {
    "send-notification-emails": {
        "task": "accounts.send_notification_emails",
        "schedule": 120.0,
    },
    "generate-patrol-tasks": {"task": "inspections.generate_patrol_tasks", "schedule": 900.0},
    "escalate-overdue-cases": {"task": "inspections.escalate_overdue_cases", "schedule": 300.0},
    "meeting-reminders": {"task": "agencies.send_meeting_reminders", "schedule": 300.0},
    "action-item-reminders": {"task": "agencies.remind_overdue_action_items", "schedule": 900.0},
    "draft-recurring-meetings": {"task": "agencies.draft_recurring_meetings", "schedule": 900.0},
    "licence-reminders": {"task": "sites.remind_licences", "schedule": 1800.0},
    "requeue-waiting-jobs": {"task": "sites.requeue_waiting_jobs", "schedule": 180.0},
    "delete-finished-jobs": {"task": "sites.delete_finished_jobs", "schedule": 1800.0},
    "requeue-assessment-runs": {"task": "assessments.requeue_waiting_runs", "schedule": 180.0},
    "record-library-years": {"task": "agencies.record_library_years", "schedule": 1800.0},
    "market-notifications": {"task": "trade.notify_market", "schedule": 1800.0},
}

# Deadlines stored in working days, recomputed (agencies.recompute_deadlines) when the
# working-day calendar changes: each a function (*, first_day, last_day, reason, actor) -> int.
WORKING_DAY_DEADLINES = [
    "inspections.deadlines.recompute_case_deadlines",
    "assessments.services.recompute_objection_deadlines",
]

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@anji-recycling.local")
# The portal's address as users reach it: notification emails link to it.
PORTAL_URL = env("DJANGO_PORTAL_URL", default="http://127.0.0.1:8000")
# The county the portal serves (安吉县, GB/T 2260): township codes begin with it.
PORTAL_COUNTY_CODE = "330523"
# Who runs the portal and how users reach them (login page, "forgot password"); empty: the
# login page names the county's commerce bureau, the leading group's office.
PORTAL_OWNER = env("PORTAL_OWNER", default="")
# The contact line under it (a phone number and hours); empty: the office, by name.
PORTAL_CONTACT = env("PORTAL_CONTACT", default="")
# The county's complaint line printed on the sites' placards (public/placards.py).
PUBLIC_COMPLAINT_LINE = env("PUBLIC_COMPLAINT_LINE", default="12345")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("DJANGO_EMAIL_USE_SSL", default=False)
# A mail server that hangs must not hold the sweep's row locks for long.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=15)

# Maps: WGS-84 / CGCS2000 coordinates. Base layers from TIANDITU_KEY / MAP_TILES / MAP_OVERLAYS
# (anji_recycling/map_tiles.py); without any, the county reference layer on a plain background
# (local.py lets the demo fall back to OpenStreetMap).
MAP_TILES = map_tiles.configure(env, allow_foreign_default=False)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += MAP_TILES["IMG_SRC"]
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (30.63, 119.6),
    "DEFAULT_ZOOM": 10,
    "MIN_ZOOM": 8,
    "MAX_ZOOM": 18,
    "TILES": MAP_TILES["TILES"],
    "OVERLAYS": MAP_TILES["OVERLAYS"],
    "ATTRIBUTION_PREFIX": "安吉县再生资源回收长效管理平台",
    "RESET_VIEW": False,
}

# Every line carries the request id, user and township (while a request is served) and the
# Celery task id (in a task): see anji_recycling/log_context.py. Production writes JSON.
LOG_FIELDS = "%(request_id)s %(user)s %(township)s %(task_id)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "anji_recycling.log_context.LogContextFilter"}},
    "formatters": {
        "plain": {"format": f"%(asctime)s %(levelname)s %(name)s [{LOG_FIELDS}] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": f"%(asctime)s %(levelname)s %(name)s %(message)s {LOG_FIELDS}",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["context"]}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
# One log line per request (production; runserver prints its own).
LOG_REQUESTS = False

# In development and tests WhiteNoise serves from the finders; production serves collected files.
WHITENOISE_USE_FINDERS = DEBUG
