"""How personal data and secrets appear in a change diff: never the value, only that it
changed (or became empty)."""

from __future__ import annotations

MASK = "***"


def mask_value(value: str) -> str:
    """ "***" for any value; empty and None stay visible (set or cleared is not personal)."""
    if value in ("", "None", "null"):
        return value
    return MASK
