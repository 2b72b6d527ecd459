# 安吉县再生资源回收长效管理平台 — production image (gunicorn + whitenoise).
# Build: docker build -t anji-recycling .   Run with docker-compose.yml (see README.md).

# Front-end libraries from npm, exactly as package-lock.json pins them.
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

# PYTHONPATH: the copy in /app (next to templates/, static/, locale/) is imported before the
# installed one. WEB_CONCURRENCY: gunicorn's worker count (about 2 x CPU cores + 1); override it
# in .env or with `docker run -e WEB_CONCURRENCY=5`.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=anji_recycling.settings.production \
    WEB_CONCURRENCY=3

# gettext: msgfmt for compilemessages. psycopg[binary] brings its own libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from pyproject.toml, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Only what the portal needs: never .env, .venv, db.sqlite3, media/ or .git.
COPY manage.py ./
COPY anji_recycling ./anji_recycling
COPY accounts ./accounts
COPY agencies ./agencies
COPY sites ./sites
COPY inspections ./inspections
COPY assessments ./assessments
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY --from=assets /assets/node_modules ./node_modules

# The project itself (pip install . from pyproject.toml; dependencies are already there).
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

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

CMD ["gunicorn", "anji_recycling.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60", \
     "--access-logfile", "-"]
