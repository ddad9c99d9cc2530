"""Production: everything secret comes from the environment; fail fast when it is missing.

The site is served over HTTPS only, behind the reverse proxy of docker-compose.yml
(deploy/Caddyfile): the proxy terminates TLS and sets X-Forwarded-Proto itself, overwriting
whatever the client sent, so the header below can be trusted. `manage.py check --deploy`
is clean under these settings (tests/test_deploy.py).
"""

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

# HTTPS only. The proxy (and only the proxy: gunicorn's forwarded_allow_ips) sets this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Probes from the orchestrator speak plain HTTP to the container (core.middleware answers
# them before the redirect anyway; this keeps them exempt should the order ever change).
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
# HSTS: one year, subdomains included, preload-ready (the header alone submits nothing; set
# DJANGO_SECURE_HSTS_PRELOAD=false for a domain whose subdomains are not all on HTTPS).
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# Cookies only over HTTPS; there is deliberately no switch to turn this off in production
# (local.py is the plain-HTTP setting).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# The client's address for rate limits (allauth): the proxy sets X-Real-IP itself, overwriting
# what the client sent; REMOTE_ADDR is the proxy's.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
