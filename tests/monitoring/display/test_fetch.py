"""Fetching goes through the egress guard, pauses between requests to one host, and is
bounded in concurrency."""

from __future__ import annotations

import datetime
import threading
import time

import pytest

from monitoring.display import fetch, services
from monitoring.models import DisplayCheck

from .conftest import VARIANTS, host_of
from .factories import live_domain

pytestmark = pytest.mark.django_db


def test_a_site_on_a_private_address_is_refused_by_the_guard(display_env, hosts_file):
    hosts_file.table["intranet.example.cn"] = ["10.1.2.3"]
    got = fetch.fetch_home("intranet.example.cn")
    assert got.error_kind == "refused_address"
    assert got.body == b""


def test_requests_to_one_host_are_spaced(display_env, settings):
    settings.DISPLAY_CHECK_HOST_INTERVAL = 0.4
    from django.core.cache import cache

    cache.clear()
    started = time.monotonic()
    first = fetch.fetch_home(host_of("correct"))
    second = fetch.fetch_home(host_of("correct"))
    assert first.ok
    assert second.ok
    assert time.monotonic() - started >= 0.4


def test_pages_are_fetched_at_most_concurrency_at_once(display_env, settings, monkeypatch):
    settings.DISPLAY_CHECK_CONCURRENCY = 2
    running, peak, lock = [0], [0], threading.Lock()
    real = fetch.fetch_home

    def counting(host):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            time.sleep(0.05)
            return real(host)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(services, "fetch_home", counting)
    ids = []
    for name in ["correct", "deep-link", "entity-gd", "redirect-ok", "gbk"]:
        d = live_domain(host_of(name), *VARIANTS[name][1:3])
        ids.append(DisplayCheck.objects.create(domain=d, operator_id=d.operator_id).pk)
    assert services.display_checks_run(ids) == 5
    assert peak[0] == 2
    assert not DisplayCheck.objects.filter(pk__in=ids).exclude(findings=[]).exists()


def test_a_failing_check_does_not_fail_its_batch(display_env, monkeypatch):
    real = fetch.fetch_home

    def flaky(host):
        if host.startswith("deep-link"):
            raise RuntimeError("parser exploded")
        return real(host)

    monkeypatch.setattr(services, "fetch_home", flaky)
    good = live_domain(host_of("correct"), *VARIANTS["correct"][1:3])
    bad = live_domain(host_of("deep-link"), *VARIANTS["deep-link"][1:3])
    ids = [DisplayCheck.objects.create(domain=d, operator_id=d.operator_id).pk for d in (good, bad)]
    assert services.display_checks_run(ids) == 2
    checks = {c.domain_id: c for c in DisplayCheck.objects.filter(pk__in=ids)}
    assert checks[good.pk].findings == []
    assert [(f["code"], f["severity"]) for f in checks[bad.pk].findings] == [
        ("check_failed", "warning")
    ]
    assert {c.status for c in checks.values()} == {"done"}


def test_never_checked_sites_are_queued_first(settings):
    from django.utils import timezone

    from .factories import DisplayCheckFactory

    settings.DISPLAY_SWEEP_LIMIT = 1
    old = live_domain("old.example.cn", "粤ICP备2024012345号-1")
    DisplayCheckFactory(domain=old, finished_at=timezone.now() - datetime.timedelta(days=30))
    new = live_domain("new.example.cn", "粤ICP备2024012345号-2")
    services.display_sweep()
    queued = DisplayCheck.objects.filter(status="queued").values_list("domain_id", flat=True)
    assert list(queued) == [new.pk]


def test_a_nul_in_what_a_site_answers_is_stored_scrubbed(display_env, monkeypatch):
    real = fetch.fetch_home

    def hostile(host):
        fetched = real(host)
        if host.startswith("deep-link"):
            fetched.content_type = "text/html\x00"
            fetched.final_url = fetched.final_url + "\x00evil"
            fetched.redirects = ["http://x.display-test.cn/\x00"]
        return fetched

    monkeypatch.setattr(services, "fetch_home", hostile)
    good = live_domain(host_of("correct"), *VARIANTS["correct"][1:3])
    bad = live_domain(host_of("deep-link"), *VARIANTS["deep-link"][1:3])
    ids = [DisplayCheck.objects.create(domain=d, operator_id=d.operator_id).pk for d in (bad, good)]
    assert services.display_checks_run(ids) == 2
    checks = {c.domain_id: c for c in DisplayCheck.objects.filter(pk__in=ids)}
    assert {c.status for c in checks.values()} == {"done"}
    assert checks[good.pk].findings == []
    stored = checks[bad.pk]
    assert "\x00" not in stored.content_type + stored.final_url + "".join(stored.redirects)
    assert stored.content_type.startswith("text/html")


def test_an_answer_that_cannot_be_stored_becomes_a_failed_check(display_env, monkeypatch):
    real_store = services._store
    calls = []

    def store_once_broken(job, fetched, judged):
        calls.append(job.check_id)
        if len(calls) == 1:
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
        return real_store(job, fetched, judged)

    monkeypatch.setattr(services, "_store", store_once_broken)
    bad = live_domain(host_of("deep-link"), *VARIANTS["deep-link"][1:3])
    good = live_domain(host_of("correct"), *VARIANTS["correct"][1:3])
    ids = [DisplayCheck.objects.create(domain=d, operator_id=d.operator_id).pk for d in (bad, good)]
    assert services.display_checks_run(ids) == 2
    checks = {c.domain_id: c for c in DisplayCheck.objects.filter(pk__in=ids)}
    assert {c.status for c in checks.values()} == {"done"}
    assert [f["code"] for f in checks[bad.pk].findings] == ["check_failed"]
    assert checks[good.pk].findings == []
