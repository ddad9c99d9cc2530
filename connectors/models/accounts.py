"""A connector account: one organization's credentials at one vendor, and its schedule.

The credentials are a JSON object kept as Fernet ciphertext (`core.pii.EncryptedTextField`,
the key handling of ID numbers); pages, the API, the admin, logs and the audit log only ever
see them masked (`connectors.credentials`). Tokens the vendor hands out (WeChat's component
and authorizer tokens, the pushed ticket) are kept encrypted beside it with their expiry.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import CleanTextModel, TimeStampedModel
from core.pii import EncryptedTextField


class AccountHealth(models.TextChoices):
    UNKNOWN = "unknown", _("Not checked yet")
    OK = "ok", _("Working")
    CREDENTIAL_ERROR = "credential_error", _("Credentials refused")
    FAILING = "failing", _("Failing")
    BACKING_OFF = "backing_off", _("Backing off (vendor quota)")


class ConnectorAccount(CleanTextModel, TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="connector_accounts",
        verbose_name=_("organization"),
    )
    # A key of connectors.registry (validated there; new kinds need no migration).
    kind = models.CharField(_("kind"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    # The filing entity whose own cloud account this is (Tencent Cloud); empty for a platform
    # that files for many operators (WeChat third-party platform).
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="connector_accounts",
        verbose_name=_("filing entity"),
    )
    # JSON object of the kind's credential fields; never shown unmasked.
    credentials = EncryptedTextField(_("credentials"), editable=False)
    # Routes pushes to this account (the push URL carries it; not a secret).
    push_key = models.UUIDField(_("push key"), default=uuid.uuid4, unique=True, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    cadence_minutes = models.PositiveIntegerField(
        _("sync every (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(7 * 24 * 60)],
    )
    next_sync_at = models.DateTimeField(_("next sync"), null=True, blank=True, db_index=True)
    # Set from the vendor's quota answers: nothing is called before this instant.
    backoff_until = models.DateTimeField(_("backing off until"), null=True, blank=True)
    # A sync holds the account until this instant (lease), so two never run at once.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    health = models.CharField(
        _("health"), max_length=20, choices=AccountHealth.choices, default=AccountHealth.UNKNOWN
    )
    health_message = models.TextField(_("last problem"), blank=True)
    checked_at = models.DateTimeField(_("credentials checked"), null=True, blank=True)
    last_synced_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["organization", "name", "id"]
        verbose_name = _("connector account")
        verbose_name_plural = _("connector accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="connector_account_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def actor_label(self) -> str:
        """Who the timeline and the audit log say acted: `connector:<kind>`."""
        return f"connector:{self.kind}"

    def credential_values(self) -> dict[str, Any]:
        try:
            data = json.loads(self.credentials or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def set_credential_values(self, values: dict[str, Any]) -> None:
        self.credentials = json.dumps(values, ensure_ascii=False, sort_keys=True)

    def is_backing_off(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.backoff_until is not None and self.backoff_until > now


class ConnectorToken(models.Model):
    """A value the vendor handed out (a token, the pushed ticket, a refresh token), encrypted,
    with its expiry. `name` says which: "component_verify_ticket", "component_access_token",
    "authorizer_access_token:<appid>", "authorizer_refresh_token:<appid>"."""

    account = models.ForeignKey(
        ConnectorAccount, on_delete=models.CASCADE, related_name="tokens", editable=False
    )
    name = models.CharField(max_length=120)
    value = EncryptedTextField()
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("connector token")
        verbose_name_plural = _("connector tokens")
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="connector_token_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def is_fresh(self, now: Any = None, *, margin_seconds: int = 300) -> bool:
        if not self.value:
            return False
        if self.expires_at is None:
            return True
        now = now or timezone.now()
        return (self.expires_at - now).total_seconds() > margin_seconds
