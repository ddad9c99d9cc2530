"""Factories for verifications and lookups (a small PNG under MEDIA_ROOT for evidence)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from monitoring.models.verify import (
    LookupStatus,
    MiitLookup,
    ServiceVerification,
    VerificationKind,
)
from tests.factories.miniprograms import DomainFactory, MiniProgramFactory

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class ServiceVerificationFactory(DjangoModelFactory[ServiceVerification]):
    """An About-screen screenshot of a mini-program (pass domain=… and miniprogram=None for
    a domain)."""

    class Meta:
        model = ServiceVerification

    miniprogram = factory.SubFactory(MiniProgramFactory, icp_number="粤ICP备2024000001号-1X")
    domain = None
    operator = factory.LazyAttribute(lambda o: (o.miniprogram or o.domain).operator)
    organization = factory.SelfAttribute("operator.organization")
    kind = VerificationKind.ABOUT_SCREEN
    number = factory.LazyAttribute(lambda o: (o.miniprogram or o.domain).icp_number)
    verified_on = datetime.date(2026, 1, 10)
    screenshot = factory.django.FileField(filename="about.png", data=PNG_BYTES)
    original_name = "about.png"
    content_type = "image/png"
    size = len(PNG_BYTES)
    created_at = factory.LazyFunction(timezone.now)


class MiitLookupFactory(DjangoModelFactory[MiitLookup]):
    class Meta:
        model = MiitLookup

    miniprogram = None
    # a domain of its own unless the lookup is about a mini-program
    domain = factory.Maybe(
        "miniprogram",
        yes_declaration=None,
        no_declaration=factory.SubFactory(DomainFactory, icp_number="粤ICP备2024000001号-1"),
    )
    operator = factory.LazyAttribute(lambda o: (o.miniprogram or o.domain).operator)
    organization = factory.SelfAttribute("operator.organization")
    backend = "http"
    query = "example.cn"
    status = LookupStatus.FOUND
    entity_name = factory.SelfAttribute("operator.name_zh")
    number = factory.LazyAttribute(lambda o: (o.miniprogram or o.domain).icp_number)
