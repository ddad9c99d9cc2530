"""Django adapters for the register's identifier rules, which live in `icp.identifiers`.

Each validator returns the normalised value or raises `ValidationError` with the kernel's
message, code and params, so forms, serializers and services report them per field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from django.core.exceptions import ValidationError

from icp import identifiers
from icp.identifiers import normalize_uscc

__all__ = [
    "normalize_domain",
    "normalize_uscc",
    "validate_appid",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
]

P = ParamSpec("P")


def _adapt(check: Callable[P, str]) -> Callable[P, str]:
    """Re-raise the kernel's IdentifierError as a ValidationError with the same details."""

    @wraps(check)
    def adapter(*args: P.args, **kwargs: P.kwargs) -> str:
        try:
            return check(*args, **kwargs)
        except identifiers.IdentifierError as exc:
            params = _labelled(exc.params)
            raise ValidationError(exc.message, code=exc.code, params=params or None) from exc

    return adapter


def _labelled(params: dict[str, object]) -> dict[str, object]:
    """The kernel names a platform by its value ("douyin"): show its label (抖音) instead,
    translated when the message is."""
    from miniprograms.models import Platform

    platform = params.get("platform")
    if isinstance(platform, str) and platform in Platform.values:
        return {**params, "platform": Platform(platform).label}
    return params


validate_uscc = _adapt(identifiers.validate_uscc)
validate_resident_id = _adapt(identifiers.validate_resident_id)
validate_mobile = _adapt(identifiers.validate_mobile)
validate_appid = _adapt(identifiers.validate_appid)
normalize_domain = _adapt(identifiers.normalize_domain)
