"""Read scope: which organizations and operators a user sees."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Membership, Organization, Role
from accounts.types import User

from ._base import EDIT_ROLES, _authenticated, _superuser
from .memberships import membership_list_for_user

# --- read scope -------------------------------------------------------------------------------


def organization_list_for_user(*, user: User) -> QuerySet[Organization]:
    """Organizations the user belongs to (all of them for superusers)."""
    if not _authenticated(user):
        return Organization.objects.none()
    if _superuser(user):
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user).distinct()


def _scope_q(
    memberships: Iterable[Mapping[str, Any]], prefix: str, organization_path: str | None = None
) -> Q:
    rows = list(memberships)
    full_orgs = [m["organization_id"] for m in rows if not m["limited_to_assigned"]]
    limited_ids = [m["id"] for m in rows if m["limited_to_assigned"]]
    org = organization_path or f"{prefix}organization_id"
    q = Q(**{f"{org}__in": full_orgs}) if full_orgs else Q(pk__in=[])
    if limited_ids:
        # A subquery, not a join: joining the M2M would duplicate rows.
        assigned = Membership.operators.through.objects.filter(
            membership_id__in=limited_ids
        ).values("operator_id")
        q |= Q(**{f"{prefix}id__in": assigned})
    return q


def operator_scope_q(*, user: User, prefix: str = "", organization_path: str | None = None) -> Q:
    """The Q that limits operator-owned rows to what `user` may see.

    `prefix` is the path from the queried model to its operator (e.g. "operator__").
    `organization_path` names the model's own copy of the operator's organization (e.g.
    "organization_id"), which spares a join to the operator.
    Unrestricted memberships see their whole organization; limited ones (agency staff with
    assigned clients, client read-only users) see only their assigned operators.
    The memberships are read once per user object (membership_list_for_user): a page builds
    this Q for every selector it calls.
    """
    if not _authenticated(user):
        return Q(pk__in=[])
    if _superuser(user):
        return Q()
    return _scope_q(_scope_rows(membership_list_for_user(user=user)), prefix, organization_path)


def _scope_rows(memberships: Iterable[Membership]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "organization_id": m.organization_id,
            "limited_to_assigned": m.limited_to_assigned,
        }
        for m in memberships
    ]


def operator_edit_q(*, user: User, prefix: str = "") -> Q:
    """Like operator_scope_q, restricted to the memberships that may write (manager, editor)."""
    if not _authenticated(user):
        return Q(pk__in=[])
    if _superuser(user):
        return Q()
    editing = [m for m in membership_list_for_user(user=user) if m.role in EDIT_ROLES]
    return _scope_q(_scope_rows(editing), prefix)


def full_organization_ids(*, user: User) -> list[int]:
    """Organizations the user sees in full (memberships not limited to assigned operators)."""
    return [
        m.organization_id for m in membership_list_for_user(user=user) if not m.limited_to_assigned
    ]


def managed_organization_ids(*, user: User) -> list[int]:
    """Organizations where the user is a manager."""
    return [
        m.organization_id for m in membership_list_for_user(user=user) if m.role == Role.MANAGER
    ]
