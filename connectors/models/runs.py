"""One run of a connector: when, why, what it saw, what it changed, what went wrong."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import ConnectorAccount


class SyncTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Sync now")
    PUSH = "push", _("Vendor push")
    RESUME = "resume", _("Resumed after backing off")
    CHECK = "check", _("Credential check")


class SyncStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    PARTIAL = "partial", _("Finished with errors")
    FAILED = "failed", _("Failed")
    CREDENTIAL_ERROR = "credential_error", _("Credentials refused")
    DEFERRED = "deferred", _("Deferred (vendor quota)")
    SKIPPED = "skipped", _("Skipped (another sync was running)")


class SyncRun(models.Model):
    account = models.ForeignKey(
        ConnectorAccount, on_delete=models.CASCADE, related_name="runs", verbose_name=_("account")
    )
    trigger = models.CharField(_("trigger"), max_length=20, choices=SyncTrigger.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=SyncStatus.choices, default=SyncStatus.RUNNING
    )
    # For a push: the one object to sync (a mini-program's AppID); empty: everything.
    only = models.CharField(_("only"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    objects_seen = models.PositiveIntegerField(_("objects seen"), default=0)
    changes_applied = models.PositiveIntegerField(_("changes applied"), default=0)
    findings = models.PositiveIntegerField(_("findings"), default=0)
    # [{"object": "wx…", "message": "…"}]: what failed, object by object (no secrets).
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    # Where a deferred run resumes (objects before it are done) and when.
    cursor = models.PositiveIntegerField(default=0)
    resume_at = models.DateTimeField(_("resumes at"), null=True, blank=True)
    resumed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        indexes = [models.Index(fields=["account", "-started_at"], name="syncrun_account_recent")]

    def __str__(self) -> str:
        return f"{self.account} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
