"""Web server access logs without query strings: search boxes carry ID numbers and names.

`PathOnlyAccessLogger` is gunicorn's logger class (gunicorn.conf.py): whatever the format, the
request line, the referer and the raw URI lose their query string, `%(q)s` is empty, and a
resident ID number left in a path is masked. `StripQueryStringLogFilter` does the same for
Django's own `django.server` (runserver) and `django.request` lines.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from core.pii import mask_text

# "?…" up to the next space or quote: a query string inside a request line or a URL.
_QUERY = re.compile(r"\?[^\s\"']*")
# Atoms that hold a URL or a request line (lower-case: gunicorn looks atoms up case-blind).
_URL_ATOMS = ("r", "f", "{raw_uri}e", "{referer}i", "{request_uri}e")
_QUERY_ATOMS = ("q", "{query_string}e")


def strip_query(text: str) -> str:
    """`GET /operators/?q=1101… HTTP/1.1` -> `GET /operators/ HTTP/1.1`, ID numbers masked."""
    return mask_text(_QUERY.sub("", text))


class PathOnlyAccessLogger(Logger):
    """gunicorn's logger with the query strings taken out of every access-log atom."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _QUERY_ATOMS:
            if key in atoms:
                atoms[key] = ""
        for key in _URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = strip_query(atoms[key])
        if isinstance(atoms.get("U"), str):
            atoms["U"] = mask_text(atoms["U"])
        return atoms


class StripQueryStringLogFilter(logging.Filter):
    """Drops query strings from a log line (runserver logs the whole request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        stripped = strip_query(message)
        if stripped != message:
            record.msg, record.args = stripped, None
        return True
