"""Provider inspection notices (接入准确性核查 / 备案信息核查, domain.md §12).

A cloud provider re-checks an approved filing and gives the owner a deadline, sometimes about
a day, after which it cancels the service's access (取消接入). A notice is a short-fuse task:
a compliance item due at the deadline's hour, reminded on an hour ladder; closing it needs
the fix (a change filing, or evidence with a note).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date_range
from core.models import CleanTextModel, TimeStampedModel
from miniprograms.ownership import DerivedOrganization


class NoticeProvider(models.TextChoices):
    ALIBABA = "alibaba", _("Alibaba Cloud")
    TENCENT = "tencent", _("Tencent Cloud")
    HUAWEI = "huawei", _("Huawei Cloud")
    BAIDU = "baidu", _("Baidu AI Cloud")
    VOLCANO = "volcano", _("Volcano Engine")
    OTHER = "other", _("Other (name it)")


class NoticeState(models.TextChoices):
    OPEN = "open", _("Open")  # the deadline runs
    FIXED = "fixed", _("Fixed")  # the fix is recorded (a change filing or evidence)
    ACCESS_CANCELLED = "access_cancelled", _("Access cancelled")  # the deadline was missed
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the provider withdrew it, or recorded in error


# Still owed a fix: open, or missed (the service lost its access and still needs the fix).
UNRESOLVED_STATES = (NoticeState.OPEN, NoticeState.ACCESS_CANCELLED)


def notice_evidence_upload_to(instance: models.Model, filename: str) -> str:
    # A random name: the original file name may carry personal data.
    ext = PurePosixPath(filename).suffix.lower()
    org, op = instance.organization_id, instance.operator_id  # type: ignore[attr-defined]
    return f"notices/{org}/{op}/{uuid.uuid4().hex}{ext}"


class ProviderNotice(CleanTextModel, DerivedOrganization, TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        related_name="provider_notices",
        verbose_name=_("operator"),
    )
    domain = models.ForeignKey(
        "miniprograms.Domain",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="provider_notices",
        verbose_name=_("domain"),
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="provider_notices",
        verbose_name=_("mini-program / app"),
    )
    provider = models.CharField(_("provider"), max_length=20, choices=NoticeProvider.choices)
    provider_name = models.CharField(_("provider (name)"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received at"), validators=[validate_date_range])
    deadline_at = models.DateTimeField(_("deadline"), validators=[validate_date_range])
    fields_to_fix = models.JSONField(_("fields to fix"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to=notice_evidence_upload_to, max_length=255, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("evidence content type"), max_length=50, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=NoticeState.choices, default=NoticeState.OPEN
    )
    # Recorded by someone before the deadline (e.g. the provider confirmed access is kept):
    # missing the deadline then does not cancel the service's access.
    access_kept = models.BooleanField(_("provider confirmed access kept"), default=False)
    fix_filing = models.ForeignKey(
        "filings.FilingApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provider_notices",
        verbose_name=_("change filing"),
    )
    fix_evidence = models.FileField(
        _("fix evidence"), upload_to=notice_evidence_upload_to, max_length=255, blank=True
    )
    fix_evidence_name = models.CharField(_("fix evidence file name"), max_length=255, blank=True)
    fix_evidence_type = models.CharField(_("fix evidence content type"), max_length=50, blank=True)
    resolution_note = models.TextField(_("resolution note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("state changed by"),
    )

    class Meta:
        ordering = ["deadline_at", "id"]
        verbose_name = _("provider notice")
        verbose_name_plural = _("provider notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(miniprogram__isnull=True, domain__isnull=False)
                | Q(miniprogram__isnull=False, domain__isnull=True),
                name="notice_one_service",
            ),
            models.CheckConstraint(
                condition=Q(state__in=NoticeState.values), name="notice_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(provider__in=NoticeProvider.values), name="notice_provider_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "state", "deadline_at"]),
            models.Index(
                fields=["deadline_at"], condition=Q(state="open"), name="notice_open_by_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_label} · {self.service}"

    @property
    def service(self) -> models.Model:
        return self.domain or self.miniprogram  # type: ignore[return-value]

    @property
    def provider_label(self) -> str:
        if self.provider == NoticeProvider.OTHER and self.provider_name:
            return self.provider_name
        return str(self.get_provider_display())
