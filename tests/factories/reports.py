"""Factories for report runs."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from reports.models import ReportRun

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
