"""A report requested while Redis is down is built once Redis and the worker are back.

Our own redis-server and Celery worker (tests/notifications/test_integration.py) against the
pytest database. The request answers 202 with the run waiting; the periodic sweep, run by the
worker once Redis is back, queues it again and the worker builds it.
"""

from __future__ import annotations

import datetime
import re
import sys
import time

import pytest
from django.utils import timezone

from icpfiling.celery import app
from reports.models import ReportRun, RunStatus
from tests.notifications.test_integration import wait_for
from tests.worker_stack import worker_stack

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    with worker_stack(tmp_path_factory.mktemp("reports-worker")) as running:
        yield running


def test_report_requested_with_redis_down_is_built_once_it_is_back(stack, manager, api, settings):
    redis_server, worker = stack.redis, stack.worker
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
