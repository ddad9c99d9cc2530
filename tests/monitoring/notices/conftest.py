"""Fixtures for the notice pages and API: a filed domain of `operator`, signed-in clients."""

from __future__ import annotations

import datetime

import pytest

from miniprograms.models import RecordState
from tests.factories import DomainFactory


@pytest.fixture
def domain(operator):
    return DomainFactory(
        operator=operator,
        name="pengcheng.cn",
        icp_number="粤ICP备2024000001号-1",
        record_state=RecordState.FILED,
        live_since=datetime.date(2025, 1, 1),
    )
