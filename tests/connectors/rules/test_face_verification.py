"""face_verification: an hour rule on the latest task of each mini-program — due soon at its
expiry instant, overdue once expired or failed ("create a new task"), compliant when done."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from compliance.messages import render_message
from compliance.rules import RuleCode as R
from connectors.models import FaceTaskState
from tests.factories import FaceVerifyTaskFactory, MiniProgramFactory

from .helpers import H, at, items_of

pytestmark = pytest.mark.django_db
RULE = R.FACE_VERIFICATION
NOW = at(datetime.date(2026, 3, 10), 9)  # 09:00 Beijing


def _task(operator, expires_in: datetime.timedelta, **kwargs):
    mp = MiniProgramFactory(operator=operator, name="好物小程序")
    return FaceVerifyTaskFactory(
        miniprogram=mp,
        created_at=NOW - datetime.timedelta(days=1),
        expires_at=NOW + expires_in,
        **kwargs,
    )


def _item(now=NOW):
    [item] = items_of(RULE, as_of=now.date(), now=now)
    return item


@pytest.mark.parametrize("hours", [25, 3])
def test_pending_task_is_due_soon_at_its_expiry_instant(operator, hours):
    task = _task(operator, hours * H)
    item = _item()
    assert (item.subject_type, item.subject_id, item.operator_id) == (
        "miniprogram",
        task.miniprogram_id,
        operator.pk,
    )
    assert (item.status, item.due_at, item.due_date) == (
        "due_soon",
        task.expires_at,
        task.expires_at.date(),
    )
    # turns overdue at that hour (compliance.tracking.advance)
    assert (item.changes_at, item.changes_on) == (task.expires_at, None)


def test_pending_task_past_its_instant_is_overdue(operator):
    task = _task(operator, 3 * H)
    item = _item(NOW + 3 * H)
    assert (item.status, item.due_at) == ("overdue", task.expires_at)
    assert item.changes_at is None


def test_pending_task_as_of_a_whole_day_closes_when_its_day_is_over(operator):
    task = _task(operator, 3 * H)
    [same_day] = items_of(RULE, as_of=NOW.date())
    [next_day] = items_of(RULE, as_of=NOW.date() + datetime.timedelta(days=1))
    assert (same_day.status, same_day.changes_on) == (
        "due_soon",
        task.expires_at.date() + datetime.timedelta(days=1),
    )
    assert next_day.status == "overdue"


@pytest.mark.parametrize("state", [FaceTaskState.EXPIRED, FaceTaskState.FAILED])
def test_expired_or_failed_task_is_overdue_and_says_create_a_new_task(operator, state):
    _task(operator, 20 * H, state=state, finished_at=NOW - H)
    item = _item()
    assert item.status == "overdue"
    with translation.override("en"):
        assert "create a new" in render_message(item.note)


def test_succeeded_task_is_compliant_without_a_deadline(operator):
    _task(operator, 20 * H, state=FaceTaskState.SUCCEEDED, finished_at=NOW - H)
    item = _item()
    assert (item.status, item.due_date, item.due_at, item.changes_at) == (
        "compliant",
        None,
        None,
        None,
    )


def test_a_new_task_replaces_the_failed_one(operator):
    failed = _task(operator, 20 * H, state=FaceTaskState.FAILED, finished_at=NOW - 2 * H)
    new = FaceVerifyTaskFactory(
        miniprogram=failed.miniprogram,
        account=failed.account,
        created_at=NOW - H,
        expires_at=NOW + 71 * H,
    )
    item = _item()
    assert (item.status, item.due_at) == ("due_soon", new.expires_at)


def test_a_task_created_after_the_date_is_not_judged(operator):
    _task(operator, 20 * H)  # created the day before NOW
    assert items_of(RULE, as_of=NOW.date() - datetime.timedelta(days=2)) == []


def test_messages_in_english_and_chinese(operator):
    _task(operator, 3 * H)
    item = _item()
    with translation.override("en"):
        assert render_message(item.note) == (
            "The responsible person of 好物小程序 must complete the face verification (人脸核验) "
            "in WeChat by 2026-03-10 12:00 (Beijing time), or the task expires and the filing "
            "waits for a new one."
        )
    with translation.override("zh-hans"):
        zh = render_message(item.note)
    assert "好物小程序" in zh
    assert "2026-03-10 12:00" in zh
