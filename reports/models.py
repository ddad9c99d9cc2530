"""Runs of PDF reports: who asked for what, when, and how far it got."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


def report_kind_choices() -> list[tuple[str, str]]:
    """The kinds of reports.kinds (imported when asked: it builds on other apps' models)."""
    from .kinds import report_kind_choices as registered

    return [(value, str(label)) for value, label in registered()]


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")  # created, task queued
    RUNNING = "running", _("Running")  # a worker (or the request) is building it
    DONE = "done", _("Done")  # file stored / preview ready
    FAILED = "failed", _("Failed")  # error holds the reason


class ReportRun(TimeStampedModel):
    """One generated PDF report. Kept as the record of who generated which report and when."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_runs",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=report_kind_choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="report_run_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_run_progress_max_100"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
