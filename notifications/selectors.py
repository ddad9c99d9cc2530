"""Reads scoped to the requesting user."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from accounts.access import managed_organization_ids, operator_scope_q
from accounts.types import User
from compliance.engine import compliance_items
from compliance.types import EvaluatedItem
from miniprograms.selectors import operator_list_for_user

from .models import CalendarFeed, Delivery, Notification, Reminder, WebhookEndpoint


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """A user's own notifications only; anyone else's id is answered like a missing one."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("reminder")


def reminder_list_for_user(*, user: User) -> QuerySet[Reminder]:
    """Reminders of the operators the user may see."""
    return Reminder.objects.filter(operator_scope_q(user=user, prefix="operator__"))


def delivery_list_for_user(*, user: User) -> QuerySet[Delivery]:
    """Deliveries of the reminders the user may see."""
    return Delivery.objects.filter(reminder__in=reminder_list_for_user(user=user))


def webhook_endpoint_list_for_user(*, user: User) -> QuerySet[WebhookEndpoint]:
    """Endpoints hold secrets: visible (masked) to the organization's managers only."""
    if not user.is_authenticated:
        return WebhookEndpoint.objects.none()
    if user.is_superuser:
        return WebhookEndpoint.objects.all()
    return WebhookEndpoint.objects.filter(organization_id__in=managed_organization_ids(user=user))


def calendar_items_for_user(*, user: User, as_of: datetime.date) -> list[EvaluatedItem]:
    """Every dated compliance item of the operators the user may see."""
    operators = operator_list_for_user(user=user)
    return [i for i in compliance_items(as_of=as_of, operators=operators) if i.due_date]


def calendar_feed_for_user(*, user: User) -> CalendarFeed | None:
    """The user's own calendar feed row, if one was ever created."""
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user=user).first()


def reminder_history_for_user(
    *, user: User, operator_id: int, subjects: list[tuple[str, int]] | None = None, limit: int = 10
) -> list[Reminder]:
    """The latest reminders about one operator (or some of its subjects), for timelines."""
    qs = reminder_list_for_user(user=user).filter(operator_id=operator_id)
    if subjects is not None:
        match = Q(pk__in=[])
        for subject_type, subject_id in subjects:
            match |= Q(subject_type=subject_type, subject_id=subject_id)
        qs = qs.filter(match)
    return list(qs.order_by("-due_at", "-id")[:limit])
