"""The Celery entry points of the maintained rows: thin wrappers, safe to run twice."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from compliance import tasks, tracking
from compliance.models import ComplianceItem, OperatorCompliance
from tests.factories import ComplianceItemFactory, DomainFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today where the test runs (read per call: a run may cross midnight)."""
    return timezone.localdate()


def test_advance_evaluates_operators_never_seen_and_is_idempotent():
    op = OperatorFactory()
    DomainFactory(operator=op, expires_on=today() - datetime.timedelta(days=1))
    tracking.discard_pending()  # as after an upgrade: data without rows
    assert not OperatorCompliance.objects.filter(operator=op).exists()
    first = tasks.advance_task.apply().get()
    assert first["operators"] >= 1
    assert ComplianceItem.objects.get(operator=op, rule="domain_expiry").status == "overdue"
    assert tasks.advance_task.apply().get()["operators"] == 0


def test_reconcile_queues_one_refresh_per_batch_and_purges_old_closed_items(monkeypatch):
    ops = [OperatorFactory() for _ in range(3)]
    monkeypatch.setattr(tasks, "RECONCILE_BATCH", 2)
    old = ComplianceItemFactory(
        operator=ops[0], closed_at=timezone.now() - datetime.timedelta(days=500)
    )
    recent = ComplianceItemFactory(
        operator=ops[0], closed_at=timezone.now() - datetime.timedelta(days=5)
    )
    with mock.patch.object(tasks, "enqueue_on_commit") as enqueue:
        batches = tasks.reconcile_task.apply().get()
    assert batches == len(enqueue.call_args_list) >= 2
    queued = [pk for call in enqueue.call_args_list for pk in call.args[1]]
    assert set(queued) >= {op.pk for op in ops}
    assert not ComplianceItem.objects.filter(pk=old.pk).exists()
    assert ComplianceItem.objects.filter(pk=recent.pk).exists()


def test_refresh_task_reports_drift_in_the_log(caplog):
    domain = DomainFactory(expires_on=datetime.date(2030, 1, 1))
    tracking.flush()
    type(domain).objects.filter(pk=domain.pk).update(expires_on=datetime.date(2020, 1, 1))
    drifted = tasks.refresh_task.apply(args=([domain.operator_id],), kwargs={"report": True}).get()
    assert drifted >= 1
    assert "drifted" in caplog.text
