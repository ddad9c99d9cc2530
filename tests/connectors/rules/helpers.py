"""Shared pieces of the connector rules' tests."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from compliance.engine import compliance_items
from compliance.types import EvaluatedItem
from miniprograms.models import Operator

BEIJING = ZoneInfo("Asia/Shanghai")
H = datetime.timedelta(hours=1)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """`day` at `hour`, Beijing time."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BEIJING)


def items_of(
    rule: str,
    *,
    as_of: datetime.date,
    now: datetime.datetime | None = None,
    operators: QuerySet[Operator] | None = None,
) -> list[EvaluatedItem]:
    return compliance_items(as_of=as_of, rules=[rule], now=now, operators=operators)
