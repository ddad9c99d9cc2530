"""Today's sweep reads the maintained compliance rows: batches, snoozes, notes, recheck."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from compliance import rows, tracking
from compliance.messages import render_message
from compliance.models import ComplianceItem
from notifications import services
from notifications.content import reminder_render
from notifications.models import Reminder, ReminderStatus
from notifications.recipients import RecipientBatch, deliveries_for
from notifications.services.plan import ladder_for
from tests.compliance.helpers import approve, at_beijing
from tests.factories import (
    MembershipFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
    WebhookEndpointFactory,
)

from .conftest import BEIJING, DEADLINE, RULE

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2024, 3, 25)  # the mini-programs below are due_soon (deadline 2024-03-31)
NOW = datetime.datetime(2024, 3, 25, 10, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _due_mps(operators, n: int) -> list:
    return [
        MiniProgramFactory(
            operator=operators[i % len(operators)], name=f"小程序{i}", launch_date=D(2022, 6, 1)
        )
        for i in range(n)
    ]


def _row(mp) -> ComplianceItem:
    tracking.flush()
    return ComplianceItem.objects.get(
        subject_type="miniprogram", subject_id=mp.pk, rule=RULE, closed_at__isnull=True
    )


def _sweep_queries() -> tuple[services.PlanResult, int]:
    tracking.flush()  # the rows are brought up to date first: not the sweep's cost
    with CaptureQueriesContext(connection) as ctx:
        result = services.sweep_plan(as_of=TODAY, now=NOW)
    return result, len(ctx.captured_queries)


def test_sweep_queries_do_not_grow_with_the_due_items(org, operator):
    # given: 5 due items over two operators
    operators = [operator, OperatorFactory(organization=org)]
    _due_mps(operators, 5)
    few, few_queries = _sweep_queries()

    # when: ten times as many, on ten times as many operators
    Reminder.objects.all().delete()
    operators += [OperatorFactory(organization=org) for _ in range(18)]
    _due_mps(operators, 45)
    many, many_queries = _sweep_queries()

    # then
    assert (few.created, many.created) == (5, 50)
    assert many_queries == few_queries


def test_sweep_rerun_creates_nothing(mp):
    # given
    first = services.sweep_plan(as_of=TODAY, now=NOW)
    rows = list(Reminder.objects.values_list("subject_id", "rule", "step", "status"))

    # when
    second = services.sweep_plan(as_of=TODAY, now=NOW)

    # then
    assert (first.created, second.created, second.cancelled) == (1, 0, 0)
    assert rows == [(mp.pk, RULE, "before:7", ReminderStatus.PENDING)]
    assert list(Reminder.objects.values_list("subject_id", "rule", "step", "status")) == rows


def test_snoozed_item_gets_no_reminder_until_its_snooze_ends(operator):
    # given: two due mini-programs, one snoozed through 03-27, one reminder already planned
    snoozed, other = _due_mps([operator], 2)
    services.sweep_plan(as_of=TODAY, now=NOW)
    ComplianceItem.objects.filter(pk=_row(snoozed).pk).update(snoozed_until=D(2024, 3, 27))

    # when
    result = services.sweep_plan(as_of=TODAY, now=NOW)

    # then: its open reminder is cancelled, the other stays
    assert result.planned == 1
    assert sorted(Reminder.objects.values_list("subject_id", "status", "cancel_reason")) == sorted(
        [
            (snoozed.pk, ReminderStatus.CANCELLED, "snoozed"),
            (other.pk, ReminderStatus.PENDING, ""),
        ]
    )

    # when: the day after the snooze
    later = datetime.datetime(2024, 3, 28, 10, tzinfo=BEIJING)
    with time_machine.travel(later, tick=False):
        tracking.flush()
        after = services.sweep_plan(as_of=D(2024, 3, 28), now=later)

    # then: the next step is planned again
    assert after.created == 2  # before:3 for both
    assert set(
        Reminder.objects.filter(subject_id=snoozed.pk, status=ReminderStatus.PENDING).values_list(
            "step", flat=True
        )
    ) == {"before:3"}


def test_reminder_renders_in_each_recipients_language_from_the_row(mp, manager):
    # given: planned from the row
    services.sweep_plan(as_of=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    note = _row(mp).note

    # when
    zh = reminder_render(reminder, language="zh-hans", today=TODAY)
    en = reminder_render(reminder, language="en", today=TODAY)

    # then
    assert reminder.note == note
    assert render_message(note, language="zh-hans") in zh.text
    assert render_message(note, language="en") in en.text
    assert render_message(note, language="zh-hans") != render_message(note, language="en")

    # when: the row closes (the mini-program is removed), the reminder still reads
    mp.delete()
    tracking.flush()
    assert not ComplianceItem.objects.filter(subject_id=mp.pk, closed_at__isnull=True).exists()
    reminder.refresh_from_db()
    assert (
        render_message(note, language="en")
        in reminder_render(reminder, language="en", today=TODAY).text
    )


def test_reminder_is_relevant_false_once_the_row_is_resolved(mp):
    # given
    services.sweep_plan(as_of=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    assert services.reminder_is_relevant(reminder, as_of=TODAY)

    # when: approved today; the row turns compliant
    approve(miniprogram=mp, on=at_beijing(TODAY, hour=9))

    # then
    assert _row(mp).status == "compliant"
    assert not services.reminder_is_relevant(reminder, as_of=TODAY)


def test_reminder_is_relevant_false_while_snoozed(mp):
    services.sweep_plan(as_of=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    ComplianceItem.objects.filter(pk=_row(mp).pk).update(snoozed_until=TODAY)

    assert not services.reminder_is_relevant(reminder, as_of=TODAY)
    assert services.reminder_is_relevant(reminder, as_of=D(2024, 3, 26))  # engine, snooze over


def test_owned_item_still_reminds_the_usual_recipients(mp, manager, editor):
    # given: the row has an owner
    ComplianceItem.objects.filter(pk=_row(mp).pk).update(owner=editor)

    # when
    report = services.sweep_run_inline(as_of=TODAY, now=NOW)

    # then
    assert list(report.sends.values()) == ["sent"]
    reminder = Reminder.objects.get()
    assert {d.recipient_key for d in reminder.deliveries.all()} == {
        f"user:{manager.pk}",
        f"user:{editor.pk}",
    }


def test_batch_lookup_finds_the_same_recipients_as_per_reminder(org, operator, manager):
    # given: a limited member assigned to the operator, one who is not, persons and a hook
    assigned = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    assigned.operators.add(operator)
    MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    mps = _due_mps([operator, OperatorFactory(organization=org)], 3)
    PersonFactory(operator=operator, email="entity@example.cn")
    PersonFactory(operator=operator, miniprogram=mps[0], email="service@example.cn")
    WebhookEndpointFactory(organization=org)
    services.sweep_plan(as_of=DEADLINE + datetime.timedelta(days=1), now=NOW)
    reminders = list(Reminder.objects.order_by("id"))

    # when
    batch = RecipientBatch(reminders)
    with CaptureQueriesContext(connection) as ctx:
        batched = [
            sorted(
                (d.recipient_key, d.channel, d.status)
                for d in deliveries_for(r, ladder=ladder_for(r), lookup=batch)
            )
            for r in reminders
        ]
    single = [
        sorted(
            (d.recipient_key, d.channel, d.status) for d in deliveries_for(r, ladder=ladder_for(r))
        )
        for r in reminders
    ]

    # then
    assert {r.kind for r in reminders} == {"reminder", "escalation"}
    assert batched == single
    assert any(f"user:{assigned.user_id}" in {k for k, *_ in rows} for rows in batched)
    assert len(ctx.captured_queries) == len(reminders)  # only ladder_for: one per reminder


def test_open_items_come_per_batch_of_every_operator_without_snoozed(org, operator):
    # given: three operators, one with nothing due; one of two due items snoozed
    quiet = OperatorFactory(organization=org)
    other = OperatorFactory(organization=org)
    due, snoozed = _due_mps([operator, other], 2)
    ComplianceItem.objects.filter(pk=_row(snoozed).pk).update(snoozed_until=TODAY)

    # when
    batches = list(rows.open_items(as_of=TODAY, size=2))
    with_snoozed = list(rows.open_items(as_of=TODAY, size=2, include_snoozed=True))

    # then: every operator appears, two at a time; the snoozed row only when asked
    ids = sorted([operator.pk, quiet.pk, other.pk])
    assert [b for b, _ in batches] == [ids[:2], ids[2:]]
    assert [r.subject_id for _, items in batches for r in items] == [due.pk]
    assert sorted(r.subject_id for _, items in with_snoozed for r in items) == sorted(
        [due.pk, snoozed.pk]
    )
    assert rows.snoozed_keys(operator_ids=ids, as_of=TODAY) == {
        ("miniprogram", snoozed.pk, RULE, DEADLINE)
    }
