"""Dates out of range are refused when a notice is recorded, and a notice that cannot be
applied never holds up the missed deadlines of the others."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from miniprograms.models import Domain
from monitoring.models import ProviderNotice
from monitoring.notices import services
from monitoring.notices.services import expire_missed_notices, notice_record
from tests.factories import DomainFactory

from .factories import ProviderNoticeFactory

pytestmark = pytest.mark.django_db


def test_a_deadline_in_1999_is_refused_and_nothing_is_stored(editor, operator):
    domain = DomainFactory(operator=operator, icp_number="粤ICP备2024286477号-1")
    long_ago = datetime.datetime(1999, 12, 30, 9, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as refused:
        notice_record(
            user=editor,
            service=domain,
            provider="alibaba",
            received_at=long_ago,
            deadline_at=long_ago + datetime.timedelta(days=1),
        )
    assert "deadline_at" in refused.value.message_dict
    assert not ProviderNotice.objects.exists()


def test_one_notice_that_fails_leaves_the_others_applied(operator):
    now = timezone.now()
    first = ProviderNoticeFactory(
        domain__operator=operator,
        received_at=now - datetime.timedelta(hours=30),
        deadline_at=now - datetime.timedelta(hours=6),
    )
    second = ProviderNoticeFactory(
        domain__operator=operator,
        received_at=now - datetime.timedelta(hours=30),
        deadline_at=now - datetime.timedelta(hours=5),
    )
    real = services._expire_one

    def fail_first(notice, at):
        if notice.pk == first.pk:
            raise ValueError("broken row")
        real(notice, at)

    with mock.patch.object(services, "_expire_one", side_effect=fail_first):
        assert expire_missed_notices(now=now) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "open"
    assert second.state == "access_cancelled"
    domain = Domain.objects.get(provider_notices=second)
    assert domain.record_state == "access_cancelled"
