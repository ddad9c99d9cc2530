"""Factories for the reminder pipeline: ladders, reminders, deliveries, the inbox, feeds."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from notifications.models import (
    CalendarFeed,
    Delivery,
    Digest,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderLadder,
    WebhookEndpoint,
)

from .accounts import OrganizationFactory, UserFactory
from .miniprograms import DomainFactory


class ReminderLadderFactory(DjangoModelFactory[ReminderLadder]):
    class Meta:
        model = ReminderLadder

    organization = factory.SubFactory(OrganizationFactory)
    rule = "domain_expiry"
    offsets = [30, 14, 7, 1]


class ReminderFactory(DjangoModelFactory[Reminder]):
    """A reminder for a domain's expiry, two weeks ahead, as the planner writes it."""

    class Meta:
        model = Reminder
        exclude = ["domain"]

    domain = factory.SubFactory(DomainFactory)
    operator = factory.SelfAttribute("domain.operator")
    organization = factory.SelfAttribute("operator.organization")
    subject_type = "domain"
    subject_id = factory.SelfAttribute("domain.pk")
    subject_name = factory.SelfAttribute("domain.name")
    rule = "domain_expiry"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    step = "before:14"
    kind = "reminder"
    item_status = "due_soon"
    due_at = factory.LazyFunction(timezone.now)


class WebhookEndpointFactory(DjangoModelFactory[WebhookEndpoint]):
    class Meta:
        model = WebhookEndpoint

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"合规群 {n}")
    kind = "json"
    # Loopback, port 9 (discard): a test that delivers by mistake reaches no outside host.
    url = factory.Sequence(lambda n: f"json://127.0.0.1:9/icp/{n}")


class DigestFactory(DjangoModelFactory[Digest]):
    class Meta:
        model = Digest

    user = factory.SubFactory(UserFactory)
    day = factory.LazyFunction(timezone.localdate)


class DeliveryFactory(DjangoModelFactory[Delivery]):
    """An in-app delivery of a reminder to one user."""

    class Meta:
        model = Delivery

    reminder = factory.SubFactory(ReminderFactory)
    channel = "in_app"
    user = factory.SubFactory(UserFactory)
    recipient_key = factory.LazyAttribute(lambda d: f"user:{d.user.pk}")
    language = "en"


class NotificationFactory(DjangoModelFactory[Notification]):
    """The inbox row an in-app delivery leaves."""

    class Meta:
        model = Notification

    delivery = factory.SubFactory(DeliveryFactory)
    user = factory.SelfAttribute("delivery.user")
    reminder = factory.SelfAttribute("delivery.reminder")
    organization = factory.SelfAttribute("reminder.organization")
    kind = "reminder"
    title = "域名即将到期"
    body = "Renew the domain within 14 days."


class NotificationPreferenceFactory(DjangoModelFactory[NotificationPreference]):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)


class CalendarFeedFactory(DjangoModelFactory[CalendarFeed]):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"feed-token-{n}".encode()).hexdigest())


def make_notification(
    user: Any, operator: Any, *, title: str = "域名即将到期", n: int = 0
) -> Notification:
    """An in-app notification as the reminder pipeline leaves it (reminder → delivery → row)."""
    reminder = Reminder.objects.create(
        organization=operator.organization,
        operator=operator,
        subject_type="domain",
        subject_id=100 + n,
        subject_name="example.cn",
        rule="domain_expiry",
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        step="before:14",
        kind="reminder",
        item_status="due_soon",
        due_at=timezone.now(),
        status="sent",
    )
    delivery = Delivery.objects.create(
        reminder=reminder,
        channel="in_app",
        recipient_key=f"user:{user.pk}",
        user=user,
        language="en",
    )
    return Notification.objects.create(
        user=user,
        organization=operator.organization,
        delivery=delivery,
        reminder=reminder,
        kind="reminder",
        title=title,
        body="Renew the domain within 14 days.",
    )
