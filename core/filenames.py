"""Names of uploaded files, as stored and shown: without the personal numbers people put in them.

"张三-110105194912310021-13800138000.xlsx" is a common way to name a file; the name is shown
in lists and kept after the file itself is deleted, so the numbers are taken out when the
upload is stored. Only personal numbers go: 18-digit resident IDs and 15-digit old IDs (a
birth date where an ID has it; the check digit is not asked for, a mistyped ID is still
personal) and mainland mobile numbers. Company numbers (USCC, filing numbers) stay: they are
what people look for.
"""

from __future__ import annotations

import datetime
import re

MASK = "***"
# Digit runs not glued to other digits; an 18-digit ID may end with X.
_RESIDENT_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
_OLD_ID = re.compile(r"(?<!\d)\d{15}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d{9}(?!\d)")


def _is_birth_date(text: str) -> bool:
    """YYYYMMDD, a date in 1900–2099."""
    try:
        day = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return 1900 <= day.year <= 2099


def _resident_id(match: re.Match[str]) -> str:
    return MASK if _is_birth_date(match[0][6:14]) else match[0]


def _old_id(match: re.Match[str]) -> str:
    number = match[0]
    return MASK if _is_birth_date("19" + number[6:12]) else number


def redact_filename(name: str) -> str:
    """`name` with resident ID numbers (18 and 15 digits) and mobile numbers masked."""
    name = _RESIDENT_ID.sub(_resident_id, name)
    name = _OLD_ID.sub(_old_id, name)
    return _MOBILE.sub(MASK, name)
