"""The 500 and 503 answers: branded and bilingual pages, JSON under /api/.

Django turns every uncaught exception, in a view or in a middleware (sessions and
authentication read the database before any view runs), into a response at the layer where
it was raised and then calls `handler500`, so no outer middleware ever sees the exception:
the choice between 500 and 503 is made here. A database that cannot be reached
(OperationalError, InterfaceError) is "unavailable, try again shortly" with Retry-After, not
a server error. Nothing here touches the database: the language is the one the middleware
chose, else the language cookie's or Accept-Language's, and the template has no context
processors.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _unreachable(exc: BaseException) -> bool:
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    # The server answered (a deadlock, a statement timeout: SQLSTATE set), or SQLite found
    # no such table (a missing migration): a fault of ours, a 500, not "try again later".
    if getattr(exc.__cause__, "pgcode", None):
        return False
    return not str(exc).startswith(("no such table", "no such column"))


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from, says the database is unreachable."""
    seen = 0
    while exc is not None and seen < 10:
        if _unreachable(exc):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """`handler500`: 503 when the database is down, else 500."""
    if database_unavailable(sys.exc_info()[1]):
        return error_response(request, status=503)
    return error_response(request, status=500)


def error_response(request: HttpRequest, *, status: int) -> HttpResponse:
    """The page (or, under /api/, the JSON) for a 500 or a 503, in the visitor's language."""
    # The language the middleware chose (a signed-in user's own, when the database let it be
    # read), else the cookie or Accept-Language: never a database read here.
    language = getattr(request, "LANGUAGE_CODE", None) or get_language_from_request(request)
    with translation.override(language):
        if status == 503:
            code = "service_unavailable"
            detail = _(
                "The service is briefly unavailable: its database cannot be reached. "
                "Nothing was saved."
            )
        else:
            code = "server_error"
            detail = _("Something went wrong on our side; the error has been logged.")
        response: HttpResponse
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": detail, "code": code}, status=status)
        else:
            response = HttpResponse(_page(status, detail), status=status)
    if status == 503:
        response["Retry-After"] = str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _page(status: int, detail: str) -> str:
    context = {"detail": detail, "LANGUAGE_CODE": translation.get_language()}
    try:
        return render_to_string(f"{status}.html", context)
    except Exception:  # a broken page must not hide the answer (e.g. a missing static file)
        logger.exception("The %s page could not be rendered", status)
        return f"<!DOCTYPE html><title>{status}</title><p>{escape(detail)}</p>"
