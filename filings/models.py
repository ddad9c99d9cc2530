from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date_range
from core.models import CleanTextModel, TimeStampedModel
from icp import channels as icp_channels
from icp import review_fields
from icp import workflow as icp_workflow
from icp.workflow import IN_FLIGHT
from miniprograms.ownership import DerivedOrganization

_S = icp_workflow.FilingStatus
_K = icp_workflow.FilingKind


class FilingStatus(models.TextChoices):
    """Labels for `icp.workflow.FilingStatus`; the values and the table are defined there."""

    DRAFT = _S.DRAFT.value, _("Draft")
    PROVIDER_REVIEW = _S.PROVIDER_REVIEW.value, _("Provider / platform review")
    PROVIDER_REJECTED = _S.PROVIDER_REJECTED.value, _("Rejected by provider")
    SMS_VERIFICATION = _S.SMS_VERIFICATION.value, _("MIIT SMS verification")
    AUTHORITY_REVIEW = _S.AUTHORITY_REVIEW.value, _("Provincial authority review")
    AUTHORITY_REJECTED = _S.AUTHORITY_REJECTED.value, _("Rejected by authority")
    APPROVED = _S.APPROVED.value, _("Approved")
    WITHDRAWN = _S.WITHDRAWN.value, _("Withdrawn")


class FilingKind(models.TextChoices):
    """Labels for `icp.workflow.FilingKind`."""

    NEW_FILING = _K.NEW_FILING.value, _("New filing (首次备案)")
    ADD_SERVICE = _K.ADD_SERVICE.value, _("Add a service (新增网站/App)")
    NEW_ACCESS = _K.NEW_ACCESS.value, _("New access (新增接入)")
    CHANGE = _K.CHANGE.value, _("Change (变更备案)")
    CANCEL_SERVICE = _K.CANCEL_SERVICE.value, _("Cancel a service (注销网站/App)")
    CANCEL_ENTITY = _K.CANCEL_ENTITY.value, _("Cancel the entity (注销主体)")
    CANCEL_ACCESS = _K.CANCEL_ACCESS.value, _("Cancel access (取消接入)")


# Values, labels and families of filing channels are defined once, in icp.channels.
FilingChannel = icp_channels.FilingChannel


class FilingApplication(CleanTextModel, DerivedOrganization, TimeStampedModel):
    """One order at one access provider or platform, moving through icp.workflow."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.PROTECT,
        related_name="filings",
        verbose_name=_("operator"),
    )
    # The subject: a mini-program/app, a domain, or neither (the entity alone).
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
        verbose_name=_("mini-program / app"),
    )
    domain = models.ForeignKey(
        "miniprograms.Domain",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
        verbose_name=_("domain"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=FilingKind.choices, default=FilingKind.NEW_FILING
    )
    channel = models.CharField(
        _("channel / access provider"), max_length=20, choices=icp_channels.filing_channel_choices
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    status_entered_at = models.DateTimeField(_("in this status since"), default=timezone.now)
    icp_number = models.CharField(_("filing number"), max_length=40, blank=True)
    planned_for = models.DateField(
        _("planned change date"),
        null=True,
        blank=True,
        help_text=_("For change filings: when the change takes effect (file 30 days ahead)."),
        validators=[validate_date_range],
    )
    reference = models.CharField(_("provider's order number"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("filing application")
        verbose_name_plural = _("filing applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FilingStatus.values), name="filing_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(miniprogram__isnull=True) | Q(domain__isnull=True),
                name="filing_one_subject",
            ),
            # 主办者冲突: one order in flight per operator across all providers.
            models.UniqueConstraint(
                fields=["operator"],
                condition=Q(status__in=sorted(IN_FLIGHT)),
                name="filing_one_in_flight_per_operator",
                violation_error_message=_(
                    "This operator already has an application in progress; finish or withdraw "
                    "it first (主办者冲突)."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "status_entered_at"]),
            # The list's default order (`-updated_at`, then pk as tie-breaker): the first page
            # walks this index instead of sorting every application in scope.
            models.Index(fields=["-updated_at", "id"], name="filing_updated_desc"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} – {self.subject_name}"

    @property
    def subject_name(self) -> str:
        # No query for an empty relation: the descriptor answers None from the id.
        if self.miniprogram is not None:
            return self.miniprogram.name
        if self.domain is not None:
            return self.domain.display_name
        return self.operator.name_zh


class FilingStatusChange(CleanTextModel):
    """Append-only history: who moved the application, when, from where to where, and why."""

    filing = models.ForeignKey(
        FilingApplication,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("filing application"),
    )
    from_status = models.CharField(
        max_length=20, choices=FilingStatus.choices, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=20, choices=FilingStatus.choices, verbose_name=_("to status")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("actor"),
    )
    # Who acted when no person did: a connector ("connector:wechat"), a task; empty: the system.
    actor_label = models.CharField(_("actor (not a person)"), max_length=100, blank=True)
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )
    note = models.TextField(blank=True)
    # A submission a manager let through although the readiness check listed gaps: why, and
    # what was missing at that moment (the gaps as icp.readiness.Gap.as_dict()).
    override_reason = models.TextField(_("readiness override reason"), blank=True)
    overridden_gaps = models.JSONField(_("gaps overridden"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def actor_name(self) -> str:
        """Who moved it, for pages and exports: the person, a connector's label, or ""."""
        if self.actor is not None:
            return self.actor.get_full_name() or self.actor.get_username()
        return self.actor_label


class RejectionReason(CleanTextModel):
    """Per-field reason returned with a rejection (WeChat: key_name, error, suggest)."""

    status_change = models.ForeignKey(
        FilingStatusChange,
        on_delete=models.CASCADE,
        related_name="reasons",
        verbose_name=_("status change"),
    )
    # A key of icp.review_fields (the API keeps the key); "other" with `field_text`.
    field = models.CharField(_("field"), max_length=100)
    field_text = models.CharField(_("field (other)"), max_length=100, blank=True)
    error = models.TextField(_("problem"))
    suggestion = models.TextField(_("suggested fix"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")

    def __str__(self) -> str:
        return f"{self.field}: {self.error}"

    @property
    def field_label(self) -> str:
        """The field in the active language (free text for "other")."""
        return review_fields.field_label(self.field, self.field_text)


class FilingComment(CleanTextModel):
    """A note on an application by someone working on it (a call with the provider, a fix)."""

    filing = models.ForeignKey(
        FilingApplication,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("filing application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:50]
