"""Import runs: who uploaded which file, what the preview found, and what was written."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")  # uploaded, preview queued
    VALIDATING = "validating", _("Validating")  # preview running
    VALID = "valid", _("Ready to import")  # preview found no errors
    INVALID = "invalid", _("Has errors")  # preview found bad rows; nothing can be written
    QUEUED = "queued", _("Import queued")  # commit requested, task not started
    COMMITTING = "committing", _("Importing")  # commit running
    COMMITTED = "committed", _("Imported")  # everything written
    FAILED = "failed", _("Failed")  # unexpected error
    DISCARDED = "discarded", _("Discarded")  # abandoned or past retention: the file is deleted


class ImportRun(TimeStampedModel):
    """One uploaded file: preview (validation of every row), then an all-or-nothing commit."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_runs",
        verbose_name=_("user"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    sheet = models.CharField(_("sheet (CSV only)"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # [{"sheet", "row", "field", "reason"}]: every bad row, never the values themselves (PII).
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # {"operators": {"create": n, "update": n, "unchanged": n}, ...}
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        # The table predates the app: it was created as reports.ImportRun.
        db_table = "reports_importrun"
        ordering = ["-created_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values),
                name="import_run_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="import_run_progress_max_100"
            ),
        ]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.filename

    @property
    def changes(self) -> int:
        """Rows the check found to create or update (0: the register already holds the file)."""
        return sum(c.get("create", 0) + c.get("update", 0) for c in (self.summary or {}).values())

    @property
    def nothing_to_import(self) -> bool:
        """Checked without a problem, and every row is already in the register as written."""
        return (
            self.status in (ImportStatus.VALID, ImportStatus.COMMITTED)
            and bool(self.summary)
            and not self.errors
            and self.changes == 0
        )
