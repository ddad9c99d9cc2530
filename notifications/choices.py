"""The reminder pipeline's choice sets: reminder kinds and states, channels, delivery states
and modes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # planned; dispatch claims it once due_at has passed
    QUEUED = "queued", _("Queued")  # claimed; a send task is (or was) on the broker
    SENT = "sent", _("Sent")  # recipients resolved, one Delivery row each
    CANCELLED = "cancelled", _("Cancelled")  # no longer relevant, or superseded by a later step


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("In-app")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # to send; next_attempt_at is the claim lease / backoff
    HELD = "held", _("Held for the daily digest")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # retries exhausted; last_error says why
    CANCELLED = "cancelled", _("Cancelled")


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("One daily digest")


# recipient_key of the in-app notice that a reminder's webhook failed for good
# (services/failures.py): it tells of the reminder and is not the reminder's own notification,
# so acknowledging it neither acknowledges the reminder nor shows in its timeline.
FAILURE_KEY_PREFIX = "failed:"
