"""Windows measured in hours (the MIIT SMS check) turn overdue at their hour, not at midnight:
in the engine evaluated against now, in the stored rows, and in what pages read."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from compliance import tasks, tracking
from compliance.engine import compliance_items
from compliance.models import ComplianceItem, ComplianceItemEvent, OperatorCompliance
from compliance.rules import RuleCode as R
from compliance.selectors import overdue_q
from compliance.store import refresh_operators
from filings.models import FilingStatus
from tests.factories import FilingFactory, OperatorFactory

from .helpers import at_beijing

pytestmark = pytest.mark.django_db
D = datetime.date
MINUTE = datetime.timedelta(minutes=1)
ENTERED = at_beijing(D(2024, 5, 6), 14, 20)
ENDS = ENTERED + datetime.timedelta(hours=24)  # 2024-05-07 14:20 Beijing


@pytest.fixture
def sms_filing():
    operator = OperatorFactory()
    return FilingFactory(
        miniprogram__operator=operator,
        status=FilingStatus.SMS_VERIFICATION,
        status_entered_at=ENTERED,
    )


DAY_OF_ENDS = D(2024, 5, 7)


def sms_item(filing, *, now=None, as_of=DAY_OF_ENDS):
    found = [
        i
        for i in compliance_items(as_of=as_of, rules=[R.SMS_VERIFICATION_WINDOW], now=now)
        if i.subject_id == filing.pk
    ]
    assert len(found) == 1, found
    return found[0]


def sms_row(filing) -> ComplianceItem:
    return ComplianceItem.objects.get(
        subject_type="filing",
        subject_id=filing.pk,
        rule=R.SMS_VERIFICATION_WINDOW,
        closed_at__isnull=True,
    )


def test_engine_against_now_closes_the_window_at_its_hour(sms_filing):
    before = sms_item(sms_filing, now=ENDS - MINUTE)
    assert (before.status, before.due_at, before.changes_at) == ("due_soon", ENDS, ENDS)
    assert before.changes_on is None
    after = sms_item(sms_filing, now=ENDS + MINUTE)
    assert (after.status, after.due_date) == ("overdue", D(2024, 5, 7))
    assert after.changes_at is None
    # "As of" the whole day (another date on the pages): overdue from the day after.
    assert sms_item(sms_filing).status == "due_soon"
    assert sms_item(sms_filing, as_of=D(2024, 5, 8)).status == "overdue"


def test_now_must_be_on_the_day_evaluated(sms_filing):
    with pytest.raises(ValueError, match="is not on 2024-05-08"):
        compliance_items(as_of=D(2024, 5, 8), now=ENDS)


def test_stored_row_turns_overdue_when_advance_runs_after_the_hour(sms_filing):
    tracking.discard_pending()
    with time_machine.travel(ENDS - MINUTE, tick=False):
        refresh_operators([sms_filing.operator_id])
        row = sms_row(sms_filing)
        assert (row.status, row.changes_at) == ("due_soon", ENDS)
        summary = OperatorCompliance.objects.get(operator_id=sms_filing.operator_id)
        assert ComplianceItem.objects.filter(overdue_q(ENDS - MINUTE), pk=row.pk).count() == 0
        # Nothing to do yet: the hour has not come.
        assert tasks.advance_task.apply().get()["operators"] == 0
        assert sms_row(sms_filing).status == "due_soon"
    with time_machine.travel(ENDS + MINUTE, tick=False):
        # Before the task runs, pages already count it as overdue (and show it so).
        assert ComplianceItem.objects.filter(overdue_q(ENDS + MINUTE), pk=row.pk).count() == 1
        assert sms_row(sms_filing).current_status == "overdue"
        assert tasks.advance_task.apply().get()["operators"] == 1
        row = sms_row(sms_filing)
        assert (row.status, row.changes_at, row.severity) == ("overdue", None, 3)
        summary_now = OperatorCompliance.objects.get(operator_id=sms_filing.operator_id)
        assert (summary_now.overdue, summary_now.due_soon) == (
            summary.overdue + 1,
            summary.due_soon - 1,
        )
        event = ComplianceItemEvent.objects.filter(item=row, kind="status").get()
        assert (event.from_status, event.to_status) == ("due_soon", "overdue")
        # The clock explains the change: a reconcile finds no drift, and advance is done.
        assert tracking.reconcile().drift == []
        assert tasks.advance_task.apply().get()["operators"] == 0


def test_a_due_soon_row_without_an_hour_is_not_overdue_before_its_day(sms_filing):
    tracking.discard_pending()
    with time_machine.travel(ENDS - MINUTE, tick=False):
        refresh_operators([sms_filing.operator_id])
        ComplianceItem.objects.filter(pk=sms_row(sms_filing).pk).update(due_at=None)
        row = sms_row(sms_filing)
        assert row.current_status == "due_soon"
    with time_machine.travel(ENDS + MINUTE, tick=False):
        assert ComplianceItem.objects.filter(overdue_q(ENDS + MINUTE), pk=row.pk).count() == 0
