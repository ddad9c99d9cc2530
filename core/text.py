"""Text hygiene for every free-text value the register keeps (names, notes, reasons, comments).

One rule for forms, the API and the importer (`core.models.CleanTextModel` applies it in
`clean_fields`, the importer per cell):

- Unicode NFC, so that a name typed with composed or decomposed accents is one name;
- invisible characters are **stripped silently**: bidirectional controls (U+202A–202E,
  U+2066–2069, U+200E/200F, U+061C) and zero-width characters (U+200B–200D, U+2060, U+FEFF).
  They change how a name displays (an RTL override reverses it) or make two equal-looking
  names differ, and nobody types them on purpose: a paste from a web page or a PDF brings
  them, so refusing would only puzzle the person;
- control characters are **refused**, naming the character and its position: C0 (NUL, ESC…),
  DEL and C1. A multi-line field keeps line breaks (CR LF, CR and U+2028/2029 become LF)
  and tabs; a single-line field refuses line breaks (U+2028/2029 included) and tabs as
  well: a name with a line break breaks every e-mail header it is put in;
- leading and trailing whitespace is trimmed.

`scrub_text` applies the same rule without refusing (what a migration does to stored rows),
`header_text` makes any stored value safe for an e-mail subject.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

BIDI_CONTROLS = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
ZERO_WIDTH = frozenset([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
INVISIBLE = BIDI_CONTROLS | ZERO_WIDTH
_DROP = dict.fromkeys(INVISIBLE)

# What str.splitlines() breaks a line at: CR, LF and the rarer ones (U+2028, NEL…).
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# Any character the rule acts on: a value without one (nearly every value) takes the fast path.
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(re.escape(chr(c)) for c in sorted(INVISIBLE)) + "]"
)

_NAMES = {
    "\x00": "NUL",
    "\t": "TAB",
    "\n": "LF",
    "\r": "CR",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\x85": "NEL",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
}


def is_control(ch: str) -> bool:
    """C0, DEL or C1."""
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


def _trimmable(ch: str) -> bool:
    # Whitespace at either end goes, including CR/LF/TAB; other controls that Python counts
    # as whitespace (\x1c–\x1f, \x85…) are refused wherever they are.
    return ch.isspace() and (ch in "\t\n\r" or not is_control(ch))


def character_label(ch: str) -> str:
    """`U+0000 (NUL)`: how a refused character is named to the person."""
    name = _NAMES.get(ch) or unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}"
    return f"{code} ({name})" if name else code


class TextError(ValueError):
    """A value refused by `clean_text`; `message` is translated and shown to the person."""

    def __init__(self, message: str, *, code: str, position: int, character: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.position = position  # 1-based, in the value as given
        self.character = character


def _bounds(value: str, *, invisible_too: bool = False) -> tuple[int, int]:
    """Where the value starts and ends once trimmed; `invisible_too`: invisible characters
    at the ends count as trimmable (they are stripped anyway, so whitespace beyond them goes)."""

    def trim(ch: str) -> bool:
        return _trimmable(ch) or (invisible_too and ord(ch) in INVISIBLE)

    start, end = 0, len(value)
    while start < end and trim(value[start]):
        start += 1
    while end > start and trim(value[end - 1]):
        end -= 1
    return start, end


def find_text_problem(value: str, *, multiline: bool = False) -> TextError | None:
    """The first character `clean_text` refuses, as a TextError (None: the value is fine)."""
    suspect = _SUSPECT.search(value)
    if suspect is None:
        return None
    start, end = _bounds(value, invisible_too=True)  # positions stay in the raw value
    for index in range(max(start, suspect.start()), end):
        ch = value[index]
        position = index + 1
        if multiline and ch in "\n\r\t\u2028\u2029":
            continue
        if ch in LINE_BREAKS and not multiline:
            return TextError(
                _("This field is a single line: remove the line break at position %(pos)d.")
                % {"pos": position},
                code="line_break",
                position=position,
                character=ch,
            )
        if is_control(ch):
            return TextError(
                _("Remove the control character %(char)s at position %(pos)d.")
                % {"char": character_label(ch), "pos": position},
                code="control_character",
                position=position,
                character=ch,
            )
    return None


def _normalise(value: str, *, multiline: bool) -> str:
    text = value.translate(_DROP)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = unicodedata.normalize("NFC", text)
    start, end = _bounds(text)
    return text[start:end]


def clean_text(value: str, *, multiline: bool = False) -> str:
    """The value as stored: NFC, invisible characters stripped, trimmed. Raises TextError
    for a control character (or a line break or tab in a single-line field)."""
    if _SUSPECT.search(value) is None and unicodedata.is_normalized("NFC", value):
        return value.strip()  # no control character: strip() trims exactly what _bounds does
    problem = find_text_problem(value, multiline=multiline)
    if problem is not None:
        raise problem
    return _normalise(value, multiline=multiline)


def scrub_text(value: str, *, multiline: bool = False) -> str:
    """`clean_text` that never refuses: what it would refuse becomes a space (stored rows)."""
    text = value.replace("\r\n", "\n" if multiline else " ")
    kept = "\n\r\t\u2028\u2029" if multiline else ""
    text = "".join(
        " " if (is_control(ch) or ch in LINE_BREAKS) and ch not in kept else ch for ch in text
    )
    return _normalise(text, multiline=multiline)


def header_text(value: object, *, max_length: int = 200) -> str:
    """Any value made safe for a mail header (a subject): invisible and control characters
    and line breaks gone, whitespace runs collapsed to one space, at most `max_length`
    characters (an ellipsis marks the cut). Never raises: a reminder must go out even about
    a row that was stored dirty."""
    text = str(value).translate(_DROP)
    text = "".join(" " if is_control(ch) or ch in LINE_BREAKS else ch for ch in text)
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text
