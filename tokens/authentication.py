"""API token sign-in: knox's hashed tokens, refused with a 401 that says why, in the token
owner's language (session users already have theirs from
`accounts.middleware.UserLanguageMiddleware`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import knox_settings
from rest_framework import exceptions, status

from accounts.language import user_language
from accounts.sign_in import missing_second_factor

from .models import ApiToken


class TokenRefused(exceptions.APIException):
    """401 with `WWW-Authenticate: Token`, whichever authentication class comes first
    (DRF turns an AuthenticationFailed into a 403 when the first class is the session's)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Invalid or revoked API token.")
    default_code = "token_invalid"

    def __init__(self, detail=None, code=None) -> None:
        super().__init__(detail, code)
        self.auth_header = knox_settings.AUTH_HEADER_PREFIX


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <key>`: the key's digest must match a stored, unexpired token of
    an active user. Revoked (deleted), unknown, expired and inactive answer 401, each with its
    own message and code."""

    def authenticate(self, request):
        try:
            result = super().authenticate(request)
        except exceptions.AuthenticationFailed as e:  # knox's malformed-header answers
            raise TokenRefused(e.detail, "token_header_invalid") from e
        if result is not None:
            translation.activate(user_language(result[0]))
            request._request.LANGUAGE_CODE = translation.get_language()
        return result

    def authenticate_credentials(self, token: bytes):
        try:
            digest = hash_token(token.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, TypeError) as e:
            raise TokenRefused() from e
        api_token = ApiToken.objects.select_related("user").filter(digest=digest).first()
        if api_token is None:
            raise TokenRefused()
        if api_token.is_expired:
            raise TokenRefused(_("This API token has expired. Create a new one."), "token_expired")
        if not api_token.user.is_active:
            raise TokenRefused(_("This account is deactivated."), "user_inactive")
        if missing_second_factor(api_token.user):
            # Required since the token was made (a new permission, the organization's rule):
            # like the pages, nothing until an authenticator app is set up.
            raise exceptions.PermissionDenied(
                _(
                    "Two-factor authentication is required for your account: set up an "
                    "authenticator app in the dashboard first."
                ),
                "two_factor_required",
            )
        self._mark_used(api_token)
        return api_token.user, api_token

    @staticmethod
    def _mark_used(api_token: ApiToken) -> None:
        now = timezone.now()
        interval = datetime.timedelta(seconds=settings.API_TOKEN_LAST_USED_INTERVAL)
        if api_token.last_used_at is None or now - api_token.last_used_at >= interval:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
