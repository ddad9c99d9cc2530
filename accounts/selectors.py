"""Reads scoped to the requesting user. Every tenant query starts here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Membership, Organization


def organization_list_for_user(*, user) -> QuerySet[Organization]:
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user).distinct()


def operator_scope_q(*, user, prefix: str = "") -> Q:
    """The Q that limits operator-owned rows to what `user` may see.

    `prefix` is the path from the queried model to its operator (e.g. "operator__").
    Unrestricted memberships see their whole organization; limited ones (agency staff with
    assigned clients, client read-only users) see only their assigned operators.
    """
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    memberships = list(
        Membership.objects.filter(user=user).values("id", "organization_id", "limited_to_assigned")
    )
    full_orgs = [m["organization_id"] for m in memberships if not m["limited_to_assigned"]]
    limited_ids = [m["id"] for m in memberships if m["limited_to_assigned"]]
    q = Q(**{f"{prefix}organization_id__in": full_orgs}) if full_orgs else Q(pk__in=[])
    if limited_ids:
        # A subquery, not a join: joining the M2M would duplicate rows.
        assigned = Membership.operators.through.objects.filter(
            membership_id__in=limited_ids
        ).values("operator_id")
        q |= Q(**{f"{prefix}id__in": assigned})
    return q
