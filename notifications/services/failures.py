"""Telling the organization's managers that a reminder did not reach a webhook.

Once per reminder and manager, however many webhooks failed and however many attempts each
made: the notice is an in-app Delivery keyed `failed:<user id>` (the unique constraint on
reminder x recipient x channel makes a second call a no-op) with its Notification.
"""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role
from core.text import scrub_text

from ..choices import FAILURE_KEY_PREFIX
from ..models import Channel, Delivery, DeliveryStatus, Notification
from ..recipients import members_for


def _what(delivery: Delivery) -> str:
    if delivery.endpoint is not None:
        return delivery.endpoint.name
    return _("the personal webhook of %(user)s") % {"user": delivery.user}


def webhook_failure_notify(*, delivery: Delivery, now: datetime.datetime) -> int:
    """One in-app notification per manager of the reminder's organization that this
    reminder's webhook failed for good; returns how many were new.
    """
    reminder = delivery.reminder
    # Managers who may see the reminder's operator (accounts.access, through recipients):
    # one limited to assigned clients is not told about another's.
    managers = members_for(reminder, roles=(Role.MANAGER,))
    created_count = 0
    for m in managers:
        with translation.override(m.user.language):
            title = _("Webhook “%(name)s” did not receive a reminder: %(subject)s") % {
                "name": _what(delivery),
                "subject": reminder.subject_name,
            }
        row, created = Delivery.objects.get_or_create(
            reminder=reminder,
            recipient_key=f"{FAILURE_KEY_PREFIX}{m.user_id}",
            channel=Channel.IN_APP,
            defaults={
                "user": m.user,
                "language": m.user.language,
                "status": DeliveryStatus.SENT,
                "sent_at": now,
                "attempts": 1,
            },
        )
        if created:
            Notification.objects.create(
                delivery=row,
                user=m.user,
                organization_id=reminder.organization_id,
                reminder=reminder,
                kind=reminder.kind,
                title=title[:255],
                body=scrub_text(delivery.last_error, multiline=True),  # the receiver's text
            )
            created_count += 1
    return created_count
