"""Find every filing, licence and public-security number inside free text (domain.md §1.4).

A footer such as ``©2024 某公司 ICP备案号：京ICP备11041704号-1 | 京公网安备11010802020088号``
yields two results, each with its span in the text as given and either the parse result or
the reason the number is malformed, so that a footer checker can point at the exact place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .number_parts import NumberError, ParsedNumber, beijing_today
from .number_scan import number_spans
from .numbers import parse_number

__all__ = ["FoundNumber", "find_numbers"]


@dataclass(frozen=True, slots=True)
class FoundNumber:
    """One number found in a text: where it is, what was written, and what it parses to."""

    start: int
    end: int
    text: str
    parsed: ParsedNumber | None = None
    error: NumberError | None = None

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def ok(self) -> bool:
        return self.parsed is not None

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "parsed": self.parsed.to_dict() if self.parsed else None,
            "error": {"code": self.error.code, "detail": self.error.message}
            if self.error
            else None,
        }


def find_numbers(
    text: str, *, lenient: bool = False, today: datetime.date | None = None
) -> list[FoundNumber]:
    """Every number in text, left to right, with its (start, end) span and parse result.

    Labels around a number (``ICP备案号：``, ``©2024``, ``|``) are not part of its span; a
    malformed number is still found and carries its NumberError instead of a parse result.
    lenient and today are passed on to `parse_number`.
    """
    today = today or beijing_today()
    found = []
    for start, end in number_spans(text):
        written = text[start:end]
        try:
            parsed = parse_number(written, lenient=lenient, today=today)
        except NumberError as e:
            found.append(FoundNumber(start, end, written, error=e))
        else:
            found.append(FoundNumber(start, end, written, parsed=parsed))
    return found
