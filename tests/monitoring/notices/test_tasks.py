"""The notices tick: missed deadlines cancel access once, and operators with a deadline within
25 hours are re-planned (their hour reminders go out within one tick)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine

from monitoring.notices import tasks
from tests.factories import DomainFactory

from .factories import RECEIVED, ProviderNoticeFactory

pytestmark = pytest.mark.django_db


def test_tick_expires_missed_and_resyncs_near_deadlines(operator, other_operator):
    missed = ProviderNoticeFactory(domain__operator=operator)  # deadline RECEIVED + 24 h
    near = ProviderNoticeFactory(
        domain=DomainFactory(operator=other_operator),
        deadline_at=RECEIVED + datetime.timedelta(hours=40),
    )
    ProviderNoticeFactory(deadline_at=RECEIVED + datetime.timedelta(days=5))  # far away
    with (
        time_machine.travel(RECEIVED + datetime.timedelta(hours=25), tick=False),
        mock.patch.object(tasks, "enqueue_on_commit") as enqueue,
    ):
        first = tasks.notices_tick_task()
        second = tasks.notices_tick_task()

    assert first == {"expired": 1, "resynced": 2}
    assert second == {"expired": 0, "resynced": 2}  # the missed one still owes its fix
    resynced = {c.args for c in enqueue.call_args_list}
    assert resynced == {
        ("notifications.resync", missed.operator_id),
        ("notifications.resync", near.operator_id),
    }
    missed.refresh_from_db()
    assert missed.state == "access_cancelled"
