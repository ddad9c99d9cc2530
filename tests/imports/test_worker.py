"""An import stored while the broker was down finishes by itself once it is back: our own
redis-server and Celery worker, the imports.sweep task queueing the forgotten run again."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icpfiling.celery import app
from imports.models import ImportRun, ImportStatus
from miniprograms.models import Operator
from tests.factories import valid_uscc
from tests.notifications.test_integration import (
    _free_port,
    _publish_to,
    wait_for,
)
from tests.worker_stack import worker_stack

pytestmark = [
    pytest.mark.integration,
    pytest.mark.real_queue,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    # the sweep takes any run still waiting
    env = {"IMPORTS_REQUEUE_AFTER_MINUTES": "0"}
    with worker_stack(tmp_path_factory.mktemp("imports-worker"), env=env) as stack:
        yield stack


def _status(run_id: int) -> str:
    return ImportRun.objects.get(pk=run_id).status


def test_a_run_stored_while_the_broker_was_down_is_finished_by_the_sweep(
    worker, api, manager, org, settings
):
    # given: the broker is down when the file is uploaded
    settings.MEDIA_ROOT = worker.media  # the worker reads the stored file
    rows = [f"公司{i},{valid_uscc(700 + i)},粤" for i in range(3)]
    content = ("name_zh,uscc,province\n" + "\n".join(rows) + "\n").encode()
    _publish_to(f"redis://127.0.0.1:{_free_port()}/0")
    start = time.perf_counter()
    response = api(manager).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("ops.csv", content)}, format="multipart"
    )
    seconds = time.perf_counter() - start
    run_id = response.json()["id"]
    assert response.status_code == 202
    assert seconds < 10  # the failed publish is retried briefly, then given up
    assert _status(run_id) == ImportStatus.PENDING

    # when: the broker is back and beat's sweep runs in the worker
    _publish_to(worker.redis.url)
    time.sleep(1)  # nothing happens by itself: the message was never published
    assert _status(run_id) == ImportStatus.PENDING
    app.send_task("imports.sweep")

    # then: checked by the worker with no manual step, then imported through it
    wait_for(lambda: _status(run_id) == ImportStatus.VALID, "the preview", tail=worker.worker.tail)
    commit = api(manager).post(f"/api/v1/imports/{run_id}/commit/")
    assert (commit.status_code, commit.json()["status"]) == (202, "queued")
    wait_for(
        lambda: _status(run_id) == ImportStatus.COMMITTED, "the commit", tail=worker.worker.tail
    )
    assert Operator.objects.filter(organization=org).count() == 3
    assert list(worker.media.rglob("*.csv")) == []  # the upload is not kept once imported
