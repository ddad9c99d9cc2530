"""Credentials are never shown: what pages, the API, the admin and logs get instead."""

from __future__ import annotations

from typing import Any

from . import registry

MASK = "••••••••"


def mask_value(value: str, *, secret: bool) -> str:
    """A secret: only that it is set. An identifier (an AppID, a SecretId): its first and last
    characters, enough to tell two accounts apart."""
    if not value:
        return ""
    if secret:
        return MASK
    if len(value) <= 6:
        return value[:1] + "•" * (len(value) - 1)
    return f"{value[:3]}…{value[-3:]}"


def masked(account: Any) -> dict[str, str]:
    """{field: masked value} for every credential field of the account's kind."""
    try:
        kind = registry.get(account.kind)
    except KeyError:
        return {}
    values = account.credential_values()
    return {
        f.name: mask_value(str(values.get(f.name, "")), secret=f.secret)
        for f in kind.credential_fields
    }


def secret_strings(account: Any) -> list[str]:
    """Every credential value of the account (for tests and log scrubbing)."""
    return [str(v) for v in account.credential_values().values() if v]
