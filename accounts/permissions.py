"""Role rules in one place. Services call these; views only hide what these would refuse."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from core.exceptions import PermissionDeniedError

EDIT_ROLES = frozenset({Role.MANAGER, Role.EDITOR})
PII_REVEAL_PERMISSION = "miniprograms.reveal_pii"


def membership_for(user, organization_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = {m.organization_id: m for m in Membership.objects.filter(user=user)}
        user._membership_cache = cache
    return cache.get(organization_id)


def can_edit_operator(user, operator) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    m = membership_for(user, operator.organization_id)
    if m is None or m.role not in EDIT_ROLES:
        return False
    if m.limited_to_assigned:
        return m.operators.filter(pk=operator.pk).exists()
    return True


def can_edit_in_organization(user, organization_id: int) -> bool:
    """May create new operators in the organization (unrestricted editors and managers)."""
    if getattr(user, "is_superuser", False):
        return True
    m = membership_for(user, organization_id)
    return m is not None and m.role in EDIT_ROLES and not m.limited_to_assigned


def ensure_can_edit_operator(user, operator) -> None:
    if not can_edit_operator(user, operator):
        raise PermissionDeniedError(_("You have read-only access to this operator."))


def ensure_can_edit_in_organization(user, organization_id: int) -> None:
    if not can_edit_in_organization(user, organization_id):
        raise PermissionDeniedError(
            _("Only managers and editors of the organization can add operators.")
        )


def can_reveal_pii(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(PII_REVEAL_PERMISSION)
