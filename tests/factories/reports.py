"""Factories for report runs and spreadsheet import runs."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from reports.models import ImportRun, ReportRun

from .accounts import MembershipFactory


class ReportRunFactory(DjangoModelFactory[ReportRun]):
    """A pending portfolio report requested by a manager of the organization."""

    class Meta:
        model = ReportRun
        exclude = ["membership"]

    membership = factory.SubFactory(MembershipFactory)
    user = factory.SelfAttribute("membership.user")
    organization = factory.SelfAttribute("membership.organization")
    kind = "portfolio"
    params = factory.Dict({"as_of": "2025-06-30"})


class ImportRunFactory(DjangoModelFactory[ImportRun]):
    """A pending import of a small spreadsheet by a manager of the organization."""

    class Meta:
        model = ImportRun
        exclude = ["membership"]

    membership = factory.SubFactory(MembershipFactory)
    user = factory.SelfAttribute("membership.user")
    organization = factory.SelfAttribute("membership.organization")
    file = factory.django.FileField(filename="register.xlsx", data=b"PK\x03\x04 not a real xlsx")
    filename = "register.xlsx"
