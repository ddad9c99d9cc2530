"""A service's record after approval, and the entity's 空壳 state derived from its services.

Pure: no Django, no database (domain.md §12). The register keeps each service's state
(`miniprograms.models.RecordState` holds the labels); the moves allowed between states are
here, and so is the rule that an entity whose services are all cancelled or without access is
a shell (空壳主体) the authority cleans up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "RECORD_MOVES",
    "EntityRecord",
    "RecordState",
    "ShellRoute",
    "entity_record",
    "move_allowed",
    "shell_route",
]


class RecordState(StrEnum):
    NONE = "none"  # not filed (yet): no number on record
    FILED = "filed"  # 已备案, with access
    ACCESS_CANCELLED = "access_cancelled"  # 取消接入: the number stands, no provider serves it
    CANCELLED = "cancelled"  # 注销: the number is gone
    RESTRICTED = "restricted"  # blocked or restricted by the authority or the provider


S = RecordState

# Which states a service may move to from each state. A cancelled number cannot come back:
# the service is filed again (a new application) and gets a new number, which `filed` after
# `cancelled` records. Nothing moves back to `none`: a record once made stays in the history.
RECORD_MOVES: Mapping[RecordState, frozenset[RecordState]] = MappingProxyType(
    {
        S.NONE: frozenset({S.FILED, S.ACCESS_CANCELLED, S.CANCELLED, S.RESTRICTED}),
        S.FILED: frozenset({S.ACCESS_CANCELLED, S.CANCELLED, S.RESTRICTED}),
        S.ACCESS_CANCELLED: frozenset({S.FILED, S.CANCELLED, S.RESTRICTED}),
        S.RESTRICTED: frozenset({S.FILED, S.ACCESS_CANCELLED, S.CANCELLED}),
        S.CANCELLED: frozenset({S.FILED}),
    }
)

# States in which a service keeps the entity alive (it has a number and access).
_ALIVE = frozenset({S.FILED, S.RESTRICTED})
# States that count towards a shell: the number was issued once and is now without access.
_LOST = frozenset({S.ACCESS_CANCELLED, S.CANCELLED})


def move_allowed(from_state: str, to_state: str) -> bool:
    """Whether a service may move from `from_state` to `to_state` (unknown states: no)."""
    try:
        return RecordState(to_state) in RECORD_MOVES[RecordState(from_state)]
    except ValueError:
        return False


class EntityRecord(StrEnum):
    NONE = "none"  # no service was ever filed
    ACTIVE = "active"  # at least one service filed with access
    SHELL = "shell"  # 空壳主体: every filed service cancelled or without access


class ShellRoute(StrEnum):
    ADD_SERVICE = "add_service"  # the province lets a shell entity add a service directly
    CANCEL_AND_REFILE = "cancel_and_refile"  # elsewhere: cancel the entity and file again


def entity_record(service_states: Iterable[str]) -> EntityRecord:
    """The entity's state from its services' states.

    A shell needs at least one service that was filed and lost its access or number, and
    none still filed: an entity that never filed anything is not a shell, only unfiled.
    """
    states = [RecordState(s) for s in service_states]
    if any(s in _ALIVE for s in states):
        return EntityRecord.ACTIVE
    if any(s in _LOST for s in states):
        return EntityRecord.SHELL
    return EntityRecord.NONE


def shell_route(*, may_add_service: bool) -> ShellRoute:
    """What a shell entity does next, by its province's route (editable data)."""
    return ShellRoute.ADD_SERVICE if may_add_service else ShellRoute.CANCEL_AND_REFILE
