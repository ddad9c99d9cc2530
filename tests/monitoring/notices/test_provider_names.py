"""A notice's sentence names its provider in the reader's language (the row stores the msgid)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from compliance import tracking
from compliance.models import ComplianceItem
from compliance.rules import RuleCode as R
from monitoring.models import NoticeProvider
from monitoring.notices.evaluators import _PROVIDERS
from tests.monitoring.notices.factories import ProviderNoticeFactory

pytestmark = pytest.mark.django_db


def test_every_provider_has_a_translatable_name():
    assert set(_PROVIDERS) == set(NoticeProvider.values)


def test_the_item_reads_the_provider_in_each_language():
    now = timezone.now()
    ProviderNoticeFactory(
        provider=NoticeProvider.ALIBABA,
        received_at=now,
        deadline_at=now + datetime.timedelta(hours=20),
    )
    tracking.flush()
    item = ComplianceItem.objects.get(rule=R.PROVIDER_NOTICE, closed_at=None)
    with translation.override("zh-hans"):
        assert "阿里云" in item.message
        assert "Alibaba" not in item.message
    with translation.override("en"):
        assert "Alibaba Cloud" in item.message
