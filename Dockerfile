# One image for web, worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_NO_MANAGED_PYTHON=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
RUN DJANGO_SETTINGS_MODULE=icpfiling.settings.local python manage.py collectstatic --noinput -v0 \
 && DJANGO_SETTINGS_MODULE=icpfiling.settings.local python manage.py compilemessages -v0
EXPOSE 8000
# No HEALTHCHECK here: the worker and beat run this image too and serve no HTTP. The web
# service's check (docker-compose.yml) asks /readyz; /healthz answers while the process lives.
CMD ["gunicorn", "icpfiling.wsgi", "-c", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3"]
