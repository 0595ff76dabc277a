# One image for web, worker and beat (docker-compose.yml). Configured only by env vars.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NAERVAER_ENV=production

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
# Build-time values only: collectstatic and compilemessages need settings, not real services.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build:6379/0 \
    EMAIL_URL=consolemail:// \
    sh -c "python manage.py collectstatic --noinput --verbosity 0 && python manage.py compilemessages --verbosity 0" \
    && useradd --system --home /app naervaer

USER naervaer
EXPOSE 8000
# --preload loads the app before forking: a missing setting stops gunicorn at once with its
# one-line message (config/wsgi.py exits with 3), instead of in every worker.
CMD ["gunicorn", "config.wsgi", "--preload", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
