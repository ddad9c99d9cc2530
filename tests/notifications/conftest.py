"""Fixtures for reminders: a mini-program whose existing-filing deadline is 2024-03-31.

The real compliance engine produces the items: went live 2022-06-01 without an approved
filing, it is due_soon from 2024-03-01 and overdue from 2024-04-01.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from compliance.types import EvaluatedItem
from tests.factories import MiniProgramFactory

BEIJING = ZoneInfo("Asia/Shanghai")
DEADLINE = datetime.date(2024, 3, 31)
RULE = "miniprogram_existing_deadline"


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=BEIJING)


def make_item(**kw) -> EvaluatedItem:
    defaults: dict[str, Any] = {
        "rule": RULE,
        "subject_type": "miniprogram",
        "subject_id": 1,
        "subject_name": "小程序",
        "operator_id": 1,
        "operator_name": "运营者",
        "organization_id": 1,
        "province_code": "440000",
        "status": "due_soon",
        "due_date": DEADLINE,
        "estimated": False,
        "note": {"t": "get it approved"},
    }
    defaults.update(kw)
    return EvaluatedItem(**defaults)


@pytest.fixture
def mp(operator):
    return MiniProgramFactory(
        operator=operator, name="测试小程序", launch_date=datetime.date(2022, 6, 1)
    )
