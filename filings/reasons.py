"""Rejection reasons as a request gives them, checked and cleaned into rows (not yet saved)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import clean_field_text
from icp import review_fields

from .models import RejectionReason

# A rejection reason's texts as the request names them, and whether each is multi-line.
_REASON_TEXTS = (("field", False), ("error", True), ("field_text", False), ("suggestion", True))


def clean_reasons(reasons: Iterable[Mapping[str, Any]]) -> list[RejectionReason]:
    cleaned = []
    for r in reasons:
        field, error, text, suggestion = (
            clean_field_text(str(r.get(key, "") or ""), field="reasons", multiline=multiline)
            for key, multiline in _REASON_TEXTS
        )
        if not field or not error:
            raise ValidationError(
                {"reasons": [_("Each reason needs the field concerned and what is wrong with it.")]}
            )
        if not review_fields.is_known_field(field):
            raise ValidationError(
                {
                    "reasons": [
                        _("“%(field)s” is not a field of the application; choose “other” and "
                          "describe it.") % {"field": field}
                    ]
                }
            )  # fmt: skip
        if field == review_fields.OTHER and not text:
            raise ValidationError({"reasons": [_("Name the field when you choose “other”.")]})
        if field != review_fields.OTHER:
            text = ""
        cleaned.append(
            RejectionReason(
                field=field,
                field_text=text[:100],
                error=error,
                suggestion=suggestion,
            )
        )
    if not cleaned:
        raise ValidationError(
            {"reasons": [_("Give at least one reason so the operator knows what to correct.")]}
        )
    return cleaned
