"""API tokens (tokens app, django-rest-knox): named, hashed at rest, expiring."""

import datetime

from .environment import env

# A new token works for this many days; then it answers 401 and is purged by `core.purge`.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)

KNOX_TOKEN_MODEL = "tokens.ApiToken"  # noqa: S105 (a model label)
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": datetime.timedelta(days=API_TOKEN_TTL_DAYS),
    # Scripts send `Authorization: Token <key>`, as they did with DRF's tokens.
    "AUTH_HEADER_PREFIX": "Token",
    # Only the SHA-512 digest of a key is stored (knox's default, named here on purpose).
    "SECURE_HASH_ALGORITHM": "hashlib.sha512",
    "AUTO_REFRESH": False,
}
# A token's "last used" is written at most this often (seconds): one UPDATE a minute, not one
# per request.
API_TOKEN_LAST_USED_INTERVAL = env.int("API_TOKEN_LAST_USED_INTERVAL", default=60)

# knox's own token model is swapped out for tokens.ApiToken: its migrations would still create
# an unused `knox_authtoken` table (with a foreign key to users that no flush or truncate of
# the project's tables knows of). Without them knox has no table at all.
MIGRATION_MODULES = {"knox": None}
