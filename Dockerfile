# The portal's image: web (gunicorn), Celery worker and Celery beat all run from it.
# See docker-compose.yml; settings come from the environment (.env.example).
FROM python:3.11-slim-bookworm

# The code runs from /app (PYTHONPATH), where templates/, locale/ and portal/static/ live.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=portal.settings \
    DJANGO_DEBUG=false \
    PORTAL_VAR_DIR=/data \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/staticfiles

# WenQuanYi Micro Hei for Chinese PDFs, Pango for WeasyPrint, gettext for msgfmt.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# `pip install .` with only pyproject.toml present installs the dependencies, in a layer of
# their own that is rebuilt only when pyproject.toml changes; the code itself runs from /app.
COPY pyproject.toml ./
RUN pip install .

COPY . .
RUN find locale -name '*.po' -exec sh -c \
        'for po; do msgfmt --check-format -o "${po%.po}.mo" "$po" || exit 1; done' _ {} + \
    && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home portal \
    && mkdir -p /data/media /app/staticfiles \
    && chown -R portal:portal /data /app/staticfiles

USER portal
EXPOSE 8000
VOLUME ["/data/media"]

# Overridden by the worker and beat services; collectstatic needs SECRET_KEY, so runs at start.
CMD ["sh", "-c", "python manage.py collectstatic --noinput -v 0 && exec gunicorn portal.wsgi --bind 0.0.0.0:8000 --access-logfile - --timeout 60"]
