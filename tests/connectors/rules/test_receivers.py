"""Saving or deleting a certification review or a face-verification task re-evaluates its
operator's compliance rows (connectors.receivers), whoever writes it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import tracking
from compliance.models import ComplianceItem
from compliance.rules import RuleCode as R
from connectors.models import FaceTaskState
from tests.factories import CertificationReviewFactory, FaceVerifyTaskFactory, MiniProgramFactory

from .helpers import H, at

pytestmark = pytest.mark.django_db
NOW = at(datetime.date(2026, 5, 20), 10)


def _rows(mp, rule):
    return list(
        ComplianceItem.objects.filter(
            subject_type="miniprogram", subject_id=mp.pk, rule=rule, closed_at=None
        ).values_list("status", "due_date")
    )


@time_machine.travel(NOW, tick=False)
def test_review_saved_renewed_and_deleted_keeps_the_rows_current(operator):
    mp = MiniProgramFactory(operator=operator)
    tracking.flush()
    assert _rows(mp, R.WECHAT_CERTIFICATION_REVIEW) == []

    review = CertificationReviewFactory(
        miniprogram=mp, expires_at=at(datetime.date(2026, 6, 30)), notified_at=NOW
    )
    tracking.flush()
    assert _rows(mp, R.WECHAT_CERTIFICATION_REVIEW) == [("due_soon", datetime.date(2026, 6, 30))]

    review.renewed_on = datetime.date(2026, 5, 20)
    review.save()
    tracking.flush()
    assert _rows(mp, R.WECHAT_CERTIFICATION_REVIEW) == [("compliant", None)]

    review.delete()
    tracking.flush()
    assert _rows(mp, R.WECHAT_CERTIFICATION_REVIEW) == []


@time_machine.travel(NOW, tick=False)
def test_face_task_finished_and_deleted_keeps_the_rows_current(operator):
    mp = MiniProgramFactory(operator=operator)
    task = FaceVerifyTaskFactory(miniprogram=mp, created_at=NOW, expires_at=NOW + 72 * H)
    tracking.flush()
    assert _rows(mp, R.FACE_VERIFICATION) == [("due_soon", (NOW + 72 * H).date())]

    task.state, task.finished_at = FaceTaskState.SUCCEEDED, NOW
    task.save()
    tracking.flush()
    assert _rows(mp, R.FACE_VERIFICATION) == [("compliant", None)]

    task.delete()
    tracking.flush()
    assert _rows(mp, R.FACE_VERIFICATION) == []


@time_machine.travel(NOW, tick=False)
def test_a_held_miniprogram_costs_no_query_to_find_the_operator(operator):
    mp = MiniProgramFactory(operator=operator)
    tracking.flush()
    task = FaceVerifyTaskFactory(miniprogram=mp, created_at=NOW, expires_at=NOW + 72 * H)
    tracking.flush()
    task.state = FaceTaskState.FAILED
    with CaptureQueriesContext(connection) as ctx:
        task.save()  # the factory's task holds its mini-program
    assert [q["sql"] for q in ctx.captured_queries if "miniprograms_miniprogram" in q["sql"]] == []
    tracking.flush()
    assert _rows(mp, R.FACE_VERIFICATION) == [("overdue", (NOW + 72 * H).date())]


@time_machine.travel(NOW, tick=False)
def test_deleting_the_miniprogram_takes_its_items_with_it(operator):
    mp = MiniProgramFactory(operator=operator)
    FaceVerifyTaskFactory(miniprogram=mp, created_at=NOW, expires_at=NOW + 72 * H)
    CertificationReviewFactory(
        miniprogram=mp, expires_at=at(datetime.date(2026, 6, 30)), notified_at=NOW
    )
    tracking.flush()
    assert len(_rows(mp, R.FACE_VERIFICATION) + _rows(mp, R.WECHAT_CERTIFICATION_REVIEW)) == 2

    mp.delete()  # the cascade deletes the task and the review (their receivers find no operator)
    tracking.flush()
    assert _rows(mp, R.FACE_VERIFICATION) + _rows(mp, R.WECHAT_CERTIFICATION_REVIEW) == []
