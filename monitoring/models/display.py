"""The display checker's data: link targets (shared reference data), each organization's
cadence, and one DisplayCheck row per check of a site's home page (its evidence)."""

from __future__ import annotations

import uuid
import zlib
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from miniprograms.ownership import DerivedOrganization


class LinkKind(models.TextChoices):
    MIIT = "miit", _("MIIT filing lookup")
    MPS = "mps", _("MPS public-security lookup")


class LinkVerdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    LEGACY = "legacy", _("Legacy (flagged)")


class LinkTarget(models.Model):
    """Where a footer's number may link (domain.md §13): accepted targets and flagged legacy
    ones, edited by staff as the authorities move their sites."""

    kind = models.CharField(_("lookup"), max_length=8, choices=LinkKind.choices)
    pattern = models.CharField(
        _("pattern"),
        max_length=200,
        help_text=_(
            "https://… a URL prefix; http:// the scheme on a lookup host; /… a path (also "
            "after #); a bare name: that host and its subdomains."
        ),
    )
    verdict = models.CharField(_("verdict"), max_length=8, choices=LinkVerdict.choices)
    code_param = models.CharField(
        _("code parameter"),
        max_length=20,
        blank=True,
        help_text=_("MPS links: the parameter that must carry the 14 digits (code, recordcode)."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "verdict", "pattern"]
        verbose_name = _("display link target")
        verbose_name_plural = _("display link targets")
        constraints = [
            models.UniqueConstraint(fields=["kind", "pattern"], name="link_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.pattern}"


class MonitoringSettings(TimeStampedModel):
    """An organization's choices for monitoring after approval (managers edit them)."""

    organization = models.OneToOneField(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="monitoring_settings",
        verbose_name=_("organization"),
    )
    display_cadence_days = models.PositiveSmallIntegerField(
        _("display check every (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    display_enabled = models.BooleanField(_("check websites' display"), default=True)

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")

    def __str__(self) -> str:
        return str(self.organization)


class CheckStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # waiting for a worker
    RUNNING = "running", _("Running")  # claimed by a worker
    DONE = "done", _("Done")  # the page was judged, or why it could not be read is recorded


class CheckTrigger(models.TextChoices):
    SWEEP = "sweep", _("Scheduled")
    MANUAL = "manual", _("Check now")


OPEN_STATUSES = (CheckStatus.QUEUED, CheckStatus.RUNNING)


def screenshot_upload_to(instance: DisplayCheck, filename: str) -> str:
    ext = PurePosixPath(filename).suffix.lower() or ".png"
    return f"monitoring/display/{instance.organization_id}/{uuid.uuid4().hex}{ext}"


class DisplayCheck(DerivedOrganization):
    """One check of a site's home page and its evidence."""

    organization_source = "domain"

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    domain = models.ForeignKey(
        "miniprograms.Domain",
        on_delete=models.CASCADE,
        related_name="display_checks",
        verbose_name=_("domain"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("operator"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CheckStatus.choices, default=CheckStatus.QUEUED
    )
    trigger = models.CharField(
        _("trigger"), max_length=8, choices=CheckTrigger.choices, default=CheckTrigger.SWEEP
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # What was on record when the page was judged (the register may change later).
    icp_number = models.CharField(_("filing number on record"), max_length=40, blank=True)
    psb_number = models.CharField(_("public-security number on record"), max_length=40, blank=True)
    final_url = models.CharField(_("final URL"), max_length=2000, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error_kind = models.CharField(_("error"), max_length=30, blank=True)
    error_detail = models.CharField(_("error detail"), max_length=500, blank=True)
    redirects = models.JSONField(_("redirects"), default=list, blank=True)
    html_gz = models.BinaryField(_("page (zlib)"), null=True, blank=True, editable=False)
    html_size = models.PositiveIntegerField(_("page size (bytes)"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    numbers = models.JSONField(_("numbers found"), default=list, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    screenshot = models.FileField(
        _("screenshot"), upload_to=screenshot_upload_to, max_length=255, blank=True
    )

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = _("display check")
        verbose_name_plural = _("display checks")
        indexes = [
            models.Index(fields=["organization", "-finished_at"], name="display_check_org_recent"),
            models.Index(fields=["domain", "-finished_at"], name="display_check_domain_recent"),
        ]
        constraints = [
            # At most one open check per site: "Check now" twice, or a sweep while one runs,
            # queues nothing more.
            models.UniqueConstraint(
                fields=["domain"],
                condition=Q(status__in=["queued", "running"]),
                name="display_check_one_open_per_domain",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done"]),
                name="display_check_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain_id} @ {self.finished_at or self.queued_at:%Y-%m-%d %H:%M}"

    def sync_organization(self) -> None:
        super().sync_organization()
        if self.domain_id is not None and self.operator_id is None:
            self.operator_id = self.domain.operator_id

    @property
    def html_bytes(self) -> bytes:
        """The page as fetched, byte for byte (b"" when none was kept)."""
        if not self.html_gz:
            return b""
        return zlib.decompress(bytes(self.html_gz))

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "error")

    @property
    def passed(self) -> bool:
        return self.status == CheckStatus.DONE and not self.findings
