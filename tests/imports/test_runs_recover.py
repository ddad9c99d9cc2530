"""Runs that recover: a broker down at upload time, a sweep that queues them again, and
conditional state changes that let exactly one of several concurrent commits through."""

from __future__ import annotations

import datetime
import threading

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core.exceptions import ConflictError
from imports import recovery
from imports import services as import_services
from imports.models import ImportRun, ImportStatus
from miniprograms.models import Operator
from tests.factories import ImportRunFactory, valid_uscc

from .helpers import portfolio_sheets, xlsx

pytestmark = pytest.mark.django_db


def _csv_upload(n: int = 2) -> bytes:
    rows = [f"公司{i},{valid_uscc(900 + i)},粤" for i in range(n)]
    return ("name_zh,uscc,province\n" + "\n".join(rows) + "\n").encode()


def test_the_api_answers_202_with_the_run_and_where_to_poll_it(api, manager, org):
    response = api(manager).post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("ops.csv", _csv_upload())},
        format="multipart",
    )

    body = response.json()
    assert response.status_code == 202
    assert body["url"] == f"/api/v1/imports/{body['id']}/" == response["Location"]
    assert api(manager).get(body["url"]).json()["status"] == "valid"


# -- the sweep -----------------------------------------------------------------------------


def _aged(run: ImportRun, minutes: int) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


@pytest.mark.real_queue
def test_the_sweep_queues_again_only_runs_waiting_too_long(
    manager, org, django_capture_on_commit_callbacks, monkeypatch
):
    # given: runs waiting 6 minutes (pending, queued), one waiting 1 minute, one done
    stale_pending = ImportRunFactory(user=manager, organization=org)
    stale_queued = ImportRunFactory(user=manager, organization=org, status=ImportStatus.QUEUED)
    fresh = ImportRunFactory(user=manager, organization=org)
    done = ImportRunFactory(user=manager, organization=org, status=ImportStatus.VALID)
    for run in (stale_pending, stale_queued, done):
        _aged(run, 6)
    _aged(fresh, 1)
    published: list[tuple[str, int]] = []

    class Task:  # records what would be published to the broker
        def __init__(self, name: str) -> None:
            self.name = name

        def delay(self, pk: int) -> None:
            published.append((self.name, pk))

    monkeypatch.setattr("core.queue.task_for", Task)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        queued = recovery.import_run_requeue_stale()

    # then
    assert queued == {"imports.preview": [stale_pending.pk], "imports.commit": [stale_queued.pk]}
    assert sorted(published) == [
        ("imports.commit", stale_queued.pk),
        ("imports.preview", stale_pending.pk),
    ]
    # and a sweep right after queues nothing again (their clock was reset)
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.import_run_requeue_stale() == {}
    assert len(published) == 2
    assert ImportRun.objects.get(pk=done.pk).status == ImportStatus.VALID


def test_a_run_whose_worker_died_goes_back_to_waiting_and_is_checked_again(manager, org):
    # given: a preview claimed 40 minutes ago by a worker that was killed, and one running now
    dead = ImportRunFactory(
        user=manager, organization=org, status=ImportStatus.VALIDATING, progress=60
    )
    alive = ImportRunFactory(user=manager, organization=org, status=ImportStatus.VALIDATING)
    _aged(dead, 40)
    _aged(alive, 10)

    # when (the test's queue runs the task at once)
    queued = recovery.import_run_requeue_stale()

    # then
    assert queued == {"imports.preview": [dead.pk]}
    dead.refresh_from_db()
    assert dead.status == ImportStatus.INVALID  # checked: the factory's file is no real XLSX
    assert "not a readable XLSX file" in dead.error
    assert ImportRun.objects.get(pk=alive.pk).status == ImportStatus.VALIDATING


def test_the_sweep_runs_every_five_minutes_and_the_purge_daily():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    sweep, purge = schedule["imports-sweep"], schedule["core-purge"]
    assert (sweep["task"], purge["task"]) == ("imports.sweep", "core.purge")
    assert sweep["schedule"] == crontab(minute="*/5")
    assert purge["schedule"] == crontab(minute=15, hour=3)


@pytest.mark.real_queue
@pytest.mark.django_db(transaction=True)
def test_a_broker_down_at_upload_time_still_answers_202_and_leaves_the_run_pending(
    api, manager, org, reference_data
):
    from icpfiling.celery import app
    from tests.notifications.test_integration import _free_port, _publish_to

    old_url = app.conf.broker_url
    _publish_to(f"redis://127.0.0.1:{_free_port()}/0")  # nothing listens there
    try:
        response = api(manager).post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("ops.csv", _csv_upload())},
            format="multipart",
        )
    finally:
        _publish_to(old_url)

    assert response.status_code == 202
    run = ImportRun.objects.get(pk=response.json()["id"])
    assert (run.status, bool(run.file)) == (ImportStatus.PENDING, True)


# -- concurrent commits --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_four_concurrent_commits_import_once_and_the_losers_get_409(
    api, manager, org, reference_data
):
    # given: a checked run
    response = api(manager).post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.xlsx", xlsx(portfolio_sheets(3)))},
        format="multipart",
    )
    run_id = response.json()["id"]
    assert ImportRun.objects.get(pk=run_id).status == ImportStatus.VALID

    # when: four requests commit it at the same moment, each on its own connection
    barrier = threading.Barrier(4)
    codes: list[int] = []
    lock = threading.Lock()

    def commit() -> None:
        try:
            client = api(manager)
            barrier.wait(timeout=10)
            code = client.post(f"/api/v1/imports/{run_id}/commit/").status_code
            with lock:
                codes.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=commit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then
    assert sorted(codes) == [200, 409, 409, 409]
    run = ImportRun.objects.get(pk=run_id)
    assert (run.status, run.error, bool(run.file)) == (ImportStatus.COMMITTED, "", False)
    assert Operator.objects.count() == 3


def test_a_commit_of_a_run_no_longer_ready_is_409_and_changes_nothing(manager, org):
    run = ImportRunFactory(user=manager, organization=org, status=ImportStatus.COMMITTED)

    with pytest.raises(ConflictError, match="Imported"):
        import_services.import_run_commit_request(user=manager, run=run)

    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED


def test_an_api_upload_retried_with_its_idempotency_key_makes_one_run(api, manager, org):
    c = api(manager)

    def upload(key: str):
        file = SimpleUploadedFile("ops.csv", _csv_upload())
        return c.post(
            "/api/v1/imports/", {"file": file}, format="multipart", HTTP_IDEMPOTENCY_KEY=key
        )

    first, again = upload("upload-7"), upload("upload-7")
    other = upload("upload-8")

    assert (first.status_code, again.status_code, other.status_code) == (202, 202, 202)
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert ImportRun.objects.count() == 2
    assert upload("not a key!").status_code == 400
    assert ImportRun.objects.count() == 2
