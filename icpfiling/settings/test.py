"""Test settings: PostgreSQL from DATABASE_URL (CI), fast hashing, e-mail in memory."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key"  # noqa: S105
# A fixed development key, explicitly (publicly known: production.py refuses it).
FIELD_ENCRYPTION_KEY = [DEVELOPMENT_FIELD_ENCRYPTION_KEYS[1]]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/icpfiling")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No test may reach a vendor: a connector not pointed at a test's local fake is refused by the
# egress guard (loopback is not allowed unless the test allows it for its fake).
CONNECTOR_WECHAT_API_BASE = "http://127.0.0.1:9"
CONNECTOR_TENCENT_API_BASE = "http://127.0.0.1:9"
