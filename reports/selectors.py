"""Report runs are private to whoever requested them (superusers see all)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.types import User

from .models import ReportRun


def report_run_list_for_user(*, user: User) -> QuerySet[ReportRun]:
    """Report runs the user started (all of them for a superuser)."""
    if not user.is_authenticated:
        return ReportRun.objects.none()
    qs = ReportRun.objects.select_related("user", "organization")
    return qs if user.is_superuser else qs.filter(user=user)


def report_run_get_for_user(*, user: User, run_id: int) -> ReportRun:
    """Raises ReportRun.DoesNotExist for missing and not-yours alike."""
    return report_run_list_for_user(user=user).get(pk=run_id)
