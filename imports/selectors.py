"""Import runs are private to whoever uploaded them (superusers see all)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.types import User

from .models import ImportRun


def import_run_list_for_user(*, user: User) -> QuerySet[ImportRun]:
    """The runs `user` may see: their own, or all for a superuser."""
    if not user.is_authenticated:
        return ImportRun.objects.none()
    qs = ImportRun.objects.select_related("user", "organization")
    return qs if user.is_superuser else qs.filter(user=user)


def import_run_get_for_user(*, user: User, run_id: int) -> ImportRun:
    """Raises ImportRun.DoesNotExist for missing and not-yours alike."""
    return import_run_list_for_user(user=user).get(pk=run_id)
