"""Dates typed by people or clients: one range for every query string, form and API field.

A date outside `settings.DATE_MIN`..`settings.DATE_MAX` (2000-01-01..2100-12-31) is refused
with a message, never evaluated: adding a deadline's days to 9999-12-31 overflows, and no
filing, expiry or "as of" date the register tracks lies outside those years.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_range() -> tuple[datetime.date, datetime.date]:
    """The first and last date accepted anywhere."""
    return settings.DATE_MIN, settings.DATE_MAX


def validate_date_range(value: datetime.date | None) -> None:
    """Django validator: a ValidationError naming the range for a date outside it."""
    if value is None:
        return
    low, high = date_range()
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not low <= value <= high:
        raise ValidationError(
            _("Use a date between %(min)s and %(max)s.")
            % {"min": low.isoformat(), "max": high.isoformat()},
            code="date_out_of_range",
        )


def parse_query_date(raw: str) -> datetime.date:
    """Strictly YYYY-MM-DD within the range, else a ValidationError saying what to type."""
    raw = raw.strip()
    try:
        value = datetime.date.fromisoformat(raw) if _ISO_DATE.fullmatch(raw) else None
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(
            _("“%(value)s” is not a date; use the form YYYY-MM-DD.") % {"value": raw[:40]},
            code="invalid_date",
        )
    validate_date_range(value)
    return value


def parse_query_date_or_none(raw: str) -> datetime.date | None:
    """`parse_query_date`, with None for anything it refuses (pages that fall back)."""
    try:
        return parse_query_date(raw)
    except ValidationError:
        return None
