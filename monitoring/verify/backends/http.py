"""A third-party lookup service over HTTP, only through core.egress.

Request: ``GET <MIIT_LOOKUP_URL>?query=<text>&type=<domain|app|miniprogram|quickapp>`` with
``Authorization: Bearer <MIIT_LOOKUP_KEY>`` when a key is set. Answer: HTTP 200 with a JSON
object; MIIT_LOOKUP_FIELDS says where its fields are (dotted paths), by default::

    {"found": true, "state": "normal", "entity_name": "深圳市某某科技有限公司",
     "number": "粤ICP备2024000001号-1"}

``found`` false: not found. ``state`` among MIIT_LOOKUP_CANCELLED_STATES: cancelled. Anything
else — a refused or unreachable address, a timeout, another status, a body that is not such
an object — is an error: it is stored and logged, and the manual task stays open.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings

from core import egress
from monitoring.models.verify import LookupStatus

from .base import LookupQuery, LookupResult, register

# The answer kept with the lookup is capped: a vendor's answer is a few hundred bytes.
MAX_ANSWER_BYTES = 64 * 1024


def _path(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@register("http")
class HttpBackend:
    name: ClassVar[str] = "http"
    automatic: ClassVar[bool] = True

    def lookup(self, query: LookupQuery) -> LookupResult:
        base = settings.MIIT_LOOKUP_URL
        if not base:
            return LookupResult(LookupStatus.ERROR, error="MIIT_LOOKUP_URL is not set.")
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}{urlencode({'query': query.query, 'type': query.service_type})}"
        headers = {"Accept": "application/json"}
        if settings.MIIT_LOOKUP_KEY:
            headers["Authorization"] = f"Bearer {settings.MIIT_LOOKUP_KEY}"
        try:
            resp = egress.request(
                "GET",
                url,
                headers=headers,
                timeout=settings.MIIT_LOOKUP_TIMEOUT,
                max_bytes=MAX_ANSWER_BYTES,
            )
        except egress.EgressError as e:
            return LookupResult(LookupStatus.ERROR, error=f"{type(e).__name__}: {e}")
        if resp.status != 200:
            return LookupResult(LookupStatus.ERROR, error=f"HTTP {resp.status}")
        try:
            data = resp.json()
        except ValueError:
            return LookupResult(LookupStatus.ERROR, error="The answer is not JSON.")
        if not isinstance(data, dict):
            return LookupResult(LookupStatus.ERROR, error="The answer is not a JSON object.")
        return self.interpret(data)

    @staticmethod
    def interpret(data: dict[str, Any]) -> LookupResult:
        fields = settings.MIIT_LOOKUP_FIELDS
        found = _path(data, fields.get("found", "found"))
        if not isinstance(found, bool):
            return LookupResult(
                LookupStatus.ERROR, raw=data, error="The answer does not say whether it found."
            )
        if not found:
            return LookupResult(LookupStatus.NOT_FOUND, raw=data)
        state = _text(_path(data, fields.get("state", "state"))).lower()
        cancelled = {s.lower() for s in settings.MIIT_LOOKUP_CANCELLED_STATES}
        return LookupResult(
            LookupStatus.CANCELLED if state in cancelled else LookupStatus.FOUND,
            entity_name=_text(_path(data, fields.get("entity_name", "entity_name")))[:200],
            number=_text(_path(data, fields.get("number", "number")))[:60],
            raw=data,
        )
