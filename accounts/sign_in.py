"""Who must use a second factor, and who may still sign in with a password."""

from __future__ import annotations

from .access import has_second_factor, holds_reveal_permission, membership_list_for_user
from .types import User


def two_factor_required(user: User) -> bool:
    """Superusers, anyone who may reveal ID numbers, and every member of an organization
    that requires it must have a second factor."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    memberships = membership_list_for_user(user=user)  # cached for the rest of the request
    if any(m.organization.require_two_factor for m in memberships):
        return True
    return holds_reveal_permission(user)


def missing_second_factor(user: User) -> bool:
    """The user must have a second factor and has none yet."""
    return two_factor_required(user) and not has_second_factor(user)


def password_sign_in_allowed(user: User) -> bool:
    """False when every organization the user belongs to lets members in only through
    single sign-on; a user without memberships (a platform superuser) is unaffected."""
    allowed = [m.organization.password_sign_in for m in membership_list_for_user(user=user)]
    return not allowed or any(allowed)
