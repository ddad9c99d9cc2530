"""The daily digest: users who chose it get one e-mail a day listing every held reminder."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from ..content import digest_render
from ..models import Channel, Delivery, DeliveryStatus, Digest, ReminderStatus

logger = logging.getLogger(__name__)


def digest_user_ids() -> list[int]:
    """Users with at least one e-mail held for the digest."""
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.HELD, channel=Channel.EMAIL, reminder__status=ReminderStatus.SENT
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def digest_send(*, user_id: int, day: datetime.date, now: datetime.datetime | None = None) -> str:
    """Send `user_id`'s digest for `day` once: the (user, day) row is unique and locked, and
    its held deliveries become sent in the same transaction as the row.

    Returns "sent", "empty", "skipped" (already sent / in flight) or "retry" (mail failed;
    the deliveries stay held for the next run).
    """
    now = now or timezone.now()
    with transaction.atomic():
        row, _ = Digest.objects.get_or_create(user_id=user_id, day=day)
        digest = (
            Digest.objects.select_for_update(skip_locked=True)
            .filter(pk=row.pk, sent_at__isnull=True)
            .first()
        )
        if digest is None:
            return "skipped"
        held = list(
            Delivery.objects.select_for_update(of=("self",))
            .filter(
                user_id=user_id,
                channel=Channel.EMAIL,
                status=DeliveryStatus.HELD,
                reminder__status=ReminderStatus.SENT,
            )
            .select_related("reminder", "reminder__operator")
            .order_by("reminder__due_date", "id")
        )
        if not held:
            return "empty"
        user = User.objects.get(pk=user_id)
        msg = digest_render([d.reminder for d in held], language=user.language, today=day)
        email = EmailMultiAlternatives(
            subject=msg.subject,
            body=msg.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[held[0].address or user.email],
            headers={"Message-ID": f"<digest-{digest.pk}@icpfiling>"},
        )
        email.attach_alternative(msg.html, "text/html")
        try:
            email.send(fail_silently=False)
        except Exception as exc:
            digest.attempts += 1
            digest.last_error = str(exc)[:2000]
            digest.save(update_fields=["attempts", "last_error", "updated_at"])
            logger.warning("digest %s for user %s not sent: %s", day, user_id, exc)
            return "retry"
        Delivery.objects.filter(pk__in=[d.pk for d in held]).update(
            status=DeliveryStatus.SENT,
            sent_at=now,
            digest=digest,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        digest.sent_at = now
        digest.attempts += 1
        digest.save(update_fields=["sent_at", "attempts", "updated_at"])
    return "sent"
