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

# Key for field-level encryption of personal information (PIPL). Separate from SECRET_KEY
# so that rotating sessions does not make stored ID numbers unreadable. Empty: derived from
# SECRET_KEY (core.pii); production.py requires it.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
