"""A report requested while Redis is down is built once Redis and the worker are back.

Our own redis-server and Celery worker (tests/notifications/test_integration.py) against the
pytest database. The request answers 202 with the run waiting; the periodic sweep, run by the
worker once Redis is back, queues it again and the worker builds it.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import sys
import time

import pytest
from django.utils import timezone

from icpfiling.celery import app
from reports.models import ReportRun, RunStatus
from tests.notifications.test_integration import ROOT, RedisServer, Worker, _publish_to, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    work = tmp_path_factory.mktemp("reports-worker")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    redis_server = RedisServer(work)
    redis_server.start()
    (work / "mail").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_server.url,
        "EMAIL_FILE_PATH": str(work / "mail"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
    }
    old_url = app.conf.broker_url
    _publish_to(redis_server.url)
    worker = Worker(env, work / "worker.log")
    worker.start()
    try:
        yield redis_server, worker
    finally:
        worker.stop()
        with contextlib.suppress(Exception):
            app.pool.force_close_all()  # type: ignore[attr-defined]
        _publish_to(old_url)
        redis_server.stop()


def test_report_requested_with_redis_down_is_built_once_it_is_back(stack, manager, api, settings):
    redis_server, worker = stack
    settings.REPORTS_SYNC_MAX_SERVICES = -1  # every report goes to the worker
    redis_server.stop()

    # when: the report is requested while the broker is down
    started = time.monotonic()
    response = api(manager).post("/api/v1/reports/", {"kind": "portfolio"}, format="json")
    answered = time.monotonic() - started

    # then: answered (not 500), recorded and waiting
    assert response.status_code == 202
    run = ReportRun.objects.get(pk=response.json()["id"])
    assert run.status == RunStatus.PENDING

    # when: Redis is back, the message is long lost, and the beat entry's sweep runs
    redis_server.start()
    ReportRun.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    started = time.monotonic()
    app.send_task("reports.requeue_stale")
    wait_for(
        lambda: ReportRun.objects.get(pk=run.pk).status == RunStatus.DONE,
        "the worker to build the re-queued run",
        timeout=90,
        tail=worker.tail,
    )
    recovered = time.monotonic() - started

    # then: built once, the file is a PDF
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == (RunStatus.DONE, 100, "")
    stored = worker.log_path.parent / "media" / run.file.name  # the worker's MEDIA_ROOT
    assert stored.read_bytes()[:5] == b"%PDF-"
    log = worker.log_since_start()
    assert len(re.findall(r"Task reports\.render\[[0-9a-f-]+\] succeeded", log)) == 1
    sys.stderr.write(
        f"\nreports recovery: 202 with redis down in {answered:.2f}s, "
        f"sweep to done in {recovered:.2f}s\n"
    )
