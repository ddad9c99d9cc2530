"""API token sign-in that, like the middleware for sessions, speaks the user's language."""

from __future__ import annotations

from django.utils import translation
from rest_framework import authentication

from accounts.language import user_language


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; the token's user's language becomes the active one
    (session users already have it from `accounts.middleware.UserLanguageMiddleware`)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            translation.activate(user_language(result[0]))
            request._request.LANGUAGE_CODE = translation.get_language()
        return result
