"""Factories for the materials checklist's uploads."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from documents.models import Document, LicenceAnnualReport

from .miniprograms import IcpLicenceFactory, OperatorFactory

PDF_BYTES = b"%PDF-1.4\n% a test document\n%%EOF\n"


class DocumentFactory(DjangoModelFactory[Document]):
    """An operator's business licence (writes a small PDF under MEDIA_ROOT)."""

    class Meta:
        model = Document

    operator = factory.SubFactory(OperatorFactory)
    organization = factory.SelfAttribute("operator.organization")
    doc_type = "business_licence"
    name = "营业执照"
    file = factory.django.FileField(filename="licence.pdf", data=PDF_BYTES)
    original_name = "营业执照.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    expires_on = datetime.date(2035, 1, 1)


class LicenceAnnualReportFactory(DjangoModelFactory[LicenceAnnualReport]):
    """A licence's 2024 annual report with its receipt (a document of the same operator)."""

    class Meta:
        model = LicenceAnnualReport

    licence = factory.SubFactory(IcpLicenceFactory)
    organization = factory.SelfAttribute("licence.organization")
    year = 2024
    filed_on = datetime.date(2025, 3, 15)
    receipt = factory.SubFactory(
        DocumentFactory,
        operator=factory.SelfAttribute("..licence.operator"),
        doc_type="other",
        name="2024 annual report receipt",
        expires_on=None,
    )
