"""Factories of the display checker's rows."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from monitoring.models import CheckStatus, DisplayCheck, LinkTarget, MonitoringSettings
from tests.factories.accounts import OrganizationFactory
from tests.factories.miniprograms import DomainFactory, OperatorFactory

LIVE_SINCE = datetime.date(2025, 1, 1)


def live_domain(name: str, icp_number: str, psb_number: str = "", **kw):
    """A filed, live website; its operator in the province of the number's first character."""
    province = {"京": "110000", "粤": "440000"}.get(icp_number[:1], "440000")
    operator = kw.pop("operator", None) or OperatorFactory(
        province_id=province,
        **({"organization": kw.pop("organization")} if "organization" in kw else {}),
    )
    return DomainFactory(
        operator=operator,
        name=name,
        icp_number=icp_number,
        psb_number=psb_number,
        live_since=kw.pop("live_since", LIVE_SINCE),
        **kw,
    )


class DisplayCheckFactory(DjangoModelFactory[DisplayCheck]):
    class Meta:
        model = DisplayCheck

    domain = factory.SubFactory(DomainFactory)
    operator = factory.SelfAttribute("domain.operator")
    status = CheckStatus.DONE
    finished_at = factory.LazyFunction(timezone.now)
    icp_number = factory.SelfAttribute("domain.icp_number")
    psb_number = factory.SelfAttribute("domain.psb_number")
    final_url = factory.LazyAttribute(lambda o: f"https://{o.domain.name}/")
    status_code = 200
    findings = factory.LazyFunction(list)


class LinkTargetFactory(DjangoModelFactory[LinkTarget]):
    class Meta:
        model = LinkTarget

    kind = "miit"
    pattern = factory.Sequence(lambda n: f"legacy{n}.miit.example.cn")
    verdict = "legacy"


class MonitoringSettingsFactory(DjangoModelFactory[MonitoringSettings]):
    class Meta:
        model = MonitoringSettings

    organization = factory.SubFactory(OrganizationFactory)
    display_cadence_days = 7
