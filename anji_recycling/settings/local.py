"""Local demo: SQLite by default, DEBUG on, and without REDIS_URL an embedded Celery broker
(kombu's filesystem transport in DJANGO_CELERY_BROKER_DIR), so `make demo` needs nothing but
Python: `manage.py rundemo` starts runserver and a worker with beat on it."""

from pathlib import Path

from anji_recycling import map_tiles

from .base import *  # noqa: F403
from .base import BASE_DIR, CONTENT_SECURITY_POLICY, LEAFLET_CONFIG, MAP_TILES, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# The demo shows OpenStreetMap when no tile source is configured (production shows none).
_img_src = [
    source
    for source in CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    if source not in MAP_TILES["IMG_SRC"]
]
MAP_TILES = map_tiles.configure(env, allow_foreign_default=True)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = _img_src + MAP_TILES["IMG_SRC"]
LEAFLET_CONFIG = {**LEAFLET_CONFIG, "TILES": MAP_TILES["TILES"], "OVERLAYS": MAP_TILES["OVERLAYS"]}

CELERY_BROKER_DIR = Path(env("DJANGO_CELERY_BROKER_DIR", default=str(BASE_DIR / ".celery")))
if not env("REDIS_URL", default="") and not env("CELERY_BROKER_URL", default=""):
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "messages"),
        "data_folder_out": str(CELERY_BROKER_DIR / "messages"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The transport expects its folders to exist.
    for folder in ("messages", "control"):
        (CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
