"""allauth's account adapter: signup closed, throttling with the wait, the password policy."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import sign_in as policy
from audit.actions import AccessAction
from audit.services import record_event

from . import throttle


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from admins and invitations; a throttled sign-in says how long to wait."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody signs up: accounts are made by admins and invitations."""
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the attempt; refuse it, with the wait, once the failed ones exceed a rate."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            seconds = throttle.wait_seconds(request, key=key)
            minutes = throttle.wait_minutes(seconds)
            record_event(
                AccessAction.SIGN_IN_THROTTLED,
                actor_label=throttle.login_tried(credentials),
                request=request,
                detail={"wait_seconds": seconds, "method": "password"},
            )
            raise ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                    "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="too_many_login_attempts",
            ) from None

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """The right password, unless every organization of the user requires single sign-on."""
        user = super().authenticate(request, **credentials)
        if user is not None and not policy.password_sign_in_allowed(user):
            self.authentication_failed(request, **credentials)  # counts like a wrong password
            # Django's authenticate() succeeded, so no user_login_failed signal: recorded here.
            record_event(
                AccessAction.SIGN_IN_FAILED,
                actor=user,
                request=request,
                detail={"method": "password", "reason": "password_sign_in_off"},
            )
            raise ValidationError(
                _(
                    "Your organization does not allow signing in with a password: "
                    "use single sign-on."
                ),
                code="password_sign_in_off",
            )
        return user
