"""The time-driven and nightly compliance tasks in a real Celery worker on a real Redis.

An upgrade leaves data without rows; the 15-minute `compliance.advance` task, run by the
worker, builds them. A change that bypassed the signals (a bulk UPDATE) is repaired by the
nightly `compliance.reconcile`, which fans out one `compliance.refresh` per batch.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from compliance.models import ComplianceItem, OperatorCompliance
from icpfiling.celery import app
from miniprograms.models import Domain
from tests.factories import DomainFactory
from tests.notifications.test_integration import wait_for
from tests.worker_stack import worker_stack

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def today() -> datetime.date:
    """Today where the test runs (read per call: a run may cross midnight)."""
    return timezone.localdate()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    with worker_stack(tmp_path_factory.mktemp("compliance-worker")) as stack:
        yield stack.worker


def test_the_worker_builds_missing_rows_and_repairs_a_bypassed_change(worker):
    expiring = DomainFactory(expires_on=today() + datetime.timedelta(days=10))
    DomainFactory(operator=expiring.operator, expires_on=today() - datetime.timedelta(days=1))
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
    Domain.objects.filter(pk=expiring.pk).update(expires_on=today() - datetime.timedelta(days=3))
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
