"""A signed-in user who must have a second factor and has none sets one up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.sign_in import missing_second_factor

# Reachable without a second factor: the account and two-factor pages (setting one up, signing
# out), the language switch, static files and the favicon (/healthz and /readyz answer before
# any middleware) — but not the API tokens page: a token would be a way round the rule.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/favicon.ico")
CLOSED_PREFIXES = ("/accounts/tokens/",)


class RequireSecondFactorMiddleware:
    """Pages redirect to the authenticator-app setup; the API answers 403 with the reason.

    After AuthenticationMiddleware and MessageMiddleware; accounts.sign_in decides who needs a
    second factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._open(request.path)
            and missing_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _(
                            "Two-factor authentication is required for your account: "
                            "set up an authenticator app in the dashboard first."
                        ),
                        "code": "two_factor_required",
                    },
                    status=403,
                )
            messages.warning(
                request,
                _(
                    "Your account needs two-factor authentication: set up an authenticator "
                    "app to continue."
                ),
            )
            setup = reverse("mfa_activate_totp")
            return HttpResponseRedirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if path.startswith(CLOSED_PREFIXES):
            return False
        return path.startswith(OPEN_PREFIXES) or path.startswith(static)
