# 安吉县再生资源回收长效管理平台 — production image (gunicorn + whitenoise), used by web, worker,
# beat and the one-shot migrate service of docker-compose.yml (see README.md, 部署).
# Build: docker build -t anji-recycling .

# Front-end libraries from npm, exactly as package-lock.json pins them.
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

# PYTHONPATH: the portal runs from /app (next to templates/, static/, locale/). WEB_CONCURRENCY:
# gunicorn's worker count (about 2 x CPU cores + 1); override it in .env.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=anji_recycling.settings.production \
    WEB_CONCURRENCY=3

# gettext: msgfmt for compilemessages; fonts-noto-cjk: the Chinese text of the sites'
# placards (public/placards.py). psycopg[binary] brings its own libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, exactly as the lock pins them (every file checked against its hash), so
# that a code change does not reinstall them. Upgrading is `make upgrade` (README).
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

# The portal: everything in the build context, which .dockerignore limits to the code,
# templates, static files and translations (never .env, .venv, node_modules, db.sqlite3,
# media/, .git, tests or caches).
COPY . .
COPY --from=assets /assets/node_modules ./node_modules

# Translations and static files are built into the image. The secret key and host below
# exist only for this step; the running container takes its own from the environment.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret DJANGO_ALLOWED_HOSTS=localhost \
        python manage.py compilemessages \
    && DJANGO_SECRET_KEY=build-only-not-a-secret DJANGO_ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput

# Uploaded files live in a volume mounted here; the app user may write only there.
RUN mkdir -p /app/media && chown app:app /app/media

USER app

EXPOSE 8000

# gunicorn reads ./gunicorn.conf.py (bind 0.0.0.0:8000, JSON logs).
CMD ["gunicorn", "anji_recycling.wsgi:application"]
