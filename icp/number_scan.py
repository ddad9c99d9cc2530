"""Locate number-shaped text inside free text, and recognise labels around a single number.

Locating is purely lexical: it finds the extent of every filing, licence and public-security
number (gaps of whitespace between parts allowed, full-width forms folded) so that the parser
can then judge each one. Spans index the text exactly as given.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from icp.provinces import PROVINCES

from .number_parts import DASHES, FOREIGN_PREFIX, NumberError, normalize, number_error

_PROV = "".join(sorted({ch for p in PROVINCES for ch in p.icp_chars}))
# Whitespace (and zero-width characters) may sit between the parts of a number on real pages.
_GAP = r"[\s\u200b\u200c\u200d\u2060\ufeff]*"
_HAO = rf"(?:{_GAP}号)?"
# The kind letter sits right after the digits and must not start a word (`-1 All rights`).
_SUFFIX = rf"(?:{_GAP}-{_GAP}\d+(?:[AXK](?![A-Z]))?)?"
_PSB = rf"[{_PROV}]{_GAP}公网安备{_GAP}\d+{_HAO}"
_ICP = rf"[{_PROV}]{_GAP}ICP{_GAP}(?:备案|备|证){_GAP}\d+{_HAO}{_SUFFIX}{_HAO}"
_B_OLD = rf"[{_PROV}]{_GAP}B-[12]-\d-\d{{8}}(?!\d){_HAO}"
# Without a prefix, the class must not continue a word or a number (`2024B2-…`, `AB2-…`).
_B = (
    rf"(?:(?:{FOREIGN_PREFIX}|[{_PROV}]){_GAP}|(?<![A-Z0-9.\-]))"
    rf"[AB][12](?:\.[AB][12])*{_GAP}-{_GAP}\d{{8}}(?!\d){_HAO}{_SUFFIX}"
)
_NUMBER_RE = re.compile(f"{_PSB}|{_ICP}|{_B_OLD}|{_B}")

# Labels printed before numbers on real pages: ICP备案号, 网站备案号, 经营许可证编号, 公安备案号 …
_LABEL_RE = re.compile(
    r"^(?:ICP|网站|域名|工信部|公安|公网安|联网|增值电信业务|经营性)*"
    r"(?:备案|经营许可证|许可证)(?:编号|号)?(?!\d)"
)


def _fold(text: str) -> str:
    """Fold each character on its own (full width, dashes, case) so indexes stay the same."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch).translate(DASHES).upper()
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def number_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every number-shaped run in text, left to right, not overlapping."""
    return [m.span() for m in _NUMBER_RE.finditer(_fold(text or ""))]


def label_error(text: str) -> NumberError | None:
    """The error for a single-number field holding a label or several numbers, else None."""
    spans = number_spans(text)
    if len(spans) > 1:
        found = ", ".join(normalize(text[start:end]) for start, end in spans)
        return number_error(
            "several_numbers",
            _("The text holds %(count)d numbers (%(found)s); enter one number at a time."),
            count=len(spans),
            found=found,
        )
    if spans:
        start, end = spans[0]
        label = text[:start].strip()
        # One character glued on (合B2-…, X粤ICP…) is a mistyped prefix, not a label.
        if not normalize(label) or (len(label) == 1 and text[start - 1] == label):
            return None
        return number_error(
            "label",
            _("Remove the label '%(label)s' and enter only the number: %(n)s."),
            label=label,
            n=normalize(text[start:end]),
        )
    if m := _LABEL_RE.match(normalize(text)):
        return number_error(
            "label",
            _("'%(label)s' is a label, not a number; remove it and enter the number it labels."),
            label=m[0],
        )
    return None
