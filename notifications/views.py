"""The ICS feed: a secret-token URL a calendar app polls without logging in."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.language import user_language

from .feeds import calendar_build
from .selectors import calendar_items_for_user
from .services import calendar_feed_user


def calendar_feed(request, token: str) -> HttpResponse:
    user = calendar_feed_user(token=token)
    if user is None:
        raise Http404  # unknown and revoked tokens look the same
    items = calendar_items_for_user(user=user).iterator(chunk_size=2000)
    # The calendar app sends no session: the feed speaks its owner's language.
    with translation.override(user_language(user)):
        body = calendar_build(items, name=_("ICP compliance deadlines"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
