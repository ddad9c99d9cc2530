"""Factories for spreadsheet import runs."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from imports.models import ImportRun

from .accounts import MembershipFactory


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
