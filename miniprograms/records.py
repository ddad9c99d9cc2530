"""A service's record after approval (domain.md §12): its state on the service row, and the
history of every change with its source, evidence and actor.

The states and the moves allowed between them are in the kernel (icp.records); the one writer
is miniprograms.services.record.record_state_change.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date_range
from core.models import CleanTextModel
from icp.records import RecordState as RecordStateValue

from .ownership import DerivedOrganization


class RecordState(models.TextChoices):
    """Labels for `icp.records.RecordState`; the values are defined there."""

    NONE = RecordStateValue.NONE.value, _("Not filed")
    FILED = RecordStateValue.FILED.value, _("Filed")
    ACCESS_CANCELLED = RecordStateValue.ACCESS_CANCELLED.value, _("Access cancelled (取消接入)")
    CANCELLED = RecordStateValue.CANCELLED.value, _("Cancelled (注销)")
    RESTRICTED = RecordStateValue.RESTRICTED.value, _("Restricted / blocked")


class RecordSource(models.TextChoices):
    FILING = "filing", _("Filing approved")
    PROVIDER_NOTICE = "provider_notice", _("Provider notice")
    LOOKUP = "lookup", _("MIIT lookup")
    DISPLAY_CHECK = "display_check", _("Display check")
    MANUAL = "manual", _("Recorded by hand")
    CONNECTOR = "connector", _("Connector")


class RecordStateFields(models.Model):
    """Abstract: the record state of a filed service (a domain or a mini-program/app)."""

    record_state = models.CharField(
        _("record state"), max_length=20, choices=RecordState.choices, default=RecordState.NONE
    )
    record_state_since = models.DateField(
        _("record state since"), null=True, blank=True, validators=[validate_date_range]
    )

    class Meta:
        abstract = True


def record_evidence_upload_to(instance: RecordStateChange, filename: str) -> str:
    # A random name: the original file name may carry personal data.
    ext = PurePosixPath(filename).suffix.lower()
    return f"records/{instance.organization_id}/{instance.operator_id}/{uuid.uuid4().hex}{ext}"


class RecordStateChange(CleanTextModel, DerivedOrganization):
    """One change of a service's record state (append-only history)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        related_name="record_changes",
        verbose_name=_("operator"),
    )
    domain = models.ForeignKey(
        "miniprograms.Domain",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="record_changes",
        verbose_name=_("domain"),
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="record_changes",
        verbose_name=_("mini-program / app"),
    )
    from_state = models.CharField(_("from"), max_length=20, choices=RecordState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=RecordState.choices)
    effective_on = models.DateField(_("effective on"), validators=[validate_date_range])
    source = models.CharField(_("source"), max_length=20, choices=RecordSource.choices)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to=record_evidence_upload_to, max_length=255, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("evidence content type"), max_length=50, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("record state change")
        verbose_name_plural = _("record state changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(miniprogram__isnull=True, domain__isnull=False)
                | Q(miniprogram__isnull=False, domain__isnull=True),
                name="record_change_one_service",
            ),
            models.CheckConstraint(
                condition=Q(source__in=RecordSource.values), name="record_change_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["organization", "created_at"])]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state} ({self.effective_on})"

    @property
    def service(self) -> models.Model:
        return self.domain or self.miniprogram  # type: ignore[return-value]
