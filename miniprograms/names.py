"""Pinyin keys of an operator's Chinese name: the order of the lists and a search by pinyin.

`name_sort` is the tone-less pinyin of the name in lower case, kept to ASCII letters and
digits (a Latin name keeps its own letters): "北京" → "beijing", "Acme 科技" → "acmekeji".
Without spaces or punctuation — which PostgreSQL's language collations skip and SQLite does
not — an ORDER BY on it gives the same order on both databases. `name_initials` holds the
first letter of each syllable ("北京" → "bj") for a search by initials.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

SORT_KEY_LENGTH = 255
INITIALS_LENGTH = 200
_NOT_KEY = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Text reduced to the characters of the keys: lower-case ASCII letters and digits."""
    return _NOT_KEY.sub("", text.lower())


def name_sort_key(name: str) -> str:
    """The tone-less pinyin of `name`, ASCII letters and digits only (see the module)."""
    return search_key("".join(lazy_pinyin(name)))[:SORT_KEY_LENGTH]


def name_initials(name: str) -> str:
    """The first letter of each syllable of `name`; other text is kept as it is written."""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER)
    return search_key("".join(parts))[:INITIALS_LENGTH]
