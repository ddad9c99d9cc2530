"""One cell → one value: dates, choices, provinces and filing numbers as the sheets hold them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from core.text import TextError, clean_text
from icp.numbers import NumberError, parse_number
from icp.provinces import province_by_name

from .columns import Col, _fold


class CellError(ValueError):
    """A cell that cannot be read. `reason` is shown to the user; None means the cause is
    reported elsewhere (a dependant of a row that failed) and the row is only skipped."""

    def __init__(self, reason: str | None) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_date(value: object) -> datetime.date | None:
    """A date cell: a spreadsheet date, 2024-05-01, 2024/5/1, 2024年5月1日; 长期 is None."""
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if text in ("", "长期", "long-term", "long term"):
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not m:
        raise ValueError(text)
    return datetime.date(int(m[1]), int(m[2]), int(m[3]))


def normalize_number(text: str, *, entity: bool = False) -> str:
    """A filing number as the register stores it; left as typed if it does not parse."""
    try:
        parsed = parse_number(text)
    except NumberError:
        return text
    return parsed.entity_number if entity else parsed.normalized


def _date_cell(col: Col, raw: object) -> object:
    try:
        return parse_date(raw)
    except ValueError:
        raise CellError(_("Enter the date as YYYY-MM-DD.")) from None


def _choice_cell(col: Col, raw: object) -> object:
    value = (col.choices or {}).get(str(raw).strip().casefold())
    if value is None:
        raise CellError(_("“%(v)s” is not one of the allowed values.") % {"v": raw})
    return value


def _province_cell(col: Col, raw: object) -> object:
    province = province_by_name(_fold(str(raw)))
    if province is None:
        raise CellError(_("Unknown province “%(v)s”.") % {"v": raw})
    return province.code


def _text_cell(col: Col, raw: object) -> object:
    return str(raw)  # already cleaned by cell_text


# Col.kind → reader. "operator" cells need the importer's state: the importer reads them.
READERS: dict[str, Callable[[Col, object], object]] = {
    "date": _date_cell,
    "choice": _choice_cell,
    "province": _province_cell,
    "text": _text_cell,
}


def cell_text(raw: object) -> object:
    """A text cell under the register's own rule (core.text), as forms and the API apply it:
    invisible characters stripped, NFC, trimmed; a control character (NUL, ESC…) or a line
    break is refused whatever the column (every register column is a single-line field),
    with its position, never a database error. Other cells (dates, numbers) pass as read."""
    if not isinstance(raw, str):
        return raw
    try:
        return clean_text(raw)
    except TextError as e:
        raise CellError(e.message) from None


def read_cell(col: Col, raw: object) -> object:
    """The value of a non-empty cell already through `cell_text`; raises CellError with the
    reason shown to the user."""
    return READERS[col.kind](col, raw)
