"""Factories for provider notices and record changes. The organization flows from the
service's operator. Re-exported by tests/factories (every model has a factory)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from miniprograms.models import RecordStateChange
from monitoring.models import NoticeProvider, NoticeState, ProviderNotice
from tests.factories.miniprograms import DomainFactory

BEIJING = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=BEIJING)


class ProviderNoticeFactory(DjangoModelFactory[ProviderNotice]):
    class Meta:
        model = ProviderNotice

    domain = factory.SubFactory(
        DomainFactory, icp_number="粤ICP备2024000001号-1", record_state="filed"
    )
    operator = factory.LazyAttribute(lambda o: (o.domain or o.miniprogram).operator)
    miniprogram = None
    organization = factory.SelfAttribute("operator.organization")
    provider = NoticeProvider.ALIBABA
    received_at = RECEIVED
    deadline_at = factory.LazyAttribute(lambda o: o.received_at + datetime.timedelta(hours=24))
    fields_to_fix = factory.LazyFunction(lambda: ["网站负责人手机号"])
    state = NoticeState.OPEN


class RecordStateChangeFactory(DjangoModelFactory[RecordStateChange]):
    class Meta:
        model = RecordStateChange

    domain = factory.SubFactory(
        DomainFactory, icp_number="粤ICP备2024000001号-1", record_state="access_cancelled"
    )
    miniprogram = None
    operator = factory.SelfAttribute("domain.operator")
    organization = factory.SelfAttribute("operator.organization")
    from_state = "filed"
    to_state = "access_cancelled"
    effective_on = datetime.date(2026, 3, 11)
    source = "provider_notice"
