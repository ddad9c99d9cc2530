"""Who must have a second factor, and checking one (allauth.mfa's TOTP and recovery codes).

Who must have one is `accounts.sign_in.two_factor_required`, the sign-in pages' rule too.
"""

from __future__ import annotations

from allauth.core import ratelimit
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from accounts.models import User


def code_authenticators(user: User) -> list[Authenticator]:
    """The user's authenticators a code can be checked against (TOTP, recovery codes)."""
    return list(
        Authenticator.objects.filter(
            user=user,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
        )
    )


def code_rate_limit_key(user: User) -> str:
    # allauth.mfa's own key (mfa.base.internal.flows.check_rate_limit): the page's
    # second-factor step and this endpoint count wrong codes together.
    return f"mfa-auth-user-{user.pk}"


def code_attempt_allowed(request: HttpRequest, user: User) -> bool:
    return ratelimit.consume(request, action="login_failed", key=code_rate_limit_key(user))


def code_attempts_clear(request: HttpRequest, user: User) -> None:
    ratelimit.clear(request, action="login_failed", key=code_rate_limit_key(user))


def code_valid(request: HttpRequest, user: User, code: str) -> Authenticator | None:
    """The authenticator `code` is valid for (a TOTP code, or a recovery code, each usable
    once), or None. A valid one is used like on the page (allauth's `authenticator_used`)."""
    code = code.strip()
    if not code:
        return None
    by_type = {a.type: a for a in code_authenticators(user)}
    for kind in (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES):
        authenticator = by_type.get(kind)
        if authenticator is not None and authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            mfa_signals.authenticator_used.send(
                sender=Authenticator,
                request=request,
                user=user,
                authenticator=authenticator,
                reauthenticated=False,
                passwordless=False,
            )
            return authenticator
    return None
