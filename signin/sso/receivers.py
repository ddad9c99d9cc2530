"""Identities connected to or removed from an account (allauth's connections page) are
access events: SSO_LINKED / SSO_UNLINKED. (Links made by an invitation are recorded there.)"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.signals import social_account_added, social_account_removed
from django.dispatch import receiver

from audit import services as audit
from audit.actions import AccessAction

from .policy import organization_allowing


def _record(action: AccessAction, request: Any, account: Any) -> None:
    user = account.user
    audit.record_event(
        action,
        actor=user,
        organization=organization_allowing(user, account.provider),
        target=account,
        request=request,
        detail={"provider": account.provider, "uid": account.uid},
    )


@receiver(social_account_added, sender=SocialLogin)
def identity_linked(sender: Any, request: Any, sociallogin: SocialLogin, **kwargs: Any) -> None:
    _record(AccessAction.SSO_LINKED, request, sociallogin.account)


@receiver(social_account_removed)
def identity_unlinked(sender: Any, request: Any, socialaccount: Any, **kwargs: Any) -> None:
    _record(AccessAction.SSO_UNLINKED, request, socialaccount)
