"""Cells a spreadsheet would run as a formula (CSV injection), kept as text."""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would evaluate (=, +, -, @, tab, CR) with '.
    Other values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def text_cell(value: object) -> str:
    """Any value as CSV text ("" for None), neutralised."""
    return neutralise("" if value is None else str(value))
