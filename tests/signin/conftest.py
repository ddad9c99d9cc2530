"""Sign-in fixtures: the events the adapter records, a superuser without a second factor."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import UserFactory

PASSWORD = "pw-for-tests-1"  # UserFactory's password


@pytest.fixture
def events(monkeypatch) -> list[tuple[str, dict[str, Any]]]:
    """The access events the sign-in code records, as (action, keyword arguments)."""
    seen: list[tuple[str, dict[str, Any]]] = []

    def record(action, **kwargs):
        seen.append((str(action), kwargs))

    monkeypatch.setattr("signin.adapter.record_event", record)
    return seen


@pytest.fixture
def bare_superuser(db):
    """A superuser who has not set up a second factor yet."""
    return UserFactory(is_staff=True, is_superuser=True)
