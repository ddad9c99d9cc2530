"""At most MIIT_LOOKUP_RATE_PER_MINUTE lookups in any minute, shared through the cache: the
11th of 11 queued at once waits (re-queued for when a slot frees) and nothing is lost."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine

from monitoring.models.verify import MiitLookup
from monitoring.verify import ratelimit
from monitoring.verify.tasks import miit_lookup_task
from tests.egress_fakes import Answer, Listener
from tests.factories import DomainFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(operator):
    return [
        DomainFactory(
            operator=operator, name=f"s{i}.example.cn", icp_number=f"粤ICP备2024000001号-{i}"
        )
        for i in range(1, 12)
    ]


@pytest.fixture
def lookup_service(settings, operator):
    with Listener() as fake:
        settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
        settings.MIIT_LOOKUP_BACKEND = "http"
        settings.MIIT_LOOKUP_URL = fake.url("/v1/icp")
        settings.MIIT_LOOKUP_RATE_PER_MINUTE = 10
        fake.answer = Answer(200, json.dumps({"found": False}).encode())
        yield fake


@pytest.fixture
def requeued(monkeypatch):
    calls: list[tuple[tuple, int]] = []

    def fake_apply_async(*, args, countdown):
        calls.append((tuple(args), countdown))

    monkeypatch.setattr(miit_lookup_task, "apply_async", fake_apply_async)
    return calls


def test_the_eleventh_lookup_in_a_minute_is_requeued(sites, lookup_service, requeued):
    start = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        results = [miit_lookup_task("domain", s.pk) for s in sites]
        assert results == ["not_found"] * 10 + ["requeued"]
        assert MiitLookup.objects.count() == 10
        assert len(lookup_service.seen) == 10
        assert len(requeued) == 1
        (args, countdown) = requeued[0]
        assert args == ("domain", sites[10].pk, None)
        assert 1 <= countdown <= 60
        # Still within the minute: waits again.
        clock.shift(30)
        assert miit_lookup_task(*args) == "requeued"
        assert MiitLookup.objects.count() == 10
        # When the first slot frees, the re-queued lookup runs.
        clock.shift(31)
        assert miit_lookup_task(*args) == "not_found"
    assert MiitLookup.objects.count() == 11
    assert MiitLookup.objects.filter(domain=sites[10]).count() == 1
    assert len(lookup_service.seen) == 11


def test_slots_are_a_sliding_window():
    with time_machine.travel(datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC), tick=False) as c:
        assert ratelimit.acquire(limit=2) == 0.0  # t=0
        c.shift(40)
        assert ratelimit.acquire(limit=2) == 0.0  # t=40
        c.shift(5)
        assert ratelimit.acquire(limit=2) == pytest.approx(15.0)  # the t=0 slot frees at 60
        c.shift(16)
        assert ratelimit.acquire(limit=2) == 0.0  # t=61: the first slot is free again
        # not a fixed minute: the t=40 slot is held until t=100
        assert ratelimit.acquire(limit=2) == pytest.approx(39.0)
