"""Writes people make on compliance items: an owner, a snooze with its reason.

The engine's part of a row (status, due date, sentence) is written only by compliance.store;
these touch only the human part and record each change in the item's history. Items are
found through the same scope as every read ("not found" and "not yours" alike), and only
people who may edit the operator may change them.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    ensure_can_edit_operator,
    ensure_signed_in,
    is_recipient,
    operator_scope_q,
)
from accounts.types import User
from core.exceptions import ApplicationError

from .models import ComplianceItem, ComplianceItemEvent, ItemEventKind

MAX_SNOOZE_DAYS = 365


def item_get_for_user(*, user: User, item_id: int) -> ComplianceItem:
    """A current or closed item the user may see (ComplianceItem.DoesNotExist otherwise)."""
    return (
        ComplianceItem.objects.filter(
            operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
        )
        .select_related("owner")
        .prefetch_related("events__actor")
        .get(pk=item_id)
    )


def _locked_for_edit(user: User, item_id: int) -> ComplianceItem:
    item = item_get_for_user(user=user, item_id=item_id)
    item = ComplianceItem.objects.select_for_update().select_related("operator").get(pk=item.pk)
    ensure_can_edit_operator(user, item.operator)
    return item


def _event(item: ComplianceItem, kind: str, user: User, note: str = "") -> None:
    ComplianceItemEvent.objects.create(
        item=item,
        at=timezone.now(),
        kind=kind,
        from_status=item.status,
        to_status=item.status,
        actor=ensure_signed_in(user),
        note=note[:300],
    )


@transaction.atomic
def item_assign(*, user: User, item_id: int, owner_id: int | None) -> ComplianceItem:
    """Give the item an owner (someone who receives the operator's reminders), or none."""
    item = _locked_for_edit(user, item_id)
    if owner_id is not None and not is_recipient(
        user_id=owner_id, organization_id=item.organization_id, operator_id=item.operator_id
    ):
        raise ApplicationError(_("The owner must be a member who can see this client."))
    if item.owner_id == owner_id:
        return item
    item.owner_id = owner_id
    item.save(update_fields=["owner"])
    owner = item.owner.get_username() if item.owner else ""
    _event(item, ItemEventKind.ASSIGNED, user, owner)
    return item


@transaction.atomic
def item_snooze(
    *, user: User, item_id: int, until: datetime.date | None, reason: str = ""
) -> ComplianceItem:
    """Snooze an open item until a date with a reason (None ends the snooze). A snoozed
    item gets no reminders until then; its status is still shown.
    """
    item = _locked_for_edit(user, item_id)
    if until is None:
        if item.snoozed_until is None:
            return item
        item.snoozed_until, item.snooze_reason = None, ""
        item.save(update_fields=["snoozed_until", "snooze_reason"])
        _event(item, ItemEventKind.UNSNOOZED, user)
        return item
    reason = reason.strip()
    today = timezone.localdate()
    if not item.is_open:
        raise ApplicationError(_("Only an open item (due soon or overdue) can be snoozed."))
    if not reason:
        raise ApplicationError(_("Say why the item is snoozed."))
    if not today < until <= today + datetime.timedelta(days=MAX_SNOOZE_DAYS):
        raise ApplicationError(
            _("Snooze until a date after today and at most %(days)d days ahead.")
            % {"days": MAX_SNOOZE_DAYS}
        )
    item.snoozed_until, item.snooze_reason = until, reason[:300]
    item.save(update_fields=["snoozed_until", "snooze_reason"])
    _event(item, ItemEventKind.SNOOZED, user, f"{until.isoformat()}: {reason}")
    return item
