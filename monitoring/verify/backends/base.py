"""The backend interface and its registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class LookupQuery:
    """What to look up: the text typed into the lookup, and the kind of service."""

    service_type: str  # "domain" | "app" | "miniprogram" | "quickapp"
    query: str


@dataclass(frozen=True)
class LookupResult:
    status: str  # monitoring.models.verify.LookupStatus value
    entity_name: str = ""
    number: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    error: str = ""


class LookupBackend(Protocol):
    name: ClassVar[str]
    # False: the backend looks nothing up by itself (people verify by hand).
    automatic: ClassVar[bool]

    def lookup(self, query: LookupQuery) -> LookupResult: ...


BACKENDS: dict[str, type[LookupBackend]] = {}


def register(name: str) -> Callable[[type[LookupBackend]], type[LookupBackend]]:
    def add(cls: type[LookupBackend]) -> type[LookupBackend]:
        BACKENDS[name] = cls
        return cls

    return add


def get_backend(name: str | None = None) -> LookupBackend:
    """The backend named by `name` (default: settings.MIIT_LOOKUP_BACKEND)."""
    name = name or settings.MIIT_LOOKUP_BACKEND
    try:
        cls = BACKENDS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"MIIT_LOOKUP_BACKEND={name!r} is not one of {sorted(BACKENDS)}."
        ) from None
    return cls()
