"""Embedded default: SQLite, console e-mail, filesystem Celery broker, DEBUG on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])
# A fixed development key, explicitly (not derived from SECRET_KEY): the same string the
# embedded default derived its key from before, so existing demo databases stay readable.
# Publicly known: production.py refuses it.
FIELD_ENCRYPTION_KEY = env.list(
    "FIELD_ENCRYPTION_KEY",
    default=[DEVELOPMENT_FIELD_ENCRYPTION_KEYS[0]],  # noqa: F405
)
# The API's schema and docs without signing in (production: signed-in users only).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)
# scripts/demo seeds the demo users: the sign-in page lists them.
DEMO_LOGIN_HINT = env.bool("DJANGO_DEMO_LOGIN_HINT", default=True)

# SQLite cannot enforce the NULLS NOT DISTINCT constraint on reminder ladders; PostgreSQL
# (production, CI) does. The embedded default accepts that.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
# The filesystem broker has no host; kombu warns about it on every publish.
LOGGING["loggers"] = {"kombu.connection": {"level": "ERROR"}}  # noqa: F405
