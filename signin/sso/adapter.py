"""django-allauth's social account adapter for icpfiling: calls to providers go through the
egress guard, and a new identity never creates an account by itself."""

from __future__ import annotations

import functools

import requests
from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from core.egress.sessions import egress_session


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
