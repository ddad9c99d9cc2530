"""Memberships of a user, cached on the user object for the request."""

from __future__ import annotations

from accounts.models import Membership
from accounts.types import User

from ._base import _CACHE_ATTR, _authenticated

# --- memberships (cached on the user object for the request) ----------------------------------


def membership_list_for_user(*, user: User) -> list[Membership]:
    """The user's own memberships, read once per user object (i.e. once per request)."""
    if not _authenticated(user):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organization"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def membership_for(user: User, organization_id: int) -> Membership | None:
    """The user's membership of one organization, or None."""
    for m in membership_list_for_user(user=user):
        if m.organization_id == organization_id:
            return m
    return None


def membership_cache_clear(user: User) -> None:
    """Forget the cached memberships (after they changed within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
