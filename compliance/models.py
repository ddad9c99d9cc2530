"""The regulatory calendar kept as data: rules with their parameters, and working-day data.

Not tenant-owned: these rows are reference data shared by every organization and edited by
staff in the admin (a new notice changes a row, not the code).
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import CleanTextModel

from .types import OPEN_STATUSES, ComplianceStatus


class ComplianceRule(CleanTextModel):
    """One obligation the engine evaluates; `code` names its evaluator (compliance.registry)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Checked against a primary or provider source, not just reported."),
    )
    active = models.BooleanField(_("active"), default=True)
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_('Dates as "YYYY-MM-DD", e.g. {"deadline": "2024-03-31", "warn_days": 30}.'),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("compliance rule")
        verbose_name_plural = _("compliance rules")

    def __str__(self) -> str:
        return self.title


class CalendarOverride(CleanTextModel):
    """A correction to the holiday library: this day is (or is not) a working day."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        label = _("working day") if self.is_working_day else _("rest day")
        return f"{self.date} {label}"


class KnownCalendarYear(CleanTextModel):
    """A year whose State Council holiday notice is known; deadlines into other years are
    flagged as estimates."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("known calendar year")
        verbose_name_plural = _("known calendar years")

    def __str__(self) -> str:
        return str(self.year)


# --- maintained items ---------------------------------------------------------------------


class CloseReason(models.TextChoices):
    SUPERSEDED = "superseded", _("Replaced by a later deadline")
    GONE = "gone", _("Subject or rule no longer applies")


