"""The kernel's record rules: allowed moves, the shell entity, the province route."""

from __future__ import annotations

import itertools

import pytest

from icp.records import (
    RECORD_MOVES,
    EntityRecord,
    RecordState,
    ShellRoute,
    entity_record,
    move_allowed,
    shell_route,
)

S = RecordState


@pytest.mark.parametrize(("from_state", "to_state"), list(itertools.product(list(S), list(S))))
def test_move_allowed_exactly_as_the_table_says(from_state, to_state):
    assert move_allowed(from_state, to_state) is (to_state in RECORD_MOVES[from_state])


def test_no_move_back_to_none_and_cancelled_only_refiles():
    assert not any(move_allowed(s, S.NONE) for s in S)
    assert RECORD_MOVES[S.CANCELLED] == frozenset({S.FILED})
    assert move_allowed("filed", "bogus") is False
    assert move_allowed("bogus", "filed") is False


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        pytest.param([], EntityRecord.NONE, id="no_services_case"),
        pytest.param(["none", "none"], EntityRecord.NONE, id="never_filed_case"),
        pytest.param(["filed", "access_cancelled"], EntityRecord.ACTIVE, id="one_alive_case"),
        pytest.param(["restricted"], EntityRecord.ACTIVE, id="restricted_counts_alive_case"),
        pytest.param(["access_cancelled", "cancelled"], EntityRecord.SHELL, id="all_lost_case"),
        pytest.param(["access_cancelled", "none"], EntityRecord.SHELL, id="lost_plus_new_case"),
    ],
)
def test_entity_record_from_service_states(states, expected):
    assert entity_record(states) == expected


def test_shell_route_follows_the_province_flag():
    assert shell_route(may_add_service=True) == ShellRoute.ADD_SERVICE
    assert shell_route(may_add_service=False) == ShellRoute.CANCEL_AND_REFILE
