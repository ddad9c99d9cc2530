"""Reads of filing applications, always scoped to the requesting user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.access import operator_scope_q
from accounts.types import User

from .models import FilingApplication, FilingStatusChange, RejectionReason


def filing_list_for_user(*, user: User) -> QuerySet[FilingApplication]:
    """Filing applications of the operators the user may see."""
    return FilingApplication.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator", "operator__province", "miniprogram", "domain", "organization")


def filing_get_for_user(*, user: User, filing_id: int) -> FilingApplication:
    """Raises FilingApplication.DoesNotExist for missing and not-yours alike."""
    history = FilingStatusChange.objects.select_related("actor").prefetch_related("reasons")
    return (
        filing_list_for_user(user=user)
        .prefetch_related(Prefetch("status_changes", queryset=history))
        .get(pk=filing_id)
    )


def status_change_list_for_user(*, user: User) -> QuerySet[FilingStatusChange]:
    """The history of the applications the user may see."""
    return FilingStatusChange.objects.filter(
        operator_scope_q(user=user, prefix="filing__operator__")
    )


def rejection_reason_list_for_user(*, user: User) -> QuerySet[RejectionReason]:
    """Rejection reasons recorded on the applications the user may see."""
    return RejectionReason.objects.filter(
        operator_scope_q(user=user, prefix="status_change__filing__operator__")
    )


def filing_qs_select_for_update() -> QuerySet[FilingApplication]:
    """Lock rows in pk order so concurrent multi-row locks cannot deadlock."""
    return FilingApplication.objects.select_for_update(of=("self",)).order_by("pk")
