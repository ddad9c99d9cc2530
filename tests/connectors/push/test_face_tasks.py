"""Face-verification tasks: created for people who may edit the operator, polled, expired."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from connectors.errors import TransportError
from connectors.models import FaceTaskState, FaceVerifyTask
from connectors.tasks import face_tasks_tick_task
from connectors.wechat import services
from connectors.wechat.client import WeChatClient
from core.exceptions import PermissionDeniedError
from tests.factories import ConnectorAccountFactory, FaceVerifyTaskFactory, MiniProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wechat(monkeypatch):
    """A recording WeChat client: `answers` maps task_id to query_verify_task's answer (or
    an exception to raise)."""

    class Recorder:
        created: list[tuple[str, bool]] = []
        queried: list[str] = []
        answers: dict[str, object] = {}

    def create(self, appid, *, along_with_auth=False):
        Recorder.created.append((appid, along_with_auth))
        return f"task-{len(Recorder.created)}"

    def query(self, appid, task_id):
        Recorder.queried.append(task_id)
        answer = Recorder.answers[task_id]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(WeChatClient, "create_verify_task", create)
    monkeypatch.setattr(WeChatClient, "query_verify_task", query)
    Recorder.created, Recorder.queried, Recorder.answers = [], [], {}
    return Recorder


@pytest.fixture
def miniprogram(operator):
    return MiniProgramFactory(operator=operator)


@pytest.fixture
def account(org):
    return ConnectorAccountFactory(organization=org)


@pytest.mark.parametrize(("along", "days"), [(False, 3), (True, 1)])
def test_create_asks_wechat_and_sets_the_deadline(
    editor, account, miniprogram, wechat, along, days
):
    before = timezone.now()
    task = services.face_task_create(
        user=editor, account=account, miniprogram=miniprogram, along_with_auth=along
    )
    assert wechat.created == [(miniprogram.appid, along)]
    assert (task.task_id, task.state, task.along_with_auth) == ("task-1", "pending", along)
    assert before + datetime.timedelta(days=days) <= task.expires_at
    assert task.expires_at <= timezone.now() + datetime.timedelta(days=days)


def test_create_is_refused_to_a_viewer_and_changes_nothing(viewer, account, miniprogram, wechat):
    with pytest.raises(PermissionDeniedError):
        services.face_task_create(user=viewer, account=account, miniprogram=miniprogram)
    assert wechat.created == []
    assert not FaceVerifyTask.objects.exists()


def test_another_organizations_account_is_as_if_absent(editor, miniprogram, wechat):
    foreign = ConnectorAccountFactory()  # its own organization
    with pytest.raises(Http404):
        services.face_task_create(user=editor, account=foreign, miniprogram=miniprogram)
    assert wechat.created == []
    assert not FaceVerifyTask.objects.exists()


@pytest.mark.parametrize(
    ("answer", "state", "face_status", "finished"),
    [
        ({"is_finish": True, "face_status": 3}, FaceTaskState.SUCCEEDED, 3, True),
        ({"is_finish": True, "face_status": 2}, FaceTaskState.FAILED, 2, True),
        ({"is_finish": False, "face_status": 1}, FaceTaskState.PENDING, 1, False),
        ({"is_finish": False, "face_status": 0}, FaceTaskState.PENDING, 0, False),
    ],
)
def test_refresh_reads_the_face_status(wechat, answer, state, face_status, finished):
    task = FaceVerifyTaskFactory(task_id="T1")
    wechat.answers = {"T1": answer}
    services.face_task_refresh(task)
    task.refresh_from_db()
    assert (task.state, task.face_status) == (state, face_status)
    assert (task.finished_at is not None) is finished


def test_refresh_of_a_decided_task_asks_nothing(wechat):
    task = FaceVerifyTaskFactory(task_id="T1", state=FaceTaskState.SUCCEEDED, face_status=3)
    services.face_task_refresh(task)
    assert wechat.queried == []
    task.refresh_from_db()
    assert task.state == FaceTaskState.SUCCEEDED


def test_expire_marks_only_pending_tasks_past_their_deadline():
    now = timezone.now()
    past = now - datetime.timedelta(minutes=1)
    overdue = FaceVerifyTaskFactory(expires_at=past)
    fresh = FaceVerifyTaskFactory(expires_at=now + datetime.timedelta(hours=1))
    done = FaceVerifyTaskFactory(expires_at=past, state=FaceTaskState.SUCCEEDED)
    assert services.expire_face_tasks(now) == 1
    assert services.expire_face_tasks(now) == 0  # idempotent
    states = {t.pk: t.state for t in FaceVerifyTask.objects.all()}
    assert states == {
        overdue.pk: FaceTaskState.EXPIRED,
        fresh.pk: FaceTaskState.PENDING,
        done.pk: FaceTaskState.SUCCEEDED,
    }


def test_tick_expires_then_polls_and_one_failure_does_not_stop_the_rest(wechat):
    now = timezone.now()
    overdue = FaceVerifyTaskFactory(task_id="OLD", expires_at=now - datetime.timedelta(hours=1))
    broken = FaceVerifyTaskFactory(task_id="T1")
    good = FaceVerifyTaskFactory(task_id="T2")
    wechat.answers = {
        "T1": TransportError("unreachable"),
        "T2": {"is_finish": True, "face_status": 3},
    }
    assert face_tasks_tick_task() == {"expired": 1, "refreshed": 1}
    assert sorted(wechat.queried) == ["T1", "T2"]  # the expired one is not asked about
    overdue.refresh_from_db()
    broken.refresh_from_db()
    good.refresh_from_db()
    assert overdue.state == FaceTaskState.EXPIRED
    assert broken.state == FaceTaskState.PENDING
    assert good.state == FaceTaskState.SUCCEEDED


def test_tick_leaves_accounts_that_are_backing_off(wechat):
    task = FaceVerifyTaskFactory(task_id="T1")
    task.account.backoff_until = timezone.now() + datetime.timedelta(hours=1)
    task.account.save(update_fields=["backoff_until"])
    wechat.answers = {"T1": {"is_finish": True, "face_status": 3}}
    assert services.face_tasks_tick() == {"expired": 0, "refreshed": 0}
    assert wechat.queried == []
