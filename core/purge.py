"""One place for deleting data past its keeping time: `manage.py purge` and the daily task.

Apps register a purger when they are ready (`AppConfig.ready`): a function without arguments
that deletes what its app no longer keeps and returns how many things it deleted. Purgers
must be idempotent: the command may run twice, or after a day was missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Purger = Callable[[], int]
_PURGERS: dict[str, Purger] = {}


def register(name: str, purger: Purger) -> None:
    """Add (or replace) the purger called `name`."""
    _PURGERS[name] = purger


def registered() -> list[str]:
    """The purgers' names, in the order they run."""
    return sorted(_PURGERS)


def purge(*, only: list[str] | None = None) -> dict[str, int]:
    """Run every purger (or those named), each in turn; {name: things deleted}.

    Raises KeyError for a name no purger is registered under.
    """
    names = only or registered()
    done: dict[str, int] = {}
    for name in names:
        count = _PURGERS[name]()
        logger.info("purge %s: %d deleted", name, count)
        done[name] = count
    return done
