"""System reads of the maintained compliance rows: no user scope, for background work.

The reminder planner, the send-time recheck and the reminder texts read the rows here; pages
and the API read them through compliance.selectors (scoped to the user). Every read applies
the marked changes first (compliance.tracking.flush), so a task sees the writes of its own
transaction. Large reads come in batches of operators, so memory does not grow with the
portfolio.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from miniprograms.models import Operator

from . import tracking
from .models import ComplianceItem
from .store import due_key
from .types import OPEN_STATUSES

BATCH_OPERATORS = 500

# What a planner needs of a row (the note is the sentence, language-neutral).
_PLAN_FIELDS = (
    "organization_id",
    "operator_id",
    "operator_name",
    "province_code",
    "subject_type",
    "subject_id",
    "subject_name",
    "rule",
    "status",
    "due_date",
    "due_at",
    "estimated",
    "note",
    "changes_on",
    "snoozed_until",
)

ItemKey = tuple[str, int, str, datetime.date]  # subject_type, subject_id, rule, due_date


def is_snoozed(item: ComplianceItem, *, as_of: datetime.date) -> bool:
    """Snoozed through `snoozed_until` (inclusive): no reminders until the day after."""
    return item.snoozed_until is not None and item.snoozed_until >= as_of


def operator_batches(
    *, operator_ids: Iterable[int] | None = None, size: int = BATCH_OPERATORS
) -> Iterator[list[int]]:
    """Operator ids in ascending batches of `size` (every operator when `operator_ids` is
    None, read by keyset pages, never all at once)."""
    if operator_ids is not None:
        ids = sorted(set(operator_ids))
        for start in range(0, len(ids), size):
            yield ids[start : start + size]
        return
    last = 0
    while True:
        batch = list(
            Operator.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
        )
        if not batch:
            return
        yield batch
        last = batch[-1]


def due_items(
    *, operator_ids: Iterable[int], as_of: datetime.date, include_snoozed: bool = False
) -> list[ComplianceItem]:
    """The current due_soon/overdue rows with a due date of these operators; snoozed ones
    (snoozed_until on or after `as_of`) only when asked."""
    tracking.flush()
    qs = ComplianceItem.objects.filter(
        operator_id__in=list(operator_ids),
        closed_at__isnull=True,
        status__in=OPEN_STATUSES,
        due_date__isnull=False,
    )
    if not include_snoozed:
        qs = qs.exclude(snoozed_until__gte=as_of)
    return list(qs.only(*_PLAN_FIELDS).order_by("operator_id", "due_date", "id"))


def open_items(
    *,
    as_of: datetime.date,
    operator_ids: Iterable[int] | None = None,
    size: int = BATCH_OPERATORS,
    include_snoozed: bool = False,
) -> Iterator[tuple[list[int], list[ComplianceItem]]]:
    """(operator ids, their due rows) per batch of operators: every operator when
    `operator_ids` is None, including those with nothing due (their batch says so)."""
    for batch in operator_batches(operator_ids=operator_ids, size=size):
        yield batch, due_items(operator_ids=batch, as_of=as_of, include_snoozed=include_snoozed)


def snoozed_keys(*, operator_ids: Iterable[int], as_of: datetime.date) -> set[ItemKey]:
    """Keys of the current rows of these operators snoozed on `as_of` (one query)."""
    tracking.flush()
    keys = ComplianceItem.objects.filter(
        operator_id__in=list(operator_ids),
        closed_at__isnull=True,
        due_date__isnull=False,
        snoozed_until__gte=as_of,
    ).values_list("subject_type", "subject_id", "rule", "due_date")
    return {(st, sid, rule, due) for st, sid, rule, due in keys if due is not None}


def item_for(
    subject_type: str,
    subject_id: int,
    rule: str,
    due_date: datetime.date | None,
    *,
    current: bool = True,
) -> ComplianceItem | None:
    """The row of one deadline (current only, unless `current` is False: a closed row still
    says what that deadline was), or None."""
    tracking.flush()
    qs = ComplianceItem.objects.filter(
        subject_type=subject_type,
        subject_id=subject_id,
        rule=rule,
        due_key=due_key(due_date),
    )
    if current:
        qs = qs.filter(closed_at__isnull=True)
    return qs.first()
