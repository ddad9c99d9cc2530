"""What the WeChat third-party platform tells us besides filing states.

PushEvent: every push that reached the endpoint, accepted or refused (forged, replayed,
undecryptable), without its secrets. FaceVerifyTask: a face-verification task of a
mini-program's responsible person (`create_icp_verifytask`), valid 3 days (1 day in the
combined certification flow). CertificationReview: the mini-program's certification annual
review (年审) expiry WeChat announced with `notify_3rd_wxa_wxverify`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import ConnectorAccount


class PushOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    FORGED = "forged", _("Refused: bad signature")
    REPLAYED = "replayed", _("Refused: replayed")
    STALE = "stale", _("Refused: timestamp out of window")
    UNDECRYPTABLE = "undecryptable", _("Refused: cannot decrypt")
    MALFORMED = "malformed", _("Refused: malformed")


class PushEvent(models.Model):
    account = models.ForeignKey(
        ConnectorAccount,
        on_delete=models.CASCADE,
        related_name="pushes",
        verbose_name=_("account"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=PushOutcome.choices)
    # The signed query: with the body they identify a push (a replay repeats them).
    timestamp = models.BigIntegerField(_("timestamp"), null=True, blank=True)
    nonce = models.CharField(_("nonce"), max_length=64, blank=True)
    msg_signature = models.CharField(_("signature"), max_length=64, blank=True)
    info_type = models.CharField(_("type"), max_length=64, blank=True)
    appid = models.CharField(_("AppID"), max_length=64, blank=True)
    remote_addr = models.GenericIPAddressField(_("from"), null=True, blank=True)
    # The decrypted message's fields that are not secrets (a ticket or a code never is here).
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("push received")
        verbose_name_plural = _("pushes received")
        constraints = [
            # An accepted push is unique by its signature: the same one again is a replay.
            models.UniqueConstraint(
                fields=["account", "msg_signature"],
                condition=Q(outcome="accepted"),
                name="pushevent_accepted_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.info_type or '?'} {self.get_outcome_display()}"


class FaceTaskState(models.TextChoices):
    PENDING = "pending", _("Waiting for the person")
    SUCCEEDED = "succeeded", _("Verified")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class FaceVerifyTask(models.Model):
    account = models.ForeignKey(
        ConnectorAccount,
        on_delete=models.CASCADE,
        related_name="face_tasks",
        verbose_name=_("account"),
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mini-program / app"),
    )
    task_id = models.CharField(_("task id"), max_length=100)
    along_with_auth = models.BooleanField(_("with certification (combined flow)"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    state = models.CharField(
        _("state"), max_length=20, choices=FaceTaskState.choices, default=FaceTaskState.PENDING
    )
    face_status = models.PositiveSmallIntegerField(_("face status"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("face-verification task")
        verbose_name_plural = _("face-verification tasks")
        constraints = [
            models.UniqueConstraint(fields=["account", "task_id"], name="facetask_unique")
        ]

    def __str__(self) -> str:
        return self.task_id


class CertificationReview(models.Model):
    account = models.ForeignKey(
        ConnectorAccount,
        on_delete=models.CASCADE,
        related_name="certification_reviews",
        verbose_name=_("account"),
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mini-program / app"),
    )
    expires_at = models.DateTimeField(_("certification expires"))
    notified_at = models.DateTimeField(_("last announced"), default=timezone.now)
    # Set by a person once the annual review is done (WeChat then stops announcing it).
    renewed_on = models.DateField(_("renewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification annual review")
        verbose_name_plural = _("certification annual reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "miniprogram"], name="certreview_one_per_miniprogram"
            )
        ]

    def __str__(self) -> str:
        return f"{self.miniprogram_id} {self.expires_at:%Y-%m-%d}"
