"""Production: everything secret comes from the environment; fail fast when it is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_FIELD_ENCRYPTION_KEYS, env

SECRET_KEY = env("DJANGO_SECRET_KEY")
# Required; the encrypting (first) key must be neither SECRET_KEY nor a published development
# key. Older keys after it may be anything: that is how one rotates away from a bad key.
FIELD_ENCRYPTION_KEY = [k.strip() for k in env.list("FIELD_ENCRYPTION_KEY") if k.strip()]
if not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured("Set the FIELD_ENCRYPTION_KEY environment variable.")
if FIELD_ENCRYPTION_KEY[0] in (SECRET_KEY, *DEVELOPMENT_FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be a key of its own: not DJANGO_SECRET_KEY, not a "
        "development key. Put a new key first and rotate (README: Encryption keys)."
    )
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
