"""Who is told about a reminder, on which channels, in which language.

- Regular reminders: the operator's responsible persons with an e-mail (entity persons for
  everything, service persons for their own mini-program/domain), and the organization's
  members whose role the ladder lists. Which members may hear about an operator is decided by
  accounts.access (a member limited to assigned operators is told only about those).
- Escalations: the organization's managers (same scoping).
- Both: the organization's active webhook endpoints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from django.db.models import Q

from accounts.access import recipient_memberships
from accounts.models import Membership, Role
from icp.ladders import Ladder
from miniprograms.models import ResponsiblePerson

from . import conf
from .models import (
    Channel,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    NotificationPreference,
    Reminder,
    ReminderKind,
    WebhookEndpoint,
)


def members_for(reminder: Reminder, *, roles: tuple[str, ...]) -> list[Membership]:
    """Members told about the reminder: whom accounts.access lets see its operator."""
    return list(
        recipient_memberships(
            organization_id=reminder.organization_id, operator_id=reminder.operator_id, roles=roles
        ).select_related("user", "user__notification_preference")
    )


def persons_for(reminder: Reminder) -> list[ResponsiblePerson]:
    subject = Q(miniprogram__isnull=True, domain__isnull=True)
    if reminder.subject_type == "miniprogram":
        subject |= Q(miniprogram_id=reminder.subject_id)
    elif reminder.subject_type == "domain":
        subject |= Q(domain_id=reminder.subject_id)
    elif reminder.subject_type == "person":
        subject |= Q(pk=reminder.subject_id)
    return list(
        ResponsiblePerson.objects.filter(operator_id=reminder.operator_id)
        .exclude(email="")
        .filter(subject)
        .order_by("id")
    )


def endpoints_for(organization_id: int) -> list[WebhookEndpoint]:
    return list(
        WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True).order_by(
            "id"
        )
    )


class RecipientLookup(Protocol):
    """Where deliveries_for finds the people and endpoints of a reminder."""

    def members(self, reminder: Reminder, *, roles: tuple[str, ...]) -> list[Membership]: ...

    def persons(self, reminder: Reminder) -> list[ResponsiblePerson]: ...

    def endpoints(self, organization_id: int) -> list[WebhookEndpoint]: ...


class PerReminder:
    """Queries for each reminder: the send task, which handles one reminder at a time."""

    def members(self, reminder: Reminder, *, roles: tuple[str, ...]) -> list[Membership]:
        return members_for(reminder, roles=roles)

    def persons(self, reminder: Reminder) -> list[ResponsiblePerson]:
        return persons_for(reminder)

    def endpoints(self, organization_id: int) -> list[WebhookEndpoint]:
        return endpoints_for(organization_id)


class RecipientBatch:
    """The recipients of many reminders read in four queries (members, their operator
    assignments, persons, endpoints), then answered from memory with the same rules as
    PerReminder."""

    def __init__(self, reminders: Iterable[Reminder]) -> None:
        reminders = list(reminders)
        org_ids = {r.organization_id for r in reminders}
        operator_ids = {r.operator_id for r in reminders}
        self._members: dict[int, list[Membership]] = defaultdict(list)
        for m in (
            Membership.objects.filter(organization_id__in=org_ids, user__is_active=True)
            .select_related("user", "user__notification_preference")
            .order_by("user_id")
        ):
            self._members[m.organization_id].append(m)
        self._assigned = set(
            Membership.operators.through.objects.filter(
                operator_id__in=operator_ids, membership__organization_id__in=org_ids
            ).values_list("membership_id", "operator_id")
        )
        self._persons: dict[int, list[ResponsiblePerson]] = defaultdict(list)
        for p in (
            ResponsiblePerson.objects.filter(operator_id__in=operator_ids)
            .exclude(email="")
            .order_by("id")
        ):
            self._persons[p.operator_id].append(p)
        self._endpoints: dict[int, list[WebhookEndpoint]] = defaultdict(list)
        for ep in WebhookEndpoint.objects.filter(
            organization_id__in=org_ids, is_active=True
        ).order_by("id"):
            self._endpoints[ep.organization_id].append(ep)

    def members(self, reminder: Reminder, *, roles: tuple[str, ...]) -> list[Membership]:
        return [
            m
            for m in self._members.get(reminder.organization_id, ())
            if m.role in roles
            and (not m.limited_to_assigned or (m.pk, reminder.operator_id) in self._assigned)
        ]

    def persons(self, reminder: Reminder) -> list[ResponsiblePerson]:
        return [p for p in self._persons.get(reminder.operator_id, ()) if _concerns(p, reminder)]

    def endpoints(self, organization_id: int) -> list[WebhookEndpoint]:
        return self._endpoints.get(organization_id, [])


def _concerns(p: ResponsiblePerson, reminder: Reminder) -> bool:
    """persons_for's rule in memory: entity persons, or the reminder's own subject's."""
    if p.miniprogram_id is None and p.domain_id is None:
        return True
    if reminder.subject_type == "miniprogram":
        return p.miniprogram_id == reminder.subject_id
    if reminder.subject_type == "domain":
        return p.domain_id == reminder.subject_id
    return reminder.subject_type == "person" and p.pk == reminder.subject_id


def deliveries_for(
    reminder: Reminder, *, ladder: Ladder, lookup: RecipientLookup | None = None
) -> list[Delivery]:
    """Unsaved Delivery rows; the unique (reminder, recipient_key, channel) makes saving
    them twice a no-op. `lookup`: a RecipientBatch for many reminders (default: queries for
    this one)."""
    lookup = lookup or PerReminder()
    out: list[Delivery] = []
    escalation = reminder.kind == ReminderKind.ESCALATION
    roles = (Role.MANAGER,) if escalation else tuple(ladder.roles)
    member_emails: set[str] = set()
    for m in lookup.members(reminder, roles=roles):
        user = m.user
        try:
            pref = user.notification_preference
        except NotificationPreference.DoesNotExist:
            pref = NotificationPreference(user=user)
        key = f"user:{user.pk}"
        base = {"reminder": reminder, "recipient_key": key, "user": user, "language": user.language}
        if pref.in_app:
            out.append(Delivery(channel=Channel.IN_APP, **base))
        if pref.email and user.email:
            member_emails.add(user.email.lower())
            held = pref.mode == DeliveryMode.DIGEST and not escalation
            out.append(
                Delivery(
                    channel=Channel.EMAIL,
                    address=user.email,
                    status=DeliveryStatus.HELD if held else DeliveryStatus.PENDING,
                    **base,
                )
            )
        if pref.webhook_url:
            out.append(Delivery(channel=Channel.WEBHOOK, **base))
    if not escalation:
        for p in lookup.persons(reminder):
            if p.email.lower() in member_emails:
                continue  # already told as a member
            out.append(
                Delivery(
                    reminder=reminder,
                    channel=Channel.EMAIL,
                    recipient_key=f"person:{p.pk}",
                    person=p,
                    address=p.email,
                    language=conf.person_language(),
                )
            )
    for ep in lookup.endpoints(reminder.organization_id):
        out.append(
            Delivery(
                reminder=reminder,
                channel=Channel.WEBHOOK,
                recipient_key=f"endpoint:{ep.pk}",
                endpoint=ep,
                language=ep.language,
            )
        )
    return out
