"""When a verification is due (pure): after filing, after every approved change, and every
`every_days` after the last verification, whichever comes first."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from icp.number_parts import normalize

# Why a verification is due.
NEVER = "never"  # never verified: due `after_change_days` after filing (or the last change)
CHANGED = "changed"  # a change filing was approved after the last verification
CADENCE = "cadence"  # `every_days` after the last verification


@dataclass(frozen=True)
class Due:
    date: datetime.date
    reason: str


def next_due(
    *,
    filed: datetime.date,
    changed: datetime.date | None,
    verified: datetime.date | None,
    every_days: int,
    after_change_days: int,
) -> Due:
    """`filed`: the filing date (or when the register learned of the service, if later);
    `changed`: the last approved change filing; `verified`: the last verification. A change
    approved on the day of a verification counts as verified.
    """
    after = datetime.timedelta(days=after_change_days)
    if verified is None:
        anchor = max(filed, changed) if changed is not None else filed
        return Due(anchor + after, NEVER)
    cadence = Due(verified + datetime.timedelta(days=every_days), CADENCE)
    if changed is not None and changed > verified:
        again = Due(changed + after, CHANGED)
        return again if again.date <= cadence.date else cadence
    return cadence


def same_number(a: str, b: str) -> bool:
    return bool(a) and normalize(a) == normalize(b)


def same_entity(a: str, b: str) -> bool:
    """Entity names compared as people read them: full-width and half-width brackets alike,
    spaces ignored."""

    def fold(s: str) -> str:
        return "".join(unicodedata.normalize("NFKC", s).split())

    return bool(a) and fold(a) == fold(b)
