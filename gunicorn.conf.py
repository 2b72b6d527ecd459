"""gunicorn's settings in the image (gunicorn reads ./gunicorn.conf.py from /app).

Workers: WEB_CONCURRENCY (gunicorn reads it itself; the image sets 3). No access log: Django
writes one JSON line per request with its request id, user and township
(anji_recycling/log_context.py); gunicorn's own messages are JSON lines too.
"""

bind = "0.0.0.0:8000"
worker_tmp_dir = "/dev/shm"
timeout = 60
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
