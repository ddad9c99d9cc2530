"""Recipients: who is told about an operator's deadlines."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.models import Membership

# --- recipients -------------------------------------------------------------------------------


def recipient_q(*, operator_id: int, prefix: str = "") -> Q:
    """Memberships entitled to hear about `operator_id` (same rule as the read scope).

    `prefix` is the path from the queried model to the membership (e.g. "memberships__").
    The organization is matched by the caller.
    """
    assigned = Membership.operators.through.objects.filter(operator_id=operator_id)
    return Q(**{f"{prefix}limited_to_assigned": False}) | Q(
        **{f"{prefix}id__in": assigned.values("membership_id")}
    )


def recipient_memberships(
    *, organization_id: int, operator_id: int, roles: Iterable[str]
) -> QuerySet[Membership]:
    """Active members with one of `roles` who may see the operator: those told about it."""
    return (
        Membership.objects.filter(
            organization_id=organization_id, role__in=list(roles), user__is_active=True
        )
        .filter(recipient_q(operator_id=operator_id))
        .order_by("user_id")
    )


def is_recipient(*, user_id: int, organization_id: int, operator_id: int) -> bool:
    """Is the user (still) entitled to hear about the operator? Rechecked at delivery time."""
    return (
        Membership.objects.filter(user_id=user_id, organization_id=organization_id)
        .filter(recipient_q(operator_id=operator_id))
        .exists()
    )
