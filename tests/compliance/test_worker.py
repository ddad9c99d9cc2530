"""The time-driven and nightly compliance tasks in a real Celery worker on a real Redis.

An upgrade leaves data without rows; the 15-minute `compliance.advance` task, run by the
worker, builds them. A change that bypassed the signals (a bulk UPDATE) is repaired by the
nightly `compliance.reconcile`, which fans out one `compliance.refresh` per batch.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone

from compliance.models import ComplianceItem, OperatorCompliance
from icpfiling.celery import app
from miniprograms.models import Domain
from tests.factories import DomainFactory
from tests.notifications.test_integration import ROOT, RedisServer, Worker, _publish_to, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    work = tmp_path_factory.mktemp("compliance-worker")
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
    }
    old_url = app.conf.broker_url
    _publish_to(redis_server.url)
    proc = Worker(env, work / "worker.log")
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()
        _publish_to(old_url)
        redis_server.stop()


def test_the_worker_builds_missing_rows_and_repairs_a_bypassed_change(worker):
    expiring = DomainFactory(expires_on=TODAY + datetime.timedelta(days=10))
    DomainFactory(operator=expiring.operator, expires_on=TODAY - datetime.timedelta(days=1))
    # As after an upgrade: subjects without rows.
    ComplianceItem.objects.all().delete()
    OperatorCompliance.objects.all().delete()

    app.send_task("compliance.advance")
    wait_for(
        lambda: OperatorCompliance.objects.filter(operator=expiring.operator).exists(),
        "compliance.advance to build the rows",
        tail=worker.tail,
    )
    summary = OperatorCompliance.objects.get(operator=expiring.operator)
    assert (summary.worst_status, summary.overdue, summary.due_soon) == ("overdue", 1, 1)
    row = ComplianceItem.objects.get(subject_id=expiring.pk, rule="domain_expiry")
    assert row.status == "due_soon"

    # A bulk UPDATE fires no signal; the nightly reconcile repairs it in the worker.
    Domain.objects.filter(pk=expiring.pk).update(expires_on=TODAY - datetime.timedelta(days=3))
    app.send_task("compliance.reconcile")
    wait_for(
        lambda: ComplianceItem.objects.filter(
            subject_id=expiring.pk, rule="domain_expiry", closed_at=None, status="overdue"
        ).exists(),
        "compliance.reconcile to repair the drifted row",
        tail=worker.tail,
    )
    row.refresh_from_db()
    assert (row.closed_at is not None, row.close_reason) == (True, "superseded")
    wait_for(lambda: "drifted item" in worker.log_since_start(), "the drift in the log")
