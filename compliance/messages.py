"""Compliance sentences kept language-neutral, rendered in the reader's language.

The engine writes its sentences with ``compliance.engine.base._``, which returns a
:class:`Note` instead of translated text: the English msgid, the values that decided the item
(dates, counts, names; a value may itself be a Note, e.g. "Mini-program"), and further Notes
that follow it ("(Estimated: …)"). The maintained rows store ``Note.data`` as JSON, so the same
row reads in Chinese for one user and in English for the next, and the values double as the
facts that decided the item. Rendering translates each msgid once per language (memoized).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

NoteData = dict[str, Any]


class Note:
    """A sentence to be translated later: msgid, values and what follows it."""

    __slots__ = ("tail", "text", "values")

    def __init__(
        self, text: str, values: dict[str, Any] | None = None, tail: tuple[Note, ...] = ()
    ) -> None:
        self.text = text
        self.values = values
        self.tail = tail

    def __mod__(self, values: dict[str, Any]) -> Note:
        return Note(self.text, dict(values), self.tail)

    def __add__(self, other: Note | str) -> Note:
        if not other:
            return self
        if isinstance(other, str):
            raise TypeError("append a Note, not translated text")
        return Note(self.text, self.values, (*self.tail, other))

    @property
    def data(self) -> NoteData:
        out: NoteData = {"t": self.text}
        if self.values is not None:
            out["v"] = {k: v.data if isinstance(v, Note) else v for k, v in self.values.items()}
        if self.tail:
            out["+"] = [n.data for n in self.tail]
        return out

    def __str__(self) -> str:
        return render_message(self.data)

    def __repr__(self) -> str:
        return f"Note({self.text!r})"


@lru_cache(maxsize=8192)
def _translate(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def render_message(data: NoteData, *, language: str | None = None) -> str:
    """The sentence in `language` (default: the active one)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return _render(data, language)


def _render(data: NoteData, language: str) -> str:
    text = _translate(language, data["t"])
    values = data.get("v")
    if values is not None:
        text = text % {k: _render(v, language) if isinstance(v, dict) else v
                       for k, v in values.items()}  # fmt: skip
    for part in data.get("+", ()):
        text += " " + _render(part, language)
    return text
