"""Who sees the audit log."""

from __future__ import annotations

from accounts.models import Role
from accounts.types import User

from ._base import _authenticated, _superuser
from .memberships import membership_list_for_user

# --- audit log --------------------------------------------------------------------------------


def audit_log_organization_ids(*, user: User) -> list[int] | None:
    """Organizations whose audit log the user may read: None means every entry (superusers,
    including entries of no organization); [] nothing. Managers with the whole organization
    in view read their organization's log; nobody else reads one."""
    if not _authenticated(user):
        return []
    if _superuser(user):
        return None
    return [
        m.organization_id
        for m in membership_list_for_user(user=user)
        if m.role == Role.MANAGER and not m.limited_to_assigned
    ]


def can_view_audit_log(user: User, organization_id: int | None = None) -> bool:
    """May the user read the audit log (of `organization_id`, or of some organization)?"""
    ids = audit_log_organization_ids(user=user)
    if ids is None:
        return True
    return bool(ids) if organization_id is None else organization_id in ids
