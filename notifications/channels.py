"""Delivery channels. Each sends one Delivery and raises ChannelError when it could not.

The caller (services.delivery_send) holds the Delivery row lock and marks it sent in the same
transaction, so a channel is never asked twice for a delivered row. A crash between the send
and the commit can repeat one message: at-least-once, the accepted trade-off (style.md §6).
"""

from __future__ import annotations

import datetime
import logging
import re
from typing import Protocol
from urllib.parse import urlsplit

import apprise
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from .content import reminder_render
from .models import Channel, Delivery, Notification

logger = logging.getLogger(__name__)


class ChannelError(Exception):
    """The channel did not deliver; worth retrying."""


class PermanentChannelError(ChannelError):
    """Retrying cannot help (no address, malformed URL): recorded as failed at once."""


def message_id(delivery: Delivery) -> str:
    # Stable per delivery: a repeated send after a crash carries the same Message-ID, so
    # mail servers and clients can drop the duplicate.
    return f"<reminder-delivery-{delivery.pk}@icpfiling>"


def send_email(delivery: Delivery, *, today: datetime.date) -> None:
    if not delivery.address:
        raise PermanentChannelError("no e-mail address")
    msg = reminder_render(delivery.reminder, language=delivery.language, today=today)
    email = EmailMultiAlternatives(
        subject=msg.subject,
        body=msg.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={"Message-ID": message_id(delivery)},
    )
    email.attach_alternative(msg.html, "text/html")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP errors, refused connections, backend failures
        raise ChannelError(f"e-mail: {exc}") from exc


def send_in_app(delivery: Delivery, *, today: datetime.date) -> None:
    # No e-mail footer ("you receive this because…"): the row is read in the app.
    msg = reminder_render(delivery.reminder, language=delivery.language, today=today, footer=False)
    # One row per delivery (OneToOne): a repeated call finds the row instead of adding one.
    Notification.objects.get_or_create(
        delivery=delivery,
        defaults={
            "user_id": delivery.user_id,
            "organization_id": delivery.reminder.organization_id,
            "reminder": delivery.reminder,
            "kind": delivery.reminder.kind,
            "title": msg.subject[:255],
            "body": msg.text,
        },
    )


def webhook_url_for(delivery: Delivery) -> str:
    if delivery.endpoint is not None:  # no query without an endpoint id
        return delivery.endpoint.url
    pref = getattr(delivery.user, "notification_preference", None)
    return pref.webhook_url if pref else ""


def apprise_notify(url: str, *, title: str, body: str) -> None:
    """Send through apprise; its failures are logged, not raised, so capture the log."""
    ap = apprise.Apprise()
    if not url or not ap.add(url):
        raise PermanentChannelError(f"not a supported webhook URL: {mask_url(url)}")
    with apprise.LogCapture(level=logging.WARNING) as captured:
        ok = ap.notify(title=title, body=body)
    if not ok:
        detail = captured.getvalue().strip().splitlines()
        raise ChannelError(f"webhook: {detail[-1] if detail else 'not delivered'}")


def send_webhook(delivery: Delivery, *, today: datetime.date) -> None:
    msg = reminder_render(delivery.reminder, language=delivery.language, today=today)
    apprise_notify(webhook_url_for(delivery), title=msg.subject, body=msg.text)


class Sender(Protocol):
    def __call__(self, delivery: Delivery, *, today: datetime.date) -> None: ...


# Keyed by the stored channel value (a plain str once read back from the database).
SENDERS: dict[str, Sender] = {
    Channel.EMAIL: send_email,
    Channel.IN_APP: send_in_app,
    Channel.WEBHOOK: send_webhook,
}


def deliver(delivery: Delivery, *, today: datetime.date | None = None) -> None:
    SENDERS[delivery.channel](delivery, today=today or timezone.localdate())


_LONG_SEGMENT = re.compile(r"[^/]{12,}")


def mask_url(url: str) -> str:
    """Show the kind and host of a webhook, never its token: `wecombot://a...y/`."""
    if not url:
        return ""
    obj = apprise.Apprise.instantiate(url)
    if obj is None:
        return "****"
    parts = urlsplit(obj.url(privacy=True))
    # apprise keeps the path of json:// URLs; hook paths often embed the secret.
    path = _LONG_SEGMENT.sub(lambda m: m.group(0)[0] + "..." + m.group(0)[-1], parts.path)
    path = re.sub("/{2,}", "/", path)
    return f"{parts.scheme}://{parts.netloc}{path}"
