"""Sign-in: django-allauth (accounts, rate limits, two-factor), the admin through it.

Accounts are made by admins and invitations, never by a visitor: signup is closed
(signin.adapter.AccountAdapter). Sign in by username or e-mail; no e-mail verification is
required (existing users keep signing in as before). The rate limits count in the shared
cache (settings/cache.py: Redis in docker-compose, so every gunicorn worker counts together).
"""

from .environment import env

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# The request header a reverse proxy sets to the client's address (it overwrites what the
# client sent): allauth's rate limits and the audit log read it. None: REMOTE_ADDR (no proxy);
# production.py: X-Real-IP, which Caddy sets.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER: str | None = None

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:overview"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "signin.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True  # required to sign in by e-mail
ACCOUNT_LOGOUT_ON_GET = False  # sign-out is a POST
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None  # the form offers "remember me"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_REAUTHENTICATION_REQUIRED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PREVENT_ENUMERATION = True

# Throttling, counted in the cache. login_failed: failed sign-ins per client address and
# per account (the username or e-mail tried); the right password is refused as well until the
# window has passed. reset_password: per address and per e-mail. login: every sign-in POST
# per address. Format: "<amount>/<period>/<ip|key|user>", comma-separated.
SIGNIN_LOGIN_FAILED_RATE = env("SIGNIN_LOGIN_FAILED_RATE", default="20/m/ip,5/15m/key")
ACCOUNT_RATE_LIMITS = {
    "login_failed": SIGNIN_LOGIN_FAILED_RATE,
    "login": env("SIGNIN_LOGIN_RATE", default="30/m/ip"),
    "reset_password": env("SIGNIN_RESET_PASSWORD_RATE", default="10/m/ip,3/15m/key"),
    "reset_password_from_key": env("SIGNIN_RESET_FROM_KEY_RATE", default="20/m/ip"),
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
    "signup": "20/m/ip",
}

# Two-factor: TOTP with recovery codes, and security keys (WebAuthn; allauth's own script,
# served from our static files).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_RECOVERY_CODE_COUNT = env.int("MFA_RECOVERY_CODE_COUNT", default=10)
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="ICP filing tracker")
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side: clocks drift
# A wrong code counts like a wrong password ("login_failed", per user: 5 in 15 minutes).
# WebAuthn needs a secure origin; `localhost` counts as one for browsers.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
