"""The default: nothing is looked up automatically; the miit_record_check task asks a person."""

from __future__ import annotations

from typing import ClassVar

from .base import LookupQuery, LookupResult, register


@register("manual")
class ManualBackend:
    name: ClassVar[str] = "manual"
    automatic: ClassVar[bool] = False

    def lookup(self, query: LookupQuery) -> LookupResult:
        raise NotImplementedError("The manual backend looks nothing up: verify by hand.")
