"""Verifications of a filed service after approval (issue #13 §4, §5).

ServiceVerification: a person's proof that the record is true — the About screen of an app or
mini-program shows its number, or the MIIT lookup shows the record (MIIT issues no
certificate: the screenshot of the lookup result is the proof providers and agencies accept).
MiitLookup: one automatic lookup through a third-party service (monitoring.verify.backends),
kept with its raw answer and reconciled with the register by the `miit_record_mismatch` rule.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date_range
from core.models import CleanTextModel
from miniprograms.ownership import DerivedOrganization

if TYPE_CHECKING:
    from miniprograms.models import Domain, MiniProgram


class VerificationKind(models.TextChoices):
    ABOUT_SCREEN = "about_screen", _("About screen shows the number")
    MIIT_LOOKUP = "miit_lookup", _("MIIT record looked up")


class LookupStatus(models.TextChoices):
    FOUND = "found", _("Found")
    NOT_FOUND = "not_found", _("Not found")
    CANCELLED = "cancelled", _("Found, cancelled")
    ERROR = "error", _("Lookup failed")


def evidence_upload_to(instance: ServiceVerification, filename: str) -> str:
    # A random name: the original one may say more than it should.
    ext = PurePosixPath(filename).suffix.lower()
    return (
        f"monitoring/verifications/{instance.organization_id}/{instance.operator_id}/"
        f"{uuid.uuid4().hex}{ext}"
    )


class _ServiceRow(CleanTextModel, DerivedOrganization):
    """Abstract: a row about one filed service (a mini-program/app or a domain) of an operator."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("operator"),
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mini-program / app"),
    )
    domain = models.ForeignKey(
        "miniprograms.Domain",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("domain"),
    )

    class Meta:
        abstract = True

    @property
    def service(self) -> MiniProgram | Domain | None:
        return self.miniprogram if self.miniprogram_id else self.domain

    @property
    def service_type(self) -> str:
        return "miniprogram" if self.miniprogram_id else "domain"


def _one_service(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(miniprogram__isnull=True) & Q(domain__isnull=False))
        | (Q(miniprogram__isnull=False) & Q(domain__isnull=True)),
        name=name,
    )


class ServiceVerification(_ServiceRow):
    """Evidence that a filed service's record or display was checked by a person."""

    kind = models.CharField(_("kind"), max_length=20, choices=VerificationKind.choices)
    # The number on record when it was verified (what the screenshot had to show).
    number = models.CharField(_("filing number"), max_length=40, blank=True)
    verified_on = models.DateField(_("verified on"), validators=[validate_date_range])
    note = models.TextField(_("note"), blank=True)
    screenshot = models.FileField(_("screenshot"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-verified_on", "-id"]
        verbose_name = _("service verification")
        verbose_name_plural = _("service verifications")
        constraints = [
            _one_service("verification_one_service"),
            models.CheckConstraint(
                condition=Q(kind__in=VerificationKind.values), name="verification_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "verified_on"]),
            models.Index(fields=["miniprogram", "kind", "verified_on"]),
            models.Index(fields=["domain", "kind", "verified_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.verified_on}"


class MiitLookup(_ServiceRow):
    """One automatic lookup of a service's record through the configured backend."""

    queried_at = models.DateTimeField(_("queried at"), default=timezone.now)
    backend = models.CharField(_("backend"), max_length=30)
    query = models.CharField(_("query"), max_length=255)
    status = models.CharField(_("result"), max_length=20, choices=LookupStatus.choices)
    entity_name = models.CharField(_("entity name"), max_length=200, blank=True)
    number = models.CharField(_("filing number"), max_length=60, blank=True)
    error = models.TextField(_("error"), blank=True)
    raw = models.JSONField(_("answer"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        ordering = ["-queried_at", "-id"]
        verbose_name = _("MIIT lookup")
        verbose_name_plural = _("MIIT lookups")
        constraints = [
            _one_service("lookup_one_service"),
            models.CheckConstraint(
                condition=Q(status__in=LookupStatus.values), name="lookup_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "queried_at"]),
            models.Index(fields=["miniprogram", "queried_at"]),
            models.Index(fields=["domain", "queried_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.query} {self.get_status_display()}"
