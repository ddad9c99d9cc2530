"""Reminder outbox (style.md §6): plan -> Reminder rows -> Delivery rows per recipient x channel.

Every step is keyed by a unique constraint so that running it twice changes nothing:
one Reminder per (item, rule, deadline, ladder step), one Delivery per (reminder, recipient,
channel), one in-app Notification per delivery, one Digest per (user, day).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.models import CleanTextModel, TimeStampedModel
from core.pii import EncryptedTextField
from icp.ladders import DEFAULT_OFFSETS, DEFAULT_ROLES
from miniprograms.ownership import DerivedOrganization

from .choices import Channel, DeliveryMode, DeliveryStatus, ReminderKind, ReminderStatus
from .feed_models import CalendarFeed  # noqa: F401 (registered and imported from here)
from .webhooks import webhook_kind_choices


def default_offsets() -> list[int]:
    return list(DEFAULT_OFFSETS)


def default_roles() -> list[str]:
    return list(DEFAULT_ROLES)


class ReminderLadder(TimeStampedModel):
    """When to remind, per rule and per organization.

    Lookup order: (organization, rule) > (organization, any rule) > (global, rule) >
    (global, any rule) > the built-in default (30, 14, 7, 3, 1 days before, on the day, then
    weekly while overdue).
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_ladders",
        help_text=_("Empty: the default for every organization."),
        verbose_name=_("organization"),
    )
    rule = models.CharField(
        _("rule code"), max_length=60, blank=True, help_text=_("Empty: every rule.")
    )
    offsets = models.JSONField(
        _("days before the deadline"),
        default=default_offsets,
        help_text=_("E.g. [30, 14, 7, 3, 1, 0]; 0 is the day itself."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("repeat while overdue every (days)"), default=7, help_text=_("0: do not repeat.")
    )
    escalate_when_overdue = models.BooleanField(
        _("escalate to managers when overdue"), default=True
    )
    escalate_unacknowledged_after_days = models.PositiveSmallIntegerField(
        _("escalate when not acknowledged after (days)"),
        null=True,
        blank=True,
        default=3,
        help_text=_("Empty: never."),
    )
    roles = models.JSONField(
        _("member roles reminded"),
        default=default_roles,
        help_text=_('Membership roles, e.g. ["manager", "editor", "client"].'),
    )
    # For deadlines with an hour (provider notices): hours before that instant (icp.ladders).
    hour_offsets = models.JSONField(
        _("hours before the deadline"),
        default=list,
        blank=True,
        help_text=_("E.g. [24, 12, 4, 1], for deadlines with an hour; empty: none."),
    )

    class Meta:
        verbose_name = _("reminder ladder")
        verbose_name_plural = _("reminder ladders")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rule"],
                name="reminder_ladder_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization or '*'} / {self.rule or '*'}: {self.offsets}"


class Reminder(DerivedOrganization, TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("operator"),
    )
    subject_type = models.CharField(max_length=20, verbose_name=_("subject type"))
    subject_id = models.PositiveBigIntegerField(verbose_name=_("subject"))
    subject_name = models.CharField(max_length=255, verbose_name=_("subject name"))
    rule = models.CharField(max_length=60, verbose_name=_("rule"))
    due_date = models.DateField(verbose_name=_("due date"))
    # "before:30" … "before:0", "overdue:1", "overdue:2" …, "escalation"
    step = models.CharField(max_length=20, verbose_name=_("step"))
    kind = models.CharField(max_length=12, choices=ReminderKind.choices, verbose_name=_("kind"))
    item_status = models.CharField(max_length=20, verbose_name=_("item status"))
    # compliance.messages.Note.data of the item when planned: the sentence, language-neutral,
    # rendered in each recipient's language even after the item's row has closed.
    note = models.JSONField(default=dict, blank=True, verbose_name=_("note"))
    message = models.TextField(
        blank=True, verbose_name=_("message")
    )  # the sentence in the planner's language (fallback)
    due_at = models.DateTimeField(verbose_name=_("due at"))
    status = models.CharField(
        max_length=10,
        choices=ReminderStatus.choices,
        default=ReminderStatus.PENDING,
        verbose_name=_("status"),
    )
    queued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("queued at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    # Set by an acknowledgement that stops the escalation (a role the organization chose):
    # who, when and in which role. Anyone else's acknowledgement stays on their Notification.
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("acknowledged at"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_role = models.CharField(
        _("acknowledged as"), max_length=20, blank=True, choices=Role.choices, db_default=""
    )
    cancel_reason = models.CharField(max_length=100, blank=True, verbose_name=_("cancel reason"))

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule", "due_date", "step"],
                name="reminder_once_per_step",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values), name="reminder_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_by_due"
            ),
            models.Index(
                fields=["queued_at"], condition=Q(status="queued"), name="reminder_queued_by_time"
            ),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["subject_type", "subject_id", "rule"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.rule} {self.due_date} {self.step} ({self.status})"


class WebhookEndpoint(CleanTextModel, TimeStampedModel):
    """An organization's chat bot or JSON hook, stored as an apprise URL (it holds a secret)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=webhook_kind_choices)
    url = EncryptedTextField(_("apprise URL"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Why the application switched it off (an address the egress guard refuses), for its owners.
    disabled_reason = models.TextField(_("why it was switched off"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name


class Digest(TimeStampedModel):
    """One daily e-mail per user listing the deliveries held for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    day = models.DateField(verbose_name=_("day"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]


class Delivery(TimeStampedModel):
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("reminder")
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, verbose_name=_("channel"))
    # "user:<id>", "person:<id>", "endpoint:<id>": what makes a recipient unique.
    recipient_key = models.CharField(max_length=40, verbose_name=_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    person = models.ForeignKey(
        "miniprograms.ResponsiblePerson",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("responsible person"),
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("webhook endpoint"),
    )
    address = models.CharField(
        max_length=254, blank=True, verbose_name=_("address")
    )  # e-mail address, when e-mail
    language = models.CharField(max_length=10, verbose_name=_("language"))
    status = models.CharField(
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        verbose_name=_("status"),
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("digest"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient_key", "channel"], name="delivery_once_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_pending_by_attempt",
            ),
            models.Index(fields=["user"], condition=Q(status="held"), name="delivery_held"),
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} {self.channel} {self.recipient_key} ({self.status})"


class Notification(DerivedOrganization):
    """In-app notification: unread -> read -> acknowledged."""

    organization_source = "reminder"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        editable=False,
        verbose_name=_("organization"),
    )
    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, related_name="notification", verbose_name=_("delivery")
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, related_name="+", verbose_name=_("reminder")
    )
    kind = models.CharField(max_length=12, choices=ReminderKind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=255, verbose_name=_("title"))
    body = models.TextField(verbose_name=_("text"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("acknowledged at"))
    # The user's role in the organization when they acknowledged (a client's is recorded too).
    acknowledged_role = models.CharField(
        _("acknowledged as"), max_length=20, blank=True, choices=Role.choices, db_default=""
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        if self.acknowledged_at:
            return "acknowledged"
        return "read" if self.read_at else "unread"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in the app"), default=True)
    webhook_url = EncryptedTextField(
        _("personal webhook (apprise URL)"), blank=True, help_text=_("Empty: none.")
    )
    # Why the application removed the personal webhook (an address the egress guard refuses).
    webhook_removed_reason = models.TextField(_("why the webhook was removed"), blank=True)
    mode = models.CharField(
        _("e-mail delivery"), max_length=10, choices=DeliveryMode.choices, default="immediate"
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.mode}"
