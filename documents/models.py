"""Uploaded filing materials (business licences, ID copies, commitment letters, licences)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date_range
from core.models import CleanTextModel
from icp import checklist as icp_checklist
from miniprograms.ownership import DerivedOrganization

_D = icp_checklist.DocType
_L = icp_checklist.DOC_TYPE_LABELS


class DocType(models.TextChoices):
    """Django choices for `icp.checklist.DocType`; values and labels are defined there."""

    BUSINESS_LICENCE = _D.BUSINESS_LICENCE.value, _L[_D.BUSINESS_LICENCE]
    USCC_CERTIFICATE = _D.USCC_CERTIFICATE.value, _L[_D.USCC_CERTIFICATE]
    ENTITY_PERSON_ID = _D.ENTITY_PERSON_ID.value, _L[_D.ENTITY_PERSON_ID]
    SERVICE_PERSON_ID = _D.SERVICE_PERSON_ID.value, _L[_D.SERVICE_PERSON_ID]
    COMMITMENT_LETTER = _D.COMMITMENT_LETTER.value, _L[_D.COMMITMENT_LETTER]
    AUTHORISATION_LETTER = _D.AUTHORISATION_LETTER.value, _L[_D.AUTHORISATION_LETTER]
    PREAPPROVAL_LICENCE = _D.PREAPPROVAL_LICENCE.value, _L[_D.PREAPPROVAL_LICENCE]
    NO_PREAPPROVAL_COMMITMENT = _D.NO_PREAPPROVAL_COMMITMENT.value, _L[_D.NO_PREAPPROVAL_COMMITMENT]
    DOMAIN_CERTIFICATE = _D.DOMAIN_CERTIFICATE.value, _L[_D.DOMAIN_CERTIFICATE]
    OTHER = _D.OTHER.value, _L[_D.OTHER]


def document_upload_to(instance: Document, filename: str) -> str:
    # A random name: the original file name may carry personal data (an ID number).
    ext = PurePosixPath(filename).suffix.lower()
    return f"documents/{instance.organization_id}/{instance.operator_id}/{uuid.uuid4().hex}{ext}"


class Document(CleanTextModel, DerivedOrganization):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        editable=False,
        verbose_name=_("organization"),
    )
    operator = models.ForeignKey(
        "miniprograms.Operator",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("operator"),
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("mini-program / app"),
    )
    domain = models.ForeignKey(
        "miniprograms.Domain",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("domain"),
    )
    preapproval = models.ForeignKey(
        "miniprograms.PreApproval",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("pre-approval"),
    )
    filing = models.ForeignKey(
        "filings.FilingApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("filing application"),
    )
    doc_type = models.CharField(_("document type"), max_length=32, choices=DocType.choices)
    name = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(max_length=50, verbose_name=_("content type"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=[validate_date_range]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(miniprogram__isnull=True) | Q(domain__isnull=True),
                name="document_one_service",
            ),
            models.CheckConstraint(
                condition=Q(doc_type__in=DocType.values), name="document_type_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "operator"]),
            models.Index(fields=["organization", "expires_on"]),
        ]

    def __str__(self) -> str:
        return self.name


class LicenceAnnualReport(CleanTextModel, DerivedOrganization):
    """One year's annual report of a commercial ICP licence, with the receipt as evidence.

    The receipt is an uploaded Document (same type/size checks and storage as every filing
    material); recording a report also moves `IcpLicence.last_annual_report_year`, which the
    `licence_annual_report` rule reads.
    """

    organization_source = "licence"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, editable=False
    )
    licence = models.ForeignKey(
        "miniprograms.IcpLicence",
        on_delete=models.CASCADE,
        related_name="annual_reports",
        verbose_name=_("ICP licence"),
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    filed_on = models.DateField(_("filed on"), validators=[validate_date_range])
    receipt = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["licence", "-year"]
        verbose_name = _("licence annual report")
        verbose_name_plural = _("licence annual reports")
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "year"], name="licence_annual_report_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence} · {self.year}"
