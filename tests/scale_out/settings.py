"""Production settings for the processes of the scale-out test (tests/scale_out/topology.py),
with only what a test on loopback ports needs changed:

- the session and CSRF cookies are not marked Secure: the reverse proxy terminates HTTPS and
  the test speaks plain HTTP to the web processes on loopback, with the proxy's
  X-Forwarded-Proto header (a client does not send Secure cookies over plain HTTP);
- passwords are hashed as the test settings hash them (the test writes the users);
- static files come from the finders (the image runs collectstatic at build time; the test
  does not collect before each run);
- emails go to files in a directory that both workers share, where the test counts them;
- the beat sweeps run every few seconds, so that each one runs several times during the test.

Everything else (HTTPS-only cookies behind the proxy header, the database cache, the S3
storage from the AWS_* variables, the Celery settings) is production's own.
"""

from anji_recycling.settings.production import *  # noqa: F403
from anji_recycling.settings.production import CELERY_BEAT_SCHEDULE, STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("TOPOLOGY_EMAIL_DIR")

CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": env.float("TOPOLOGY_SWEEP_SECONDS", default=2.0)}
    for name, entry in CELERY_BEAT_SCHEDULE.items()
}
