"""django-allauth's social account adapter for icpfiling: calls to providers go through the
egress guard, and a new identity never creates an account by itself.

The policy, applied to every identity a provider hands back (`pre_social_login`):
- linked to a user: signs them in only when one of their organizations allows the provider
  (allauth then asks for their second factor as after a password);
- connecting it to the signed-in user: only a provider one of their organizations allows;
- not linked, on its way through an invitation link: a new account with the invited e-mail,
  the identity linked to it and the invited membership (signin.invitations);
- otherwise refused: never a sign-up, never a match by e-mail.
Every refusal is a page saying why, and an SSO_REFUSED access event.
"""

from __future__ import annotations

import functools
from typing import Any

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.http import HttpRequest
from django.shortcuts import render

from accounts.access import membership_list_for_user
from accounts.models import User
from audit import services as audit
from audit.actions import AccessAction
from core.egress.sessions import egress_session

from .policy import allowed_provider_ids

REFUSALS = {
    "not_linked": "signin/sso/not_linked.html",
    "provider_not_allowed": "signin/sso/not_allowed.html",
    "invitation_unusable": "signin/sso/not_linked.html",
}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self) -> requests.Session:
        session = egress_session()
        session.request = functools.partial(  # type: ignore[method-assign]
            session.request, timeout=app_settings.REQUESTS_TIMEOUT
        )
        return session

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Accounts come from an administrator or an invitation, never from a provider alone.
        return False

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def list_providers(self, request: HttpRequest) -> list[Any]:
        """Signed in (the connections page): only the providers their organizations allow."""
        providers = super().list_providers(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return providers
        allowed = allowed_provider_ids(user)
        return [p for p in providers if p.sub_id in allowed]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider_id = sociallogin.account.provider
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            user = request.user
            if not user.is_authenticated or provider_id not in allowed_provider_ids(user):
                _refuse(request, sociallogin, "provider_not_allowed", user=_user_or_none(user))
            return
        if sociallogin.is_existing:
            user = sociallogin.user
            if provider_id not in allowed_provider_ids(user):
                _refuse(request, sociallogin, "provider_not_allowed", user=user)
            return
        invitation_id = (sociallogin.state.get("data") or {}).get("invitation")
        if invitation_id is not None:
            from signin.invitations import services

            try:
                services.invitation_accept_with_identity(
                    invitation_id=invitation_id, sociallogin=sociallogin, request=request
                )
            except services.InvitationUnusableError:
                _refuse(request, sociallogin, "invitation_unusable")
            return  # the identity is now linked: allauth signs the new user in
        _refuse(request, sociallogin, "not_linked")


def _user_or_none(user: Any) -> User | None:
    return user if getattr(user, "is_authenticated", False) else None


def _refuse(
    request: HttpRequest, sociallogin: SocialLogin, reason: str, *, user: User | None = None
) -> None:
    """Stop the sign-in with a page saying why, and record it."""
    provider_id = sociallogin.account.provider
    memberships = membership_list_for_user(user=user) if user is not None else []
    audit.record_event(
        AccessAction.SSO_REFUSED,
        actor=user,
        # a known person's refusal shows in (the first of) their organization's log
        organization=memberships[0].organization if memberships else None,
        actor_label=f"{provider_id}:{sociallogin.account.uid}",
        request=request,
        detail={"provider": provider_id, "uid": sociallogin.account.uid, "reason": reason},
    )
    provider = sociallogin.account.get_provider()
    context = {"provider_name": provider.name, "reason": reason}
    raise ImmediateHttpResponse(render(request, REFUSALS[reason], context, status=403))
