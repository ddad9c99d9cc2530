"""The signed-in person's language is the language of every page they see."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.language import user_language


class UserLanguageMiddleware:
    """Activate `user.language` for signed-in users (after AuthenticationMiddleware).

    Anonymous visitors keep what LocaleMiddleware chose (cookie, Accept-Language, default);
    for a signed-in user their own setting wins over both.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        before = translation.get_language()  # LocaleMiddleware's choice for this request
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            translation.activate(user_language(user))
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The user's language (also an API token user's, activated during the view) names
        # the response; LocaleMiddleware only sets the header when it is missing.
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.activate(before)  # nothing of this user's language outlives the request
        return response
