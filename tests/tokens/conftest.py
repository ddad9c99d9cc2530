"""Rate-limit counters live in the cache: each test starts with none. Access events are
captured where the tokens app records them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.factories import UserFactory

PASSWORD = "pw-for-tests-1"  # UserFactory's


@pytest.fixture(autouse=True)
def _no_rate_limit_history():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def events(monkeypatch) -> list[dict[str, Any]]:
    """Every `record_event` the tokens app makes: {"action": …, **keywords}."""
    seen: list[dict[str, Any]] = []

    def record(action, **kwargs):
        seen.append({"action": str(action), **kwargs})

    monkeypatch.setattr("tokens.services.record_event", record)
    return seen


@pytest.fixture
def person(db):
    return UserFactory(username="scripter")
