"""Who is told about a reminder, on which channels, in which language.

- Regular reminders: the operator's responsible persons with an e-mail (entity persons for
  everything, service persons for their own mini-program/domain), and the organization's
  members whose role the ladder lists. Which members may hear about an operator is decided by
  accounts.access (a member limited to assigned operators is told only about those).
- Escalations: the organization's managers (same scoping).
- Both: the organization's active webhook endpoints.
"""

from __future__ import annotations

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


def deliveries_for(reminder: Reminder, *, ladder: Ladder) -> list[Delivery]:
    """Unsaved Delivery rows; the unique (reminder, recipient_key, channel) makes saving
    them twice a no-op."""
    out: list[Delivery] = []
    escalation = reminder.kind == ReminderKind.ESCALATION
    roles = (Role.MANAGER,) if escalation else ladder.roles
    member_emails: set[str] = set()
    for m in members_for(reminder, roles=roles):
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
        for p in persons_for(reminder):
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
    for ep in WebhookEndpoint.objects.filter(
        organization_id=reminder.organization_id, is_active=True
    ).order_by("id"):
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
