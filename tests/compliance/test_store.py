"""The maintained compliance rows: upserts, identity, history, the clock and reconcile."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance import tracking
from compliance.engine import compliance_items
from compliance.models import (
    CloseReason,
    ComplianceItem,
    ComplianceItemEvent,
    ComplianceRule,
    OperatorCompliance,
)
from compliance.store import due_key, refresh_operators
from filings.models import FilingStatus, FilingStatusChange
from miniprograms.models import Lifecycle, Operator, RealNameStatus
from tests.factories import (
    DomainFactory,
    FilingFactory,
    IcpLicenceFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
)

from .helpers import approve, at_beijing

pytestmark = pytest.mark.django_db
D = datetime.date


def today() -> datetime.date:
    """Today where the test runs (read per call: a run may cross midnight)."""
    return timezone.localdate()


DAY = datetime.timedelta(days=1)


def rows(**filters):
    return ComplianceItem.objects.filter(closed_at__isnull=True, **filters)


def as_table(items) -> set[tuple]:
    return {
        (i.subject_type, i.subject_id, i.rule, i.due_date, i.status, i.estimated) for i in items
    }


def test_a_saved_subject_is_evaluated_by_the_next_read():
    domain = DomainFactory(expires_on=today() + datetime.timedelta(days=10))
    tracking.flush()
    row = rows(subject_type="domain", subject_id=domain.pk, rule="domain_expiry").get()
    assert (row.status, row.due_date) == ("due_soon", domain.expires_on)
    assert row.operator_id == domain.operator_id
    assert row.organization_id == domain.operator.organization_id
    assert row.note["v"]["expires"] == str(domain.expires_on)
    summary = OperatorCompliance.objects.get(operator=domain.operator)
    assert (summary.worst_status, summary.due_soon, summary.services_due_soon) == (
        "due_soon",
        1,
        1,
    )


def test_refreshing_twice_changes_nothing():
    op = OperatorFactory()
    DomainFactory(operator=op, expires_on=D(2020, 1, 1))
    PersonFactory(operator=op, id_expires_on=D(2030, 1, 1))
    first = refresh_operators([op.pk], as_of=today())
    assert first.created >= 2
    before = list(rows(operator=op).values_list("pk", "last_evaluated_at"))
    again = refresh_operators([op.pk], as_of=today())
    assert (again.created, again.updated, again.closed, again.reopened) == (0, 0, 0, 0)
    assert list(rows(operator=op).values_list("pk", "last_evaluated_at")) == before


def test_a_renewed_domain_closes_the_old_deadline_and_opens_the_new_one():
    domain = DomainFactory(expires_on=today() + 17 * DAY)
    refresh_operators([domain.operator_id], as_of=today())
    old = rows(subject_id=domain.pk, rule="domain_expiry").get()
    assert ComplianceItemEvent.objects.filter(item=old, kind="opened").exists()

    domain.expires_on = today() + 400 * DAY
    domain.save()
    tracking.flush()

    old.refresh_from_db()
    assert old.closed_at is not None
    assert old.close_reason == CloseReason.SUPERSEDED
    new = rows(subject_id=domain.pk, rule="domain_expiry").get()
    assert (new.due_date, new.status) == (today() + 400 * DAY, "compliant")
    assert list(old.events.values_list("kind", flat=True)) == ["opened", "closed"]


def test_a_status_change_is_recorded_in_the_history_and_keeps_the_identity():
    domain = DomainFactory(real_name_status=RealNameStatus.PENDING, icp_number="京ICP备1号-1")
    refresh_operators([domain.operator_id], as_of=today())
    row = rows(subject_id=domain.pk, rule="domain_real_name").get()
    assert row.status == "due_soon"
    domain.real_name_status = RealNameStatus.FAILED
    domain.save()
    tracking.flush()
    same = rows(subject_id=domain.pk, rule="domain_real_name").get()
    assert (same.pk, same.status) == (row.pk, "overdue")
    assert same.first_seen_at == row.first_seen_at
    assert list(same.events.values_list("kind", "from_status", "to_status")) == [
        ("opened", "", "due_soon"),
        ("status", "due_soon", "overdue"),
    ]


def test_a_deleted_subject_closes_its_items():
    person = PersonFactory(id_expires_on=today() - 2 * DAY)
    op_id = person.operator_id
    refresh_operators([op_id], as_of=today())
    row = rows(subject_type="person", subject_id=person.pk).get()
    person.delete()
    tracking.flush()
    row.refresh_from_db()
    assert row.closed_at is not None
    assert row.close_reason == CloseReason.GONE
    assert not rows(operator_id=op_id).exists()
    assert OperatorCompliance.objects.get(operator_id=op_id).worst_status == "not_applicable"


def test_a_switched_off_rule_closes_and_back_on_reopens_the_same_row():
    domain = DomainFactory(expires_on=D(2020, 1, 1))
    tracking.flush()
    row = rows(subject_id=domain.pk, rule="domain_expiry").get()
    rule = ComplianceRule.objects.get(code="domain_expiry")
    rule.active = False
    rule.save()
    tracking.flush()
    row.refresh_from_db()
    assert row.closed_at is not None
    rule.active = True
    rule.save()
    tracking.flush()
    row.refresh_from_db()
    assert row.closed_at is None
    assert row.status == "overdue"


def test_an_approval_through_the_history_updates_the_service():
    mp = MiniProgramFactory(launch_date=today() - 30 * DAY, lifecycle=Lifecycle.LIVE)
    tracking.flush()
    assert rows(subject_id=mp.pk, rule="miniprogram_file_before_launch").get().status == "overdue"
    approve(miniprogram=mp, on=at_beijing(today() - 2 * DAY))
    tracking.flush()
    assert rows(subject_id=mp.pk, rule="miniprogram_file_before_launch").get().status == "compliant"


def test_a_live_unfiled_service_is_a_takedown_risk_until_approved():
    mp = MiniProgramFactory(launch_date=today() - 30 * DAY, lifecycle=Lifecycle.LIVE)
    DomainFactory(operator=mp.operator, expires_on=today() - 3 * DAY)
    tracking.flush()
    live = rows(subject_id=mp.pk, rule="miniprogram_file_before_launch").get()
    expired = rows(subject_type="domain", rule="domain_expiry").get()
    assert (live.priority, expired.priority) == (3, 1)
    summary = OperatorCompliance.objects.get(operator=mp.operator)
    assert (summary.overdue, summary.takedown_risk) == (2, 1)
    approve(miniprogram=mp, on=at_beijing(today() - 2 * DAY))
    tracking.flush()
    summary.refresh_from_db()
    assert (summary.overdue, summary.takedown_risk) == (1, 0)


def test_an_acknowledgement_lasts_until_the_status_changes(manager):
    domain = DomainFactory(expires_on=today() + 10 * DAY)
    tracking.flush()
    row = rows(subject_type="domain", subject_id=domain.pk, rule="domain_expiry").get()
    ComplianceItem.objects.filter(pk=row.pk).update(
        acknowledged_at=timezone.now(), acknowledged_by=manager
    )
    refresh_operators([domain.operator_id], as_of=today())
    row.refresh_from_db()
    assert row.acknowledged_by == manager  # same status: still acknowledged
    refresh_operators([domain.operator_id], as_of=today() + 11 * DAY)
    row.refresh_from_db()
    assert (row.status, row.acknowledged_at, row.acknowledged_by) == ("overdue", None, None)


def test_refreshing_one_operator_costs_the_same_whatever_its_size():
    small, big = OperatorFactory(), OperatorFactory()
    DomainFactory(operator=small)
    for _ in range(15):
        DomainFactory(operator=big, expires_on=D(2020, 1, 1))
        PersonFactory(operator=big, id_expires_on=D(2027, 1, 1))
    refresh_operators([small.pk, big.pk], as_of=today())
    DomainFactory(operator=small, expires_on=D(2021, 1, 1))
    DomainFactory(operator=big, expires_on=D(2021, 1, 1))
    counts = []
    for op in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            refresh_operators([op.pk], as_of=today())
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    # one query per subject kind: certification reviews and face-verification tasks made 27
    assert counts[0] <= 27


def _portfolio(n: int, seed: int) -> list[Operator]:
    """Operators with subjects whose deadlines fall around the test dates."""
    rnd = random.Random(seed)
    ops = []
    for _ in range(n):
        op = OperatorFactory()
        ops.append(op)
        for _ in range(rnd.randint(0, 3)):
            DomainFactory(
                operator=op,
                expires_on=today() + datetime.timedelta(days=rnd.randint(-20, 150)),
                live_since=rnd.choice(
                    [None, today() - datetime.timedelta(days=rnd.randint(0, 40))]
                ),
            )
        for _ in range(rnd.randint(0, 2)):
            PersonFactory(
                operator=op, id_expires_on=today() + datetime.timedelta(days=rnd.randint(-5, 90))
            )
        for _ in range(rnd.randint(0, 2)):
            MiniProgramFactory(
                operator=op,
                launch_date=today() + datetime.timedelta(days=rnd.randint(-10, 45)),
                lifecycle=rnd.choice([Lifecycle.LIVE, Lifecycle.IN_DEVELOPMENT]),
            )
        if rnd.random() < 0.3:
            IcpLicenceFactory(
                operator=op,
                issued_on=D(2022, 1, 1),
                expires_on=today() + datetime.timedelta(days=rnd.randint(60, 200)),
            )
        if rnd.random() < 0.4:
            filing = FilingFactory(
                operator=op,
                status=FilingStatus.AUTHORITY_REVIEW,
                status_entered_at=at_beijing(today() - datetime.timedelta(days=rnd.randint(1, 30))),
            )
            FilingStatusChange.objects.create(
                filing=filing,
                from_status=FilingStatus.SMS_VERIFICATION,
                to_status=FilingStatus.AUTHORITY_REVIEW,
                created_at=filing.status_entered_at,
            )
    return ops


def test_rows_moved_only_by_the_clock_equal_a_fresh_evaluation():
    """Stored at one date, then advanced by the time-driven task alone across five later
    dates: at each, the current rows equal what the engine says as of that date."""
    _portfolio(60, seed=9)
    tracking.discard_pending()  # the rows are built as of today(), not by the factories' marks
    tracking.reconcile(as_of=today())
    dates = [today() + datetime.timedelta(days=d) for d in (1, 6, 17, 40, 95)]
    touched = 0
    for day in dates:
        touched += tracking.advance(as_of=day).operators
        assert as_table(rows()) == as_table(compliance_items(as_of=day)), day
    assert touched > 0
    # Nothing the clock did not explain: a reconcile at the last date finds no drift.
    assert tracking.reconcile(as_of=dates[-1]).drift == []


def test_advance_touches_only_operators_whose_next_change_has_come():
    due = OperatorFactory()
    calm = OperatorFactory()
    DomainFactory(operator=due, expires_on=today() + datetime.timedelta(days=5))
    DomainFactory(operator=calm, expires_on=None)
    tracking.discard_pending()
    tracking.reconcile(as_of=today())
    calm_row = rows(operator=calm).get()
    result = tracking.advance(as_of=today() + datetime.timedelta(days=6))
    assert result.operators == 1
    assert rows(operator=due).get().status == "overdue"
    assert rows(operator=calm).get().last_evaluated_at == calm_row.last_evaluated_at


def test_reconcile_reports_a_change_that_bypassed_the_services():
    domain = DomainFactory(expires_on=D(2030, 1, 1))
    tracking.discard_pending()
    tracking.reconcile(as_of=today())
    # A bulk update fires no signal: the rows do not know until the reconcile.
    type(domain).objects.filter(pk=domain.pk).update(expires_on=D(2020, 1, 1))
    result = tracking.reconcile(as_of=today())
    assert {(d[1], d[2], d[3]) for d in result.drift} >= {("domain", domain.pk, "domain_expiry")}
    assert rows(subject_id=domain.pk, rule="domain_expiry").get().status == "overdue"
    assert tracking.reconcile(as_of=today()).drift == []


def test_operators_that_no_longer_exist_are_skipped():
    op = OperatorFactory()
    pk = op.pk
    op.delete()
    result = refresh_operators([pk], as_of=today())
    assert result.operators == 0
    assert not OperatorCompliance.objects.filter(operator_id=pk).exists()


def test_due_key_of_an_undated_item_is_the_smallest_date():
    assert due_key(None) == datetime.date.min
    assert due_key(today()) == today()
