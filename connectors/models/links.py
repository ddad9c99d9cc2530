"""What a connector knows about each vendor object, and what it could not reconcile.

ConnectorLink ties a vendor object (a WeChat AppID, a domain at Tencent Cloud, the entity) to
our register row and keeps the last vendor state it applied with its digest: the same state
seen again changes nothing. ConnectorFinding is what a person must look at: an object with no
register row, a vendor state the workflow table cannot reach from ours, a number that fails
its checks.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import ConnectorAccount


class LinkKind(models.TextChoices):
    MINIPROGRAM = "miniprogram", _("Mini-program / app")
    DOMAIN = "domain", _("Domain")
    ENTITY = "entity", _("Filing entity")


class ConnectorLink(models.Model):
    account = models.ForeignKey(
        ConnectorAccount, on_delete=models.CASCADE, related_name="links", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    # The vendor's identifier: an AppID, a domain name, an order id.
    external_id = models.CharField(_("vendor identifier"), max_length=200)
    label = models.CharField(_("name at the vendor"), max_length=200, blank=True)
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mini-program / app"),
    )
    domain = models.ForeignKey(
        "miniprograms.Domain",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("domain"),
    )
    # The application that follows the vendor's current order.
    filing = models.ForeignKey(
        "filings.FilingApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filing application"),
    )
    # The vendor's state as last read (no secrets), and the digest of the part applied.
    vendor_state = models.JSONField(_("vendor state"), default=dict, blank=True)
    applied_digest = models.CharField(max_length=64, blank=True, editable=False)
    seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    applied_at = models.DateTimeField(_("last applied"), null=True, blank=True)
    # The vendor no longer lists it (authorization revoked).
    gone_at = models.DateTimeField(_("no longer listed since"), null=True, blank=True)

    class Meta:
        ordering = ["account", "external_id"]
        verbose_name = _("connector link")
        verbose_name_plural = _("connector links")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind", "external_id"], name="connector_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.external_id}"

    @property
    def subject(self):
        return self.miniprogram or self.domain


class FindingCode(models.TextChoices):
    UNLINKED = "unlinked", _("Not in the register")
    UNREACHABLE_STATE = "unreachable_state", _("Vendor state not reachable from ours")
    BAD_NUMBER = "bad_number", _("Number refused")
    NOT_FILED = "not_filed", _("Vendor says not filed")
    UNKNOWN_STATUS = "unknown_status", _("Unknown vendor status")
    REVOKED = "revoked", _("Authorization revoked")
    CANCELING = "canceling", _("Cancellation in progress")
    BANNED = "banned", _("Blocked by the vendor")


class ConnectorFinding(models.Model):
    account = models.ForeignKey(
        ConnectorAccount,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("account"),
    )
    link = models.ForeignKey(
        ConnectorLink,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("vendor object"),
    )
    code = models.CharField(_("kind"), max_length=30, choices=FindingCode.choices)
    # Stored in the language-neutral form the connector wrote (vendor words, codes, numbers).
    message = models.TextField(_("message"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("found"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("connector finding")
        verbose_name_plural = _("connector findings")
        constraints = [
            # One open finding of a kind per object: seeing it again does not add rows.
            models.UniqueConstraint(
                fields=["link", "code"],
                condition=Q(resolved_at__isnull=True),
                name="connector_finding_open_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.message[:60]}"