class ComplianceItem(models.Model):
    """One rule judged for one subject: the current evaluation, kept by compliance.store.

    Unique per (subject, rule, due instance): a domain renewed to a later expiry gets a new
    row and the old one is closed as superseded, so reminders, owners and history follow one
    deadline. Rows are written only by compliance.store (services, the time-driven task and
    the nightly reconcile); owners and snoozes by compliance.services.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        related_name="compliance_items",
        verbose_name=_("operator"),
    )
    operator_name = models.CharField(_("operator"), max_length=200)
    province_code = models.CharField(_("province"), max_length=6)
    subject_type = models.CharField(_("subject type"), max_length=20)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    subject_name = models.CharField(_("subject name"), max_length=255)
    rule = models.CharField(_("rule"), max_length=60)
    # The due instance: the due date, or date.min for an item without one.
    due_key = models.DateField(editable=False, verbose_name=_("deadline key"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ComplianceStatus.choices)
    severity = models.PositiveSmallIntegerField(_("severity"))  # compliance.types.SEVERITY
    # Urgency inside the status (compliance.rules.rule_priority): takedown risk, hours, date.
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    estimated = models.BooleanField(_("estimated"), default=False)
    # compliance.messages.Note.data: the sentence, language-neutral, with the values that
    # decided the item.
    note = models.JSONField(_("message"), default=dict)
    changes_on = models.DateField(_("re-evaluate on"), null=True, blank=True)
    # The instant of the next change by the clock alone (a window measured in hours closing).
    changes_at = models.DateTimeField(_("re-evaluate at"), null=True, blank=True)
    evaluated_on = models.DateField(_("evaluated as of"))
    first_seen_at = models.DateTimeField(_("first seen"))
    last_evaluated_at = models.DateTimeField(_("last evaluated"))
    status_changed_at = models.DateTimeField(_("status changed"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("why closed"), max_length=20, choices=CloseReason.choices, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    snooze_reason = models.CharField(_("snooze reason"), max_length=300, blank=True)
    # Someone has seen it and is on it; cleared when the item's status changes.
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )

    class Meta:
        verbose_name = _("compliance item")
        verbose_name_plural = _("compliance items")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule", "due_key"],
                name="compliance_item_one_per_due_instance",
            )
        ]
        indexes = [
            # Pages: an organization's current items by status, worst and soonest first.
            models.Index(
                fields=["organization", "status", "due_date"],
                name="compliance_item_org_status",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["operator", "status", "due_date"],
                name="compliance_item_op_status",
                condition=models.Q(closed_at__isnull=True),
            ),
            # Lists of items in their reading order (compliance.selectors.ITEM_ORDER).
            models.Index(
                F("severity").desc(),
                F("priority").desc(),
                "due_date",
                "due_at",
                "operator_name",
                "rule",
                "subject_id",
                name="compliance_item_work_order",
                condition=models.Q(closed_at__isnull=True),
            ),
            # The time-driven task: rows whose next change has come.
            models.Index(
                fields=["changes_on"],
                name="compliance_item_changes_on",
                condition=models.Q(closed_at__isnull=True, changes_on__isnull=False),
            ),
            models.Index(
                fields=["changes_at"],
                name="compliance_item_changes_at",
                condition=models.Q(closed_at__isnull=True, changes_at__isnull=False),
            ),
            models.Index(fields=["closed_at"], name="compliance_item_closed"),
        ]

    def __str__(self) -> str:
        from .rules import rule_label

        return f"{rule_label(self.rule)} · {self.subject_name} · {self.get_status_display()}"

    @property
    def message(self) -> str:
        from .messages import render_message

        return render_message(self.note)

    @property
    def current_status(self) -> str:
        """The status now: a due-soon row whose hour has passed is overdue even before the
        periodic re-evaluation has stored it so (compliance.selectors.overdue_q)."""
        if (
            self.status == ComplianceStatus.DUE_SOON
            and self.due_at is not None
            and self.due_at <= timezone.now()
        ):
            return str(ComplianceStatus.OVERDUE)
        return self.status

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.status in OPEN_STATUSES


class ItemEventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    STATUS = "status", _("Status changed")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    ASSIGNED = "assigned", _("Owner changed")
    SNOOZED = "snoozed", _("Snoozed")
    UNSNOOZED = "unsnoozed", _("Snooze ended")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class ComplianceItemEvent(models.Model):
    """The history of an item: what the engine saw change, and what people did with it."""

    item = models.ForeignKey(
        ComplianceItem,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("compliance item"),
    )
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("event"), max_length=20, choices=ItemEventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("compliance item event")
        verbose_name_plural = _("compliance item events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class OperatorCompliance(models.Model):
    """Per operator: counts of its current items and services by status, its worst status
    and next deadline — maintained with the items, so the portfolio pages and sorts are one
    indexed query."""

    operator = models.OneToOneField(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="compliance",
        verbose_name=_("operator"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organization"),
    )
    worst_status = models.CharField(
        _("worst status"), max_length=20, choices=ComplianceStatus.choices
    )
    worst_severity = models.PositiveSmallIntegerField(default=0, verbose_name=_("worst severity"))
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    due_soon = models.PositiveIntegerField(_("due soon"), default=0)
    compliant = models.PositiveIntegerField(_("compliant"), default=0)
    not_applicable = models.PositiveIntegerField(_("not applicable"), default=0)
    services_overdue = models.PositiveIntegerField(default=0, verbose_name=_("services overdue"))
    services_due_soon = models.PositiveIntegerField(default=0, verbose_name=_("services due soon"))
    services_compliant = models.PositiveIntegerField(
        default=0, verbose_name=_("services compliant")
    )
    services_not_applicable = models.PositiveIntegerField(
        default=0, verbose_name=_("services not applicable")
    )
    next_deadline = models.DateField(_("next deadline"), null=True, blank=True)
    next_deadline_rule = models.CharField(
        max_length=60, blank=True, verbose_name=_("next deadline rule")
    )
    oldest_overdue = models.DateField(_("overdue since"), null=True, blank=True)
    # Open items whose rule puts a live service at risk of being taken down.
    takedown_risk = models.PositiveIntegerField(_("takedown risk"), default=0)
    # {rule: {status: n}} of the current items: the API's summary adds these up per operator
    # instead of grouping every item. NULL until the operator is next evaluated.
    rule_counts = models.JSONField(
        null=True, blank=True, editable=False, verbose_name=_("counts by rule")
    )
    evaluated_on = models.DateField(_("evaluated as of"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("operator compliance")
        verbose_name_plural = _("operator compliance")
        indexes = [
            models.Index(
                fields=["organization", "-worst_severity", "next_deadline"],
                name="operator_compliance_worst",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id}: {self.worst_status}"
