"""Issue #13 acceptance: a provider notice with a deadline 20 hours away shows in Today,
reminds on its hour ladder exactly once per step (the sweep runs three times at each hour),
escalates when missed, and moves the service to access cancelled."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from compliance import tracking
from compliance.models import ComplianceItem
from compliance.rules import RuleCode as R
from dashboard.compliance import overview_today
from miniprograms.models import RecordState, RecordStateChange
from monitoring.models import NoticeProvider, NoticeState
from monitoring.notices.services import expire_missed_notices, notice_record
from notifications import services as notifications
from notifications.models import Notification, Reminder, ReminderStatus
from tests.factories import DomainFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=BEIJING)
DEADLINE = RECEIVED + datetime.timedelta(hours=20)  # 2026-03-11 05:00 Beijing
H = datetime.timedelta(hours=1)


def _sweep_three_times() -> None:
    for _ in range(3):
        notifications.sweep_run_inline(as_of=timezone.localdate())


def _steps(notice) -> list[tuple[str, str]]:
    return list(
        Reminder.objects.filter(subject_type="notice", subject_id=notice.pk, rule=R.PROVIDER_NOTICE)
        .order_by("due_at", "pk")
        .values_list("step", "status")
    )


def test_notice_20_hours_away_today_hour_ladder_escalation_and_access_cancelled(
    operator, editor, manager
):
    domain = DomainFactory(
        operator=operator,
        icp_number="粤ICP备2024000001号-1",
        record_state=RecordState.FILED,
        live_since=datetime.date(2025, 1, 1),
    )
    with time_machine.travel(RECEIVED, tick=False):
        notice = notice_record(
            user=editor,
            service=domain,
            provider=NoticeProvider.ALIBABA,
            received_at=RECEIVED,
            deadline_at=DEADLINE,
            fields_to_fix=["网站负责人手机号"],
        )
        tracking.flush()
        today = overview_today(user=manager, organization_id=None, as_of=timezone.localdate())
        in_today = [i for i in today["today"].rows if i.rule == R.PROVIDER_NOTICE]
        assert [(i.subject_id, i.status, i.due_at) for i in in_today] == [
            (notice.pk, "due_soon", DEADLINE)
        ]
        _sweep_three_times()
        assert _steps(notice) == [("hours:24", ReminderStatus.SENT)]

    for hours_before, step in ((12, "hours:12"), (4, "hours:4"), (1, "hours:1")):
        with time_machine.travel(DEADLINE - hours_before * H, tick=False):
            _sweep_three_times()
            assert _steps(notice)[-1] == (step, ReminderStatus.SENT)
    assert [s for s, _status in _steps(notice)] == ["hours:24", "hours:12", "hours:4", "hours:1"]

    with time_machine.travel(DEADLINE + 10 * datetime.timedelta(minutes=1), tick=False):
        tracking.advance()
        row = ComplianceItem.objects.get(
            subject_type="notice", subject_id=notice.pk, rule=R.PROVIDER_NOTICE, closed_at=None
        )
        assert row.status == "overdue"
        _sweep_three_times()
        assert expire_missed_notices() == 1
        assert expire_missed_notices() == 0  # a second run finds nothing to do

    steps = _steps(notice)
    assert [s for s, _status in steps] == [
        "hours:24",
        "hours:12",
        "hours:4",
        "hours:1",
        "escalation",
    ]
    assert {status for _s, status in steps} == {ReminderStatus.SENT}
    # Each step reached the manager once (three sweeps at each hour sent nothing twice).
    got = list(
        Notification.objects.filter(
            user=manager,
            reminder__subject_type="notice",
            reminder__subject_id=notice.pk,
            reminder__rule=R.PROVIDER_NOTICE,
        )
        .order_by("reminder__due_at")
        .values_list("reminder__step", flat=True)
    )
    assert got == ["hours:24", "hours:12", "hours:4", "hours:1", "escalation"]
    domain.refresh_from_db()
    notice.refresh_from_db()
    assert domain.record_state == RecordState.ACCESS_CANCELLED
    assert domain.record_state_since == datetime.date(2026, 3, 11)
    assert notice.state == NoticeState.ACCESS_CANCELLED
    change = RecordStateChange.objects.get(domain=domain)
    assert (change.from_state, change.to_state, change.source, change.actor) == (
        "filed",
        "access_cancelled",
        "provider_notice",
        None,
    )
