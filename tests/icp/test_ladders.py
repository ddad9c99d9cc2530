"""Ladder steps, chosen by date range (pure, no database)."""

from __future__ import annotations

import datetime

import pytest

from icp.ladders import DEFAULT_LADDER, Ladder, current_hour_step, current_step, ladder_resolve

D = datetime.date
DUE = D(2024, 3, 31)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param(D(2024, 2, 29), None, id="before_first_step_case"),
        pytest.param(D(2024, 3, 1), ("before:30", D(2024, 3, 1)), id="day_of_30_case"),
        pytest.param(D(2024, 3, 16), ("before:30", D(2024, 3, 1)), id="between_30_and_14_case"),
        pytest.param(D(2024, 3, 17), ("before:14", D(2024, 3, 17)), id="day_of_14_case"),
        pytest.param(D(2024, 3, 25), ("before:7", D(2024, 3, 24)), id="missed_day_of_7_case"),
        pytest.param(D(2024, 3, 30), ("before:1", D(2024, 3, 30)), id="day_before_case"),
        pytest.param(D(2024, 3, 31), ("before:0", D(2024, 3, 31)), id="on_the_day_case"),
        pytest.param(D(2024, 4, 6), ("before:0", D(2024, 3, 31)), id="overdue_first_week_case"),
        pytest.param(D(2024, 4, 7), ("overdue:1", D(2024, 4, 7)), id="overdue_week_1_case"),
        pytest.param(D(2024, 5, 1), ("overdue:4", D(2024, 4, 28)), id="overdue_week_4_case"),
    ],
)
def test_current_step_default_ladder(as_of, expected):
    step = current_step(due_date=DUE, as_of=as_of, ladder=DEFAULT_LADDER)
    assert (None if step is None else (step.step, step.send_on)) == expected


def test_current_step_without_overdue_repeat_stays_on_the_day():
    ladder = Ladder(offsets=(10, 0), overdue_every_days=0)
    step = current_step(due_date=DUE, as_of=D(2024, 6, 1), ladder=ladder)
    assert step is not None
    assert (step.step, step.send_on) == ("before:0", DUE)


class _Row:
    def __init__(self, organization_id, rule, offsets):
        self.organization_id = organization_id
        self.rule = rule
        self.offsets = offsets
        self.overdue_every_days = 7
        self.escalate_when_overdue = True
        self.escalate_unacknowledged_after_days = 3
        self.roles = ["manager"]


@pytest.mark.parametrize(
    ("org", "rule", "offsets"),
    [
        pytest.param(1, "r1", (5,), id="org_and_rule_case"),
        pytest.param(1, "r2", (4,), id="org_any_rule_case"),
        pytest.param(2, "r1", (3,), id="global_rule_case"),
        pytest.param(2, "r2", (2,), id="global_any_rule_case"),
    ],
)
def test_ladder_resolve_most_specific_wins(org, rule, offsets):
    rows = [_Row(1, "r1", [5]), _Row(1, "", [4]), _Row(None, "r1", [3]), _Row(None, "", [2])]
    assert ladder_resolve(rows, organization_id=org, rule=rule).offsets == offsets


def test_ladder_resolve_falls_back_to_builtin_default():
    ladder = ladder_resolve([], organization_id=1, rule="r1")
    assert ladder.offsets == (30, 14, 7, 3, 1, 0)
    assert ladder.overdue_every_days == 7


# --- hour ladders ------------------------------------------------------------------------


def _hour_ladder():
    return Ladder(offsets=(), hour_offsets=(24, 12, 4, 1))


def test_hour_step_is_the_latest_hour_reached_before_the_instant():
    due_at = datetime.datetime(2026, 3, 11, 5, 0, tzinfo=datetime.UTC)
    ladder = _hour_ladder()

    def at(hours_before: float):
        return current_hour_step(
            due_at=due_at, now=due_at - datetime.timedelta(hours=hours_before), ladder=ladder
        )

    assert at(30) is None
    assert at(20).step == "hours:24"
    assert at(20).send_at == due_at - datetime.timedelta(hours=24)
    assert at(12).step == "hours:12"
    assert at(5).step == "hours:12"
    assert at(3.5).step == "hours:4"
    assert at(0.5).step == "hours:1"
    assert at(0) is None  # the instant itself: the day steps and the escalation take over


def test_hour_step_needs_aware_instants_and_hour_offsets():
    aware = datetime.datetime(2026, 3, 11, 5, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValueError, match="aware"):
        current_hour_step(due_at=aware.replace(tzinfo=None), now=aware, ladder=_hour_ladder())
    assert (
        current_hour_step(due_at=aware, now=aware - datetime.timedelta(hours=1), ladder=Ladder())
        is None
    )


def test_ladder_from_row_reads_hour_offsets_when_present():
    class Row:
        organization_id = None
        rule = "provider_notice"
        offsets = ()
        overdue_every_days = 1
        escalate_when_overdue = True
        escalate_unacknowledged_after_days = None
        roles = ("manager",)
        hour_offsets = (1, 24, 4, 12, 0)

    assert Ladder.from_row(Row()).hour_offsets == (24, 12, 4, 1)
