"""Reads of filing applications, always scoped to the requesting user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.access import operator_scope_q

from .models import FilingApplication, FilingStatusChange


def filing_list_for_user(*, user) -> QuerySet[FilingApplication]:
    return FilingApplication.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator", "operator__province", "miniprogram", "domain", "organization")


def filing_get_for_user(*, user, filing_id: int) -> FilingApplication:
    """Raises FilingApplication.DoesNotExist for missing and not-yours alike."""
    history = FilingStatusChange.objects.select_related("actor").prefetch_related("reasons")
    return (
        filing_list_for_user(user=user)
        .prefetch_related(Prefetch("status_changes", queryset=history))
        .get(pk=filing_id)
    )


def filing_qs_select_for_update() -> QuerySet[FilingApplication]:
    """Lock rows in pk order so concurrent multi-row locks cannot deadlock."""
    return FilingApplication.objects.select_for_update(of=("self",)).order_by("pk")
