"""Reads for the worklist: today's open items across the clients a user sees.

The rows are the maintained ComplianceItem rows (open: not closed, due soon or overdue),
scoped by accounts.access; compliance.filters.ItemFilterSet narrows and sorts them for the
page, the API and the export alike. The helpers below add, for one page of rows at a time and
in a fixed number of queries, what a row shows besides its columns: the default owner (the
client's assigned staff), the time left, and the link to the form that fixes it.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import operator_scope_q
from accounts.models import Membership, Role
from accounts.types import User

from .filters import owned_by_q, snoozed_q
from .models import ComplianceItem
from .selectors import item_list_for_user
from .types import OPEN_STATUSES

FixLinker = Callable[[Sequence[ComplianceItem]], dict[int, str]]
_fix_linker: FixLinker | None = None


def worklist_for_user(*, user: User) -> QuerySet[ComplianceItem]:
    """The open items `user` may see, in the work order (compliance.selectors.ITEM_ORDER)."""
    return (
        item_list_for_user(user=user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("owner", "acknowledged_by")
    )


def my_open_count(*, user: User) -> int:
    """Open, unsnoozed items the user owns or, unowned, whose client is assigned to them.

    For the navigation of every page: it reads the rows as they are and applies no pending
    marks (compliance.tracking.flush), so a page that does not show compliance never pays
    for a refresh.
    """
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    if user_id is None:
        return 0
    return (
        ComplianceItem.objects.filter(closed_at__isnull=True, status__in=OPEN_STATUSES)
        .filter(
            operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
        )
        .filter(owned_by_q(user_id))
        .exclude(snoozed_q(timezone.localdate()))
        .count()
    )


def default_owners(operator_ids: Sequence[int]) -> dict[int, Any]:
    """Per operator, the first of its assigned staff (not client users), by username: who
    owns its items until someone is named. One query."""
    rows = (
        Membership.operators.through.objects.filter(operator_id__in=set(operator_ids))
        .exclude(membership__role=Role.CLIENT)
        .select_related("membership__user")
        .order_by("operator_id", "membership__user__username")
    )
    found: dict[int, Any] = {}
    for row in rows:
        found.setdefault(row.operator_id, row.membership.user)
    return found


def time_left(item: ComplianceItem, now: datetime.datetime | None = None) -> tuple[str, bool]:
    """("3 h left" | "due today" | "overdue by 5 days", overdue?) for an item; hours for
    rules with an hour (due_at), days otherwise; ("", False) without a due date."""
    now = now or timezone.now()
    if item.due_at is not None:
        seconds = (item.due_at - now).total_seconds()
        if abs(seconds) < 2 * 86400:
            hours = math.ceil(abs(seconds) / 3600)
            if seconds >= 0:
                return ngettext("%(n)d h left", "%(n)d h left", hours) % {"n": hours}, False
            return ngettext("overdue by %(n)d h", "overdue by %(n)d h", hours) % {"n": hours}, True
    if item.due_date is None:
        return "", False
    days = (item.due_date - timezone.localdate(now)).days
    if days > 0:
        return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}, False
    if days == 0:
        return _("due today"), False
    return ngettext("overdue by %(n)d day", "overdue by %(n)d days", -days) % {"n": -days}, True


def register_fix_linker(linker: FixLinker) -> None:
    """The pages' layer (dashboard.fixes) says which form fixes an item; it registers here
    when the app loads, so that the API and the export can give the same link."""
    global _fix_linker
    _fix_linker = linker


def fix_urls(items: Sequence[ComplianceItem]) -> dict[int, str]:
    """item id → the URL of the form that resolves it (empty without the pages' layer)."""
    return _fix_linker(items) if _fix_linker is not None else {}


def annotate_rows(items: Sequence[ComplianceItem]) -> list[ComplianceItem]:
    """One page of rows with `default_owner`, `time_left`, `is_late`, `fix_url` and
    `is_snoozed` set: a fixed number of queries whatever the page size."""
    rows = list(items)
    owners = default_owners([i.operator_id for i in rows if i.owner_id is None])
    links = fix_urls(rows)
    now = timezone.now()
    today = timezone.localdate(now)
    for item in rows:
        item.default_owner = owners.get(item.operator_id) if item.owner_id is None else None  # type: ignore[attr-defined]
        item.time_left, item.is_late = time_left(item, now)  # type: ignore[attr-defined]
        item.fix_url = links.get(item.pk, "")  # type: ignore[attr-defined]
        item.is_snoozed = item.snoozed_until is not None and item.snoozed_until > today  # type: ignore[attr-defined]
    return rows
