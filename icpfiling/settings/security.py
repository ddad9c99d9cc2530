"""Secrets, hosts and passwords. production.py makes the secrets mandatory."""

from .environment import env

# Dev-only fallback; production.py requires DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
# Off unless asked for; local.py turns it on.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Host names this site answers to (comma-separated in the environment).
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# Origins allowed to POST across sites (behind a proxy on another host name).
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Keys for field-level encryption of personal information (PIPL) and webhook URLs, separate
# from SECRET_KEY so that rotating sessions does not make stored ID numbers unreadable.
# Comma-separated: the first encrypts, every one decrypts (a rotation: new,old; then
# `manage.py rotate_pii_key`). No default here and never derived from SECRET_KEY: local.py and
# test.py set a fixed development key, production.py requires a real one; empty at run time is
# ImproperlyConfigured (core.pii).
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[])
# Publicly known keys (the development ones below): production.py refuses them as the
# encrypting key.
DEVELOPMENT_FIELD_ENCRYPTION_KEYS = (
    "dev-only-insecure-key-change-me",  # local.py (the string the embedded default used)
    "dGVzdC1maWVsZC1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=",  # test.py
)

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Headers and cookies for every environment (production.py adds HTTPS-only ones).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry the token, htmx gets it from <body hx-headers>.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# /api/schema/, /api/docs/ and /api/redoc/ for anyone, signed in or not (local.py: yes).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
