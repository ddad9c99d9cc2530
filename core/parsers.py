"""The API's JSON and form parsers: a size limit, and for JSON a nesting limit, before decoding.

DRF's JSONParser and FormParser read the request stream directly, so Django's
DATA_UPLOAD_MAX_MEMORY_SIZE never applies to them, and Python's decoder answers a body nested
a thousand deep with a RecursionError (a 500). Both are 400s here, with a code a client can act on.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.utils import json

# A JSON string, quotes and escapes included (unrolled: linear on any input).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class BodyRefused(APIException):
    """A 400 with its own code (too large, too deep)."""

    status_code = status.HTTP_400_BAD_REQUEST


def _depths(text: str) -> Iterator[int]:
    """The nesting depth after each bracket of `text`, brackets inside strings aside."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return accumulate(_STEP[c] for c in brackets)


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`."""
    return max(_depths(text), default=0)


def deeper_than(text: str, limit: int) -> bool:
    """Whether arrays and objects in `text` nest deeper than `limit` (stops at the first level
    past it; a body with no more opening brackets than `limit` is not scanned at all)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    return any(depth > limit for depth in _depths(text))


def check_json_text(text: str) -> None:
    """Refuse a body nested deeper than settings.API_JSON_MAX_DEPTH."""
    limit = settings.API_JSON_MAX_DEPTH
    if deeper_than(text, limit):
        raise BodyRefused(
            _("JSON nested deeper than %(limit)s levels is not accepted.") % {"limit": limit},
            code="json_too_deep",
        )


def read_limited(stream: Any) -> bytes:
    """At most settings.API_BODY_MAX_BYTES of `stream`; one byte more is a 400."""
    limit = settings.API_BODY_MAX_BYTES
    body = stream.read(limit + 1) if stream is not None else b""
    if len(body) > limit:
        raise BodyRefused(
            _("A request body of more than %(limit)s bytes is not accepted.") % {"limit": limit},
            code="body_too_large",
        )
    return body


class LimitedJSONParser(JSONParser):
    """JSONParser with a byte limit and a nesting limit (settings.API_JSON_MAX_*)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        body = read_limited(stream)
        try:
            text = codecs.decode(body, encoding)
            check_json_text(text)
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:  # the depth check should have refused it already
            raise BodyRefused(
                _("The JSON body is nested too deeply."), code="json_too_deep"
            ) from exc
        except (ValueError, LookupError, TypeError) as exc:  # DRF's wording; odd charsets too
            raise ParseError(f"JSON parse error - {exc}") from exc


class LimitedFormParser(FormParser):
    """FormParser with the byte limit (settings.API_BODY_MAX_BYTES)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        return QueryDict(read_limited(stream), encoding=encoding)
