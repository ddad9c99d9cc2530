"""Lookup backends: how a filed service's MIIT record is looked up.

The backend is chosen by settings.MIIT_LOOKUP_BACKEND among BACKENDS. "manual" looks nothing
up (people verify at beian.miit.gov.cn and upload a screenshot); "http" asks a configured
third-party lookup service through core.egress. A new backend is a class with `name`,
`automatic` and `lookup()` registered with ``register``.
"""

from __future__ import annotations

from .base import (
    BACKENDS,
    LookupBackend,
    LookupQuery,
    LookupResult,
    get_backend,
    register,
)
from .http import HttpBackend
from .manual import ManualBackend

__all__ = [
    "BACKENDS",
    "HttpBackend",
    "LookupBackend",
    "LookupQuery",
    "LookupResult",
    "ManualBackend",
    "get_backend",
    "register",
]
