"""Reads scoped to the requesting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.access import managed_organization_ids, operator_scope_q
from accounts.types import User
from compliance import tracking
from compliance.models import ComplianceItem
from miniprograms.models import Operator

from .choices import FAILURE_KEY_PREFIX
from .models import CalendarFeed, Delivery, Notification, Reminder, WebhookEndpoint


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """A user's own notifications only; anyone else's id is answered like a missing one."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("reminder")


def notification_unread_count(*, user: User) -> int:
    """How many of the user's own notifications are unread (the header badge)."""
    return notification_list_for_user(user=user).filter(read_at__isnull=True).count()


def notification_client_list_for_user(*, user: User) -> QuerySet[Operator]:
    """The clients (operators) the user's own notifications are about, by name: the
    notification centre's client filter offers only these.
    """
    mine = notification_list_for_user(user=user).values("reminder__operator_id")
    return (
        Operator.objects.filter(operator_scope_q(user=user), pk__in=mine)
        .only("id", "name_zh")
        .order_by("name_zh", "pk")
    )


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


CALENDAR_FIELDS = (
    "rule",
    "subject_type",
    "subject_id",
    "subject_name",
    "status",
    "due_date",
    "estimated",
    "note",
)


def calendar_items_for_user(*, user: User) -> QuerySet[ComplianceItem]:
    """Today's dated compliance items (current rows, every status) of the operators the
    user may see, by due date: one indexed query, the marked changes applied first.
    """
    tracking.flush()
    return (
        ComplianceItem.objects.filter(closed_at__isnull=True, due_date__isnull=False)
        .filter(
            operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
        )
        .only(*CALENDAR_FIELDS)
        .order_by("due_date", "subject_name", "rule", "subject_id")
    )


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
    reminders = list(qs.select_related("acknowledged_by").order_by("-due_at", "-id")[:limit])
    _attach_acknowledgements(reminders)
    return reminders


def _attach_acknowledgements(reminders: list[Reminder]) -> None:
    """`reminder.acknowledgements`: who acknowledged its notification, when and as what role
    (clients included, whose acknowledgement does not stop the escalation); one query.
    """
    by_reminder: dict[int, list[Notification]] = {r.pk: [] for r in reminders}
    if by_reminder:
        acked = (
            Notification.objects.filter(reminder_id__in=by_reminder, acknowledged_at__isnull=False)
            .exclude(delivery__recipient_key__startswith=FAILURE_KEY_PREFIX)
            .select_related("user", "organization")
            .order_by("acknowledged_at", "id")
        )
        for n in acked:
            roles = n.organization.acknowledgement_roles or []
            n.closes_escalation = n.acknowledged_role in roles  # type: ignore[attr-defined]
            by_reminder[n.reminder_id].append(n)
    for r in reminders:
        r.acknowledgements = by_reminder[r.pk]  # type: ignore[attr-defined]
