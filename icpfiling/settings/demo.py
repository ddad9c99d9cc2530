"""The demo: what only a local demo shows."""

from .environment import env

# The sign-in page lists the demo logins and their password (seed_demo). True only in the
# local settings (scripts/demo); never in production, where those users do not exist.
DEMO_LOGIN_HINT = env.bool("DJANGO_DEMO_LOGIN_HINT", default=False)
