"""Which single sign-on providers may sign a person in: those their organizations allow."""

from __future__ import annotations

from django.conf import settings

from accounts.access import membership_list_for_user
from accounts.models import Organization, User


def allowed_provider_ids(user: User) -> set[str]:
    """Provider ids that may sign `user` in: every provider listed by one of their
    organizations; for superusers also those of settings.SSO_SUPERUSER_PROVIDERS (none by
    default, so a superuser with no membership cannot use single sign-on)."""
    ids: set[str] = set()
    for m in membership_list_for_user(user=user):
        ids.update(m.organization.sso_providers or [])
    if user.is_superuser:
        ids.update(settings.SSO_SUPERUSER_PROVIDERS)
    return ids


def organization_allowing(user: User, provider_id: str) -> Organization | None:
    """The first of the user's organizations that allows `provider_id` (for the audit log)."""
    for m in membership_list_for_user(user=user):
        if provider_id in (m.organization.sso_providers or []):
            return m.organization
    return None
