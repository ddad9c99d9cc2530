"""One language per person: `User.language` chooses pages, e-mails, reminders, feeds and files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation


def supported(language: str | None) -> str | None:
    """The configured language code for `language`, or None if it is not offered."""
    if not language:
        return None
    codes = {code for code, _label in settings.LANGUAGES}
    if language in codes:
        return language
    try:
        variant = translation.get_supported_language_variant(language)
    except LookupError:
        return None
    return variant if variant in codes else None


def user_language(user: Any) -> str:
    """The person's language; the site default for anyone without a valid one."""
    return supported(getattr(user, "language", None)) or settings.LANGUAGE_CODE
