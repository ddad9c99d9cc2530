"""Face-verification tasks of a mini-program's responsible person (`create_icp_verifytask`).

WeChat gives a task 3 days (1 day in the combined certification-and-filing flow); the person
does it on their phone and WeChat pushes the result (notify_icpfiling_verify_result). The
pushes can be lost, so pending tasks are also polled (`query_icp_verifytask`), and a task past
its deadline is marked expired so the reminders stop asking for it.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.access import ensure_can_edit_operator
from core.dates import validate_date_range
from miniprograms.models import MiniProgram

from ..errors import ConnectorError
from ..models import CertificationReview, ConnectorAccount, FaceTaskState, FaceVerifyTask
from .client import WeChatClient

logger = logging.getLogger(__name__)

TASK_VALIDITY = datetime.timedelta(days=3)
TASK_VALIDITY_WITH_AUTH = datetime.timedelta(days=1)
# query_icp_verifytask face_status: 0 not started, 1 waiting, 2 failed, 3 ok.
FACE_STATUS_STATE = {2: FaceTaskState.FAILED, 3: FaceTaskState.SUCCEEDED}
# How many pending tasks one tick polls (the rest wait for the next tick or their push).
REFRESH_BATCH = 50


def face_task_create(
    *,
    user: Any,
    account: ConnectorAccount,
    miniprogram: MiniProgram,
    along_with_auth: bool = False,
) -> FaceVerifyTask:
    """Ask WeChat for a face-verification task of the mini-program's responsible person."""
    ensure_can_edit_operator(user, miniprogram.operator)
    if (
        account.organization_id != miniprogram.organization_id
        or account.kind != "wechat"
        or not account.enabled
    ):
        # Another organization's account is not to be revealed: as if it did not exist.
        raise Http404
    task_id = WeChatClient(account).create_verify_task(
        miniprogram.appid, along_with_auth=along_with_auth
    )
    now = timezone.now()
    validity = TASK_VALIDITY_WITH_AUTH if along_with_auth else TASK_VALIDITY
    return FaceVerifyTask.objects.create(
        account=account,
        miniprogram=miniprogram,
        task_id=task_id,
        along_with_auth=along_with_auth,
        created_at=now,
        expires_at=now + validity,
    )


def face_task_refresh(task: FaceVerifyTask) -> FaceVerifyTask:
    """Poll WeChat for a pending task's state; a finished one is left as it is."""
    if task.state != FaceTaskState.PENDING:
        return task
    answer = WeChatClient(task.account).query_verify_task(task.miniprogram.appid, task.task_id)
    try:
        face_status = int(answer.get("face_status", 0))
    except (TypeError, ValueError):
        face_status = 0
    with transaction.atomic():
        locked = FaceVerifyTask.objects.select_for_update().get(pk=task.pk)
        if locked.state != FaceTaskState.PENDING:
            return locked  # the push decided it meanwhile
        locked.face_status = face_status
        fields = ["face_status"]
        state = FACE_STATUS_STATE.get(face_status)
        if state is not None and answer.get("is_finish", True):
            locked.state = state
            locked.finished_at = timezone.now()
            fields += ["state", "finished_at"]
        locked.save(update_fields=fields)
    return locked


def expire_face_tasks(now: datetime.datetime | None = None) -> int:
    """Mark every pending task past its deadline expired; how many."""
    now = now or timezone.now()
    return FaceVerifyTask.objects.filter(state=FaceTaskState.PENDING, expires_at__lte=now).update(
        state=FaceTaskState.EXPIRED, finished_at=now
    )


def face_tasks_tick(now: datetime.datetime | None = None) -> dict[str, int]:
    """Expire what is past its deadline, then poll a batch of the pending ones (the oldest
    first). A vendor error on one task is logged and the others go on.
    """
    now = now or timezone.now()
    expired = expire_face_tasks(now)
    refreshed = 0
    pending = (
        FaceVerifyTask.objects.filter(
            state=FaceTaskState.PENDING, account__enabled=True, expires_at__gt=now
        )
        .select_related("account", "miniprogram")
        .order_by("created_at", "pk")[:REFRESH_BATCH]
    )
    for task in pending:
        if task.account.is_backing_off(now):
            continue
        try:
            face_task_refresh(task)
        except ConnectorError as exc:
            logger.warning("Face-verification task %s not refreshed: %s", task.pk, exc.message)
            continue
        refreshed += 1
    return {"expired": expired, "refreshed": refreshed}


@transaction.atomic
def certification_review_renewed(
    *, user: Any, review: CertificationReview, renewed_on: datetime.date
) -> CertificationReview:
    """Record that the certification annual review was done (closes the rule's item; a later
    announcement of a new expiry opens it again).
    """
    ensure_can_edit_operator(user, review.miniprogram.operator)
    validate_date_range(renewed_on)
    review.renewed_on = renewed_on
    review.save(update_fields=["renewed_on"])
    return review
