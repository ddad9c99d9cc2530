"""Writes to API tokens: sign in for one, create, revoke one or all, purge the expired."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.contrib.auth import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import get_digest_token
from knox.settings import CONSTANTS, knox_settings

from accounts.access import has_second_factor
from accounts.models import User
from accounts.sign_in import two_factor_required
from audit.actions import AccessAction
from audit.context import client_address
from audit.services import record_event
from core.exceptions import ApplicationError, PermissionDeniedError

from . import throttle, two_factor
from .models import ApiToken


class SignInThrottledError(ApplicationError):
    """Too many failed attempts for this account or from this address: wait `retry_after`."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, extra={"retry_after": retry_after})
        self.retry_after = retry_after


class CredentialsInvalidError(ApplicationError):
    """Unknown username or wrong password."""

    status_code = 400


class TwoFactorCodeError(ApplicationError):
    """The account has two-factor on and the code is missing or wrong."""

    status_code = 400


def _current_request() -> HttpRequest | None:
    # allauth's AccountMiddleware keeps the request being answered: lets a save() far from any
    # view (a password change in the admin, a deactivation) name who did it and from where.
    return getattr(allauth_context, "request", None)


def token_sign_in(*, request: HttpRequest, username: str, password: str, code: str = "") -> User:
    """Check password (+ second factor) for a new token, throttled with the page's counters."""
    adapter = get_adapter(request)
    try:
        user = adapter.authenticate(request, username=username, password=password)
    except ValidationError as e:
        if getattr(e, "code", None) != "too_many_login_attempts":
            # Another refusal of the sign-in adapter (a policy): its own words, a 403.
            raise PermissionDeniedError(" ".join(e.messages)) from e
        # allauth: too many failed attempts (this account or this address); the sign-in
        # adapter has recorded the refusal in the audit log.
        wait = throttle.wait_seconds(request, throttle.account_key(request, username))
        raise SignInThrottledError(
            _("Too many failed sign-in attempts. Try again in %(seconds)d seconds.")
            % {"seconds": wait},
            retry_after=wait,
        ) from e
    if user is None or not isinstance(user, User):
        raise CredentialsInvalidError(_("Unable to log in with provided credentials."))
    _second_factor_check(request, user, code)
    user_logged_in.send(sender=User, request=request, user=user)
    return user


def _second_factor_check(request: HttpRequest, user: User, code: str) -> None:
    if not has_second_factor(user):  # an authenticator app or a security key, as the pages count
        if two_factor_required(user):
            raise PermissionDeniedError(
                _(
                    "This account must use two-factor authentication. Turn it on in your "
                    "profile first, then ask for a token with its code."
                )
            )
        return
    if not code:
        raise TwoFactorCodeError(
            _("This account uses two-factor authentication: send its current code as “code”."),
            extra={"code": "two_factor_required"},
        )
    if not two_factor.code_attempt_allowed(request, user):
        wait = throttle.wait_seconds(request, two_factor.code_rate_limit_key(user))
        raise SignInThrottledError(
            _("Too many wrong codes. Try again in %(seconds)d seconds.") % {"seconds": wait},
            retry_after=wait,
        )
    if two_factor.code_valid(request, user, code) is None:
        raise TwoFactorCodeError(
            _("The two-factor code is not valid."), extra={"code": "two_factor_invalid"}
        )
    two_factor.code_attempts_clear(request, user)


@transaction.atomic
def token_create(
    *, user: User, name: str = "", request: HttpRequest | None = None, via: str = "page"
) -> tuple[ApiToken, str]:
    """A new token and its key, shown once (only the key's digest is stored)."""
    name = name.strip() or _("API token of %(date)s") % {"date": f"{timezone.localdate():%Y-%m-%d}"}
    digest, key = get_digest_token()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=digest,
        token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
        expiry=timezone.now() + knox_settings.TOKEN_TTL,
        created_from=client_address(request),
    )
    record_event(
        AccessAction.TOKEN_CREATED,
        actor=user,
        target=token,
        request=request,
        detail={
            "name": token.name,
            "via": via,
            "expiry": token.expiry.isoformat() if token.expiry else None,
        },
    )
    return token, key


@transaction.atomic
def token_revoke(
    *,
    user: User,
    token: ApiToken,
    request: HttpRequest | None = None,
    actor: User | None = None,
    reason: str = "revoked",
) -> None:
    """Revoke one of `user`'s tokens; `actor` did it when not its owner (an administrator)."""
    if token.user_id != user.pk:
        raise PermissionDeniedError(_("This token is not yours."))
    record_event(
        AccessAction.TOKEN_REVOKED,
        actor=actor or user,
        target=token,
        request=request,
        detail={"name": token.name, "reason": reason, "count": 1},
    )
    token.delete()


@transaction.atomic
def token_revoke_all(
    *,
    user: User,
    reason: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Revoke every token of `user` (asked, password changed, deactivated); how many."""
    tokens = list(ApiToken.objects.filter(user=user))
    if not tokens:
        return 0
    if request is None:
        request = _current_request()
    if actor is None and request is not None:
        current = getattr(request, "user", None)
        actor = current if isinstance(current, User) else None
    detail: dict[str, Any] = {
        "reason": reason,
        "count": len(tokens),
        "names": [t.name for t in tokens],
    }
    record_event(
        AccessAction.TOKEN_REVOKED,
        actor=actor,
        actor_label="" if actor is not None else "system",
        target=user,
        request=request,
        detail=detail,
    )
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)


def expired_tokens_purge() -> int:
    """Delete tokens past their expiry (the `api-tokens` purger of `core.purge`)."""
    deleted, _by_model = ApiToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted
