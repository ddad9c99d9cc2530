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

from accounts.access import can_use_personal_webhook
from core import egress

from .content import reminder_render
from .models import Channel, Delivery, Notification
from .webhooks import WebhookURLError, webhook_answer_error, webhook_kind_for_url, webhook_request

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


def webhook_target(delivery: Delivery) -> tuple[str, str | None]:
    """(stored URL, kind) of the delivery's webhook: the endpoint's, or the user's personal
    one (its kind read from the scheme) while their role in the organization allows it."""
    if delivery.endpoint is not None:  # no query without an endpoint id
        return delivery.endpoint.url, delivery.endpoint.kind
    pref = getattr(delivery.user, "notification_preference", None)
    url = pref.webhook_url if pref else ""
    user = delivery.user
    if url and (
        user is None or not can_use_personal_webhook(user, delivery.reminder.organization_id)
    ):
        raise PermanentChannelError("webhook: personal webhooks are not offered to this role")
    return url, None


def idempotency_key(delivery: Delivery) -> str:
    # Stable per delivery: every retry of one delivery carries the same key, so a receiver
    # that got the first (timed-out) attempt can drop the repeat.
    return f"icpfiling-delivery-{delivery.pk}"


def webhook_post(url: str, *, kind: str | None, title: str, body: str, key: str) -> None:
    """Check the stored URL, then POST through core.egress; an unsafe URL is a permanent
    failure and sends nothing, a timeout after sending is retried (same key)."""
    if not url:
        raise PermanentChannelError("webhook: no URL")
    try:
        req = webhook_request(url, kind=kind, title=title, body=body, key=key)
        resp = egress.request(
            "POST",
            req.url,
            json=req.payload,
            headers=req.headers,
            timeout=req.timeout,
            allow_hosts=req.allow_hosts,
        )
    except egress.UnresolvableHostError as exc:  # DNS may be back on the next attempt
        raise ChannelError(f"webhook: {exc.message}") from exc
    except WebhookURLError as exc:
        raise PermanentChannelError(f"webhook: {exc.message} ({mask_url(url)})") from exc
    except (egress.RefusedURLError, egress.RefusedHostError, egress.RefusedAddressError) as exc:
        raise PermanentChannelError(f"webhook: {exc.message} ({mask_url(url)})") from exc
    except egress.EgressError as exc:
        raise ChannelError(f"webhook: {exc.message}") from exc
    problem = webhook_answer_error(kind or webhook_kind_for_url(url) or "", resp)
    if problem:
        raise ChannelError(f"webhook: {problem}")


def send_webhook(delivery: Delivery, *, today: datetime.date) -> None:
    url, kind = webhook_target(delivery)
    msg = reminder_render(delivery.reminder, language=delivery.language, today=today)
    webhook_post(url, kind=kind, title=msg.subject, body=msg.text, key=idempotency_key(delivery))


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
