"""Writes people make on compliance items: an owner, a snooze with its reason, an
acknowledgement; one at a time or several in one transaction.

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
    can_edit_operator,
    ensure_can_edit_operator,
    ensure_signed_in,
    is_recipient,
    operator_scope_q,
    user_may_edit_somewhere,
)
from accounts.types import User
from core.exceptions import ApplicationError, PermissionDeniedError
from core.text import TextError, clean_text

from .models import ComplianceItem, ComplianceItemEvent, ItemEventKind

MAX_SNOOZE_DAYS = 365


def item_get_for_user(*, user: User, item_id: int) -> ComplianceItem:
    """A current or closed item the user may see (ComplianceItem.DoesNotExist otherwise)."""
    return (
        ComplianceItem.objects.filter(
            operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
        )
        .select_related("owner", "acknowledged_by")
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
    _check_owner(item, owner_id)
    _apply_assign(item, user, owner_id)
    return item


def _check_owner(item: ComplianceItem, owner_id: int | None) -> None:
    if owner_id is not None and not is_recipient(
        user_id=owner_id, organization_id=item.organization_id, operator_id=item.operator_id
    ):
        raise ApplicationError(_("The owner must be a member who can see this client."))


def _apply_assign(item: ComplianceItem, user: User, owner_id: int | None) -> None:
    if item.owner_id == owner_id:
        return
    item.owner_id = owner_id
    item.save(update_fields=["owner"])
    owner = item.owner.get_username() if item.owner else ""
    _event(item, ItemEventKind.ASSIGNED, user, owner)


@transaction.atomic
def item_snooze(
    *, user: User, item_id: int, until: datetime.date | None, reason: str = ""
) -> ComplianceItem:
    """Snooze an open item until a date with a reason (None ends the snooze). A snoozed
    item gets no reminders until then; its status is still shown.
    """
    reason = _clean_reason(reason)
    item = _locked_for_edit(user, item_id)
    if until is not None:
        _check_snooze(item, until, reason)
    _apply_snooze(item, user, until, reason)
    return item


def _clean_reason(reason: str) -> str:
    """The snooze reason as stored (core.text); a refusal names the `reason` field too."""
    try:
        return clean_text(reason or "")
    except TextError as e:
        raise ApplicationError(e.message, extra={"reason": [e.message]}) from None


def _check_snooze(item: ComplianceItem, until: datetime.date, reason: str) -> None:
    today = timezone.localdate()
    if not item.is_open:
        raise ApplicationError(_("Only an open item (due soon or overdue) can be snoozed."))
    if not reason.strip():
        raise ApplicationError(_("Say why the item is snoozed."))
    if not today < until <= today + datetime.timedelta(days=MAX_SNOOZE_DAYS):
        raise ApplicationError(
            _("Snooze until a date after today and at most %(days)d days ahead.")
            % {"days": MAX_SNOOZE_DAYS}
        )


def _apply_snooze(
    item: ComplianceItem, user: User, until: datetime.date | None, reason: str
) -> None:
    if until is None:
        if item.snoozed_until is None:
            return
        item.snoozed_until, item.snooze_reason = None, ""
        item.save(update_fields=["snoozed_until", "snooze_reason"])
        _event(item, ItemEventKind.UNSNOOZED, user)
        return
    reason = reason.strip()
    item.snoozed_until, item.snooze_reason = until, reason[:300]
    item.save(update_fields=["snoozed_until", "snooze_reason"])
    _event(item, ItemEventKind.SNOOZED, user, f"{until.isoformat()}: {reason}")


@transaction.atomic
def item_acknowledge(*, user: User, item_id: int) -> ComplianceItem:
    """Record that someone has seen the open item and is on it (until its status changes,
    when compliance.store clears the acknowledgement). Acknowledging twice changes nothing.
    """
    item = _locked_for_edit(user, item_id)
    _check_acknowledge(item)
    _apply_acknowledge(item, user)
    return item


def _check_acknowledge(item: ComplianceItem) -> None:
    if not item.is_open:
        raise ApplicationError(_("Only an open item (due soon or overdue) can be acknowledged."))


def _apply_acknowledge(item: ComplianceItem, user: User) -> None:
    if item.acknowledged_at is not None:
        return
    item.acknowledged_at, item.acknowledged_by = timezone.now(), ensure_signed_in(user)
    item.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _event(item, ItemEventKind.ACKNOWLEDGED, user)


# --- several items at once --------------------------------------------------------------


class BulkAction:
    """What a bulk request may do to its items."""

    ASSIGN = "assign"
    ACKNOWLEDGE = "acknowledge"
    SNOOZE = "snooze"
    ALL = (ASSIGN, ACKNOWLEDGE, SNOOZE)


MAX_BULK_ITEMS = 500


def _bulk_ids(action: str, item_ids: list[int]) -> list[int]:
    if action not in BulkAction.ALL:
        raise ApplicationError(
            _("Unknown action “%(action)s”.") % {"action": action}, extra={"field": "action"}
        )
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise ApplicationError(_("Choose at least one item."), extra={"field": "ids"})
    if len(ids) > MAX_BULK_ITEMS:
        raise ApplicationError(
            _("At most %(n)d items at once.") % {"n": MAX_BULK_ITEMS}, extra={"field": "ids"}
        )
    return ids


class _BulkCheck:
    """Checks each item of a bulk request, remembering per operator what it asked."""

    def __init__(
        self,
        user: User,
        action: str,
        owner_id: int | None,
        until: datetime.date | None,
        reason: str,
    ) -> None:
        self.user, self.action = user, action
        self.owner_id, self.until, self.reason = owner_id, until, reason
        self.editable: dict[int, bool] = {}
        self.recipient: dict[int, bool] = {}

    def refusal(self, item: ComplianceItem) -> str | None:
        """Why the item cannot take the action, or None."""
        if item.operator_id not in self.editable:
            self.editable[item.operator_id] = can_edit_operator(self.user, item.operator)
        if not self.editable[item.operator_id]:
            return str(_("You have read-only access to this operator."))
        try:
            self._check(item)
        except ApplicationError as e:
            return e.message
        return None

    def _check(self, item: ComplianceItem) -> None:
        if self.action == BulkAction.ASSIGN and self.owner_id is not None:
            if item.operator_id not in self.recipient:
                self.recipient[item.operator_id] = is_recipient(
                    user_id=self.owner_id,
                    organization_id=item.organization_id,
                    operator_id=item.operator_id,
                )
            if not self.recipient[item.operator_id]:
                raise ApplicationError(_("The owner must be a member who can see this client."))
        elif self.action == BulkAction.SNOOZE and self.until is not None:
            _check_snooze(item, self.until, self.reason)
        elif self.action == BulkAction.ACKNOWLEDGE:
            _check_acknowledge(item)

    def apply(self, item: ComplianceItem) -> None:
        if self.action == BulkAction.ASSIGN:
            _apply_assign(item, self.user, self.owner_id)
        elif self.action == BulkAction.SNOOZE:
            _apply_snooze(item, self.user, self.until, self.reason)
        else:
            _apply_acknowledge(item, self.user)


@transaction.atomic
def items_bulk(
    *,
    user: User,
    action: str,
    item_ids: list[int],
    owner_id: int | None = None,
    until: datetime.date | None = None,
    reason: str = "",
) -> list[ComplianceItem]:
    """Assign, acknowledge or snooze several items in one transaction, all or nothing.

    Every id is checked before anything is written: ids the user cannot see are "not found"
    (like a missing one), items the user may only read or that refuse the action are named
    with the reason. Raises ApplicationError with ``extra={"ids": {id: reason}, "not_found":
    [id, ...]}`` and writes nothing when any id is refused; each changed item gets its own
    event.
    """
    if not user_may_edit_somewhere(user=user):
        raise PermissionDeniedError(_("You have read-only access."))
    ids = _bulk_ids(action, item_ids)
    if action == BulkAction.SNOOZE:
        reason = _clean_reason(reason)
    visible = ComplianceItem.objects.filter(
        operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
    ).filter(pk__in=ids)
    items = {
        i.pk: i
        for i in ComplianceItem.objects.select_for_update(of=("self",))
        .select_related("operator")
        .filter(pk__in=visible.values("pk"))
        .order_by("pk")
    }
    check = _BulkCheck(user, action, owner_id, until, reason)
    refused: dict[int, str] = {}
    for pk in ids:
        item = items.get(pk)
        why = str(_("Not found.")) if item is None else check.refusal(item)
        if why is not None:
            refused[pk] = why
    if refused:
        raise ApplicationError(
            _("Nothing was changed: %(n)d of the items cannot be changed.") % {"n": len(refused)},
            extra={
                "ids": {str(pk): reason for pk, reason in refused.items()},
                "not_found": [pk for pk in ids if pk not in items],
            },
        )
    done = [items[pk] for pk in ids]
    for item in done:
        check.apply(item)
    return done
