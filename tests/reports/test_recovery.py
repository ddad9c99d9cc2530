"""Report runs survive a broker that is down, and their status changes never overwrite a winner.

With Redis unreachable, a large report is still recorded and answered 202; the periodic sweep
queues it again later. Runs are claimed and moved with conditional updates: of two retries at
once, one is queued and the other gets 409.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from core.queue import task_for
from icpfiling.celery import app
from reports import services
from reports.models import ReportRun, RunStatus
from tests.notifications.test_integration import _free_port, _publish_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """This process publishes to a port where nothing listens."""
    old_url = app.conf.broker_url
    _publish_to(f"redis://127.0.0.1:{_free_port()}/0")
    try:
        yield
    finally:
        _publish_to(old_url)


class Sent:
    """Records `delay` calls of the render task instead of publishing them."""

    def __init__(self, monkeypatch) -> None:
        self.ids: list[int] = []
        task = task_for(services.RENDER_TASK)
        monkeypatch.setattr(task, "delay", lambda pk: self.ids.append(pk))


def _age(run: ReportRun, **delta: float) -> None:
    ReportRun.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - datetime.timedelta(**delta)
    )


def test_broker_down_answers_202_and_keeps_the_run_waiting(
    manager, api, settings, broker_down, django_capture_on_commit_callbacks
):
    settings.REPORTS_SYNC_MAX_SERVICES = -1  # every report goes to the worker

    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post("/api/v1/reports/", {"kind": "portfolio"}, format="json")

    assert response.status_code == 202
    run = ReportRun.objects.get()
    assert (response.json()["id"], response.json()["status"]) == (run.pk, "pending")
    assert run.status == RunStatus.PENDING


def test_broker_down_on_the_page_still_leads_to_the_run(
    client, manager, settings, broker_down, django_capture_on_commit_callbacks
):
    settings.REPORTS_SYNC_MAX_SERVICES = -1  # every report goes to the worker
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/generate/", {"kind": "portfolio"})

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/runs/{run.pk}/"
    assert run.status == RunStatus.PENDING


def test_sweep_requeues_only_runs_waiting_past_the_grace_period(
    manager, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REPORTS_REQUEUE_AFTER = 300
    settings.REPORTS_RUNNING_STALE_AFTER = 1800
    sent = Sent(monkeypatch)
    params = {"as_of": "2026-01-15"}
    lost = ReportRun.objects.create(user=manager, kind="portfolio", params=params)
    fresh = ReportRun.objects.create(user=manager, kind="portfolio", params=params)
    stuck = ReportRun.objects.create(
        user=manager, kind="portfolio", params=params, status=RunStatus.RUNNING
    )
    busy = ReportRun.objects.create(
        user=manager, kind="portfolio", params=params, status=RunStatus.RUNNING
    )
    failed = ReportRun.objects.create(
        user=manager, kind="portfolio", params=params, status=RunStatus.FAILED
    )
    _age(lost, minutes=6)
    _age(stuck, minutes=31)
    _age(busy, minutes=10)
    _age(failed, hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.report_runs_requeue()

    assert sorted(requeued) == sorted(sent.ids) == sorted([lost.pk, stuck.pk])
    # Touched: the next sweep gives the new message the grace period again.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_runs_requeue() == []
    assert sorted(sent.ids) == sorted([lost.pk, stuck.pk])
    statuses = dict(ReportRun.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: "pending",
        fresh.pk: "pending",
        stuck.pk: "pending",  # its worker died: back to waiting, where the claim takes it
        busy.pk: "running",
        failed.pk: "failed",
    }

    # when: the re-sent message reaches a worker
    services.report_run_execute(run_id=stuck.pk)

    # then: the run is built (not left "running" for ever)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.progress, bool(stuck.file)) == (RunStatus.DONE, 100, True)


def test_a_run_claimed_by_another_worker_is_left_alone(manager):
    run = ReportRun.objects.create(
        user=manager, kind="portfolio", params={"as_of": "2026-01-15"}, status=RunStatus.RUNNING
    )

    services.report_run_execute(run_id=run.pk)  # a duplicate message

    run.refresh_from_db()
    assert (run.status, run.progress, bool(run.file)) == (RunStatus.RUNNING, 0, False)


def test_a_failed_run_is_left_failed_by_a_redelivered_message(manager):
    run = ReportRun.objects.create(
        user=manager,
        kind="portfolio",
        params={"as_of": "2026-01-15"},
        status=RunStatus.FAILED,
        error="boom",
    )

    services.report_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "boom")


def test_retry_of_a_run_that_is_not_failed_is_409_and_changes_nothing(manager, api):
    run = ReportRun.objects.create(
        user=manager, kind="portfolio", params={"as_of": "2026-01-15"}, status=RunStatus.RUNNING
    )

    response = api(manager).post(f"/api/v1/reports/{run.pk}/retry/")

    assert response.status_code == 409
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING


def test_retry_of_someone_elses_run_is_404(manager, other_manager, api):
    run = ReportRun.objects.create(
        user=manager,
        kind="portfolio",
        params={"as_of": "2026-01-15"},
        status=RunStatus.FAILED,
        error="boom",
    )

    assert api(other_manager).post(f"/api/v1/reports/{run.pk}/retry/").status_code == 404
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "boom")


def test_retry_page_queues_a_failed_run(
    client, manager, monkeypatch, django_capture_on_commit_callbacks
):
    sent = Sent(monkeypatch)
    run = ReportRun.objects.create(
        user=manager,
        kind="portfolio",
        params={"as_of": "2026-01-15"},
        status=RunStatus.FAILED,
        error="boom",
    )
    client.force_login(manager)
    assert "run-retry" in client.get(f"/reports/runs/{run.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/runs/{run.pk}/retry/")

    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.PENDING, "")
    assert sent.ids == [run.pk]


@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_queue_once_and_the_loser_gets_409(manager, monkeypatch):
    sent = Sent(monkeypatch)
    run = ReportRun.objects.create(
        user=manager,
        kind="portfolio",
        params={"as_of": "2026-01-15"},
        status=RunStatus.FAILED,
        error="boom",
    )
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def retry() -> None:
        try:
            client = APIClient()
            client.force_authenticate(manager)
            barrier.wait(timeout=10)
            codes.append(client.post(f"/api/v1/reports/{run.pk}/retry/").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=retry) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(codes) == [202, 409]
    assert sent.ids == [run.pk]
    run.refresh_from_db()
    assert run.status == RunStatus.PENDING
