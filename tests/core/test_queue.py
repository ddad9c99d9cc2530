"""The enqueue seam: work is queued after the commit, never on rollback."""

from __future__ import annotations

import pytest
from django.db import transaction

from core.queue import UnknownTaskError, enqueue_many_on_commit, enqueue_on_commit, task_for

pytestmark = pytest.mark.django_db


class FakeTask:
    name = "tests.fake"

    def __init__(self, *, fail_after: int | None = None) -> None:
        self.calls: list[tuple[tuple, dict]] = []
        self.fail_after = fail_after

    def delay(self, *args, **kwargs) -> None:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise ConnectionError("broker down")
        self.calls.append((args, kwargs))


def _rolled_back(service) -> None:
    """Run `service` in a transaction that then fails and rolls back."""
    try:
        with transaction.atomic():
            service()
            raise RuntimeError("the service failed after queueing")
    except RuntimeError:
        pass


def test_task_is_queued_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    task = FakeTask()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(task, 7, day="2026-01-15")
        assert task.calls == []  # still inside the transaction

    assert len(callbacks) == 1
    assert task.calls == [((7,), {"day": "2026-01-15"})]


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    task = FakeTask()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _rolled_back(lambda: enqueue_on_commit(task, 7))

    assert callbacks == []
    assert task.calls == []


def test_a_registered_name_resolves_to_its_celery_task():
    from imports.tasks import import_preview_task
    from reports.tasks import render_report_task

    assert task_for("imports.preview").name == import_preview_task.name == "imports.preview"
    assert task_for("reports.render").name == render_report_task.name == "reports.render"
    assert task_for("reports.import_preview").name == "reports.import_preview"  # old name
    assert task_for("reports.import_commit").name == "reports.import_commit"


def test_an_unknown_name_fails_in_the_caller_and_queues_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(UnknownTaskError):
        enqueue_on_commit("imports.no_such_task", 1)

    assert callbacks == []


def test_many_are_queued_after_commit_one_message_each(django_capture_on_commit_callbacks):
    task = FakeTask()

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_many_on_commit(task, [1, 2, 3])
        assert task.calls == []

    assert task.calls == [((1,), {}), ((2,), {}), ((3,), {})]


def test_broker_failure_hands_the_unpublished_ids_back(django_capture_on_commit_callbacks):
    task = FakeTask(fail_after=1)
    returned: list[list[int]] = []

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_many_on_commit(task, [1, 2, 3], on_failure=returned.append)

    assert task.calls == [((1,), {})]
    assert returned == [[2, 3]]


def test_many_queue_nothing_on_rollback(django_capture_on_commit_callbacks):
    task = FakeTask()
    returned: list[list[int]] = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _rolled_back(lambda: enqueue_many_on_commit(task, [1, 2], on_failure=returned.append))

    assert (callbacks, task.calls, returned) == ([], [], [])
