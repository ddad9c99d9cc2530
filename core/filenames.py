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
