<<<<<<< HEAD
"""Names of uploaded files, as stored and shown: without the personal numbers people put in them.

"张三-110105194912310021-13800138000.xlsx" is a common way to name a file; the name is shown
in lists and kept after the file itself is deleted, so the numbers are taken out when the
upload is stored. Only personal numbers go: 18-digit resident IDs (check digit and birth date
valid), 15-digit old IDs (birth date valid) and mainland mobile numbers. Company numbers
(USCC, filing numbers) stay: they are what people look for.
"""

from __future__ import annotations

import datetime
import re

from stdnum.cn import ric

MASK = "***"
# Digit runs not glued to other digits; an 18-digit ID may end with X.
_RESIDENT_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
_OLD_ID = re.compile(r"(?<!\d)\d{15}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d{9}(?!\d)")


def _is_date(text: str) -> bool:
    try:
        datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return True


def _resident_id(match: re.Match[str]) -> str:
    number = match[0].upper()
    if _is_date(number[6:14]) and str(ric.calc_check_digit(number)) == number[-1]:
        return MASK
    return match[0]


def _old_id(match: re.Match[str]) -> str:
    number = match[0]
    return MASK if _is_date("19" + number[6:12]) else number


def redact_filename(name: str) -> str:
    """`name` with resident ID numbers (18 and 15 digits) and mobile numbers masked."""
    name = _RESIDENT_ID.sub(_resident_id, name)
    name = _OLD_ID.sub(_old_id, name)
    return _MOBILE.sub(MASK, name)
=======
"""File names without personal numbers: what an uploader typed into a name is kept, an ID
or mobile number in it is not (it would be stored and offered back as the download name)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

# 18-digit resident ID (last character may be X), 15-digit old resident ID, mainland mobile
# number (1 + 3..9 + 9 digits). Digits directly around them belong to a longer number (an
# order or invoice number), which is left alone; letters and CJK around them are not.
_PERSONAL_NUMBER_RE = re.compile(
    r"(?<!\d)(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?!\d)",
)
# What is left of the separators a number stood between: "张三-_身份证" → "张三_身份证".
_SEPARATOR_RUN_RE = re.compile(r"([\s._\-—–()（）]){2,}")
_EDGE_SEPARATORS = " ._-—–"
FALLBACK_STEM = "file"


def _tidy(stem: str) -> str:
    stem = _SEPARATOR_RUN_RE.sub(lambda m: m.group(0)[-1], stem)
    return stem.strip(_EDGE_SEPARATORS)


def redact_filename(name: str) -> str:
    """`name` (a bare file name, any folders dropped) without ID or mobile numbers.

    `110105198001011019张三身份证.pdf` → `张三身份证.pdf`; a name that was only a number
    keeps its extension: `13812345678.jpg` → `file.jpg`.
    """
    base = PurePosixPath((name or "").replace("\\", "/")).name
    path = PurePosixPath(base)
    suffix = path.suffix if path.stem else ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    cleaned = _PERSONAL_NUMBER_RE.sub("", stem)
    if cleaned != stem:
        cleaned = _tidy(cleaned)
    if _PERSONAL_NUMBER_RE.search(suffix):
        suffix = ""
    return f"{cleaned or FALLBACK_STEM}{suffix}"
>>>>>>> h-runs
