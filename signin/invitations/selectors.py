"""Reads of invitations, scoped through accounts.access."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import member_managed_organization_list
from accounts.types import User
from signin.models import Invitation

from .services import token_hash


def invitation_list_for_user(*, user: User) -> QuerySet[Invitation]:
    """Invitations of the organizations whose members the user manages, newest first."""
    return Invitation.objects.filter(
        organization__in=member_managed_organization_list(user=user)
    ).select_related("organization", "invited_by", "accepted_by")


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a link's token opens (in whatever state), or None."""
    return (
        Invitation.objects.select_related("organization")
        .filter(token_hash=token_hash(token))
        .first()
    )
