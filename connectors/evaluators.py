"""Compliance items of what connectors learn (compliance.registry).

`wechat_certification_review`: WeChat announces (``notify_3rd_wxa_wxverify``, 60 and 30 days
before and on the day) that a mini-program's certification needs its annual review (年审);
one item per announced review, due on the expiry's Beijing date, due soon from `warn_days`
before, overdue after, compliant once a person records the renewal.

`face_verification`: a face-verification task (``create_icp_verifytask``) must be completed
by the responsible person before it expires (3 days; 1 day in the combined flow). Like
provider notices it is an hour rule: due at the task's expiry instant (`due_at`), so it
shows in the worklist's Today block within 24 hours and is reminded on the rule's hour
ladder. Only the latest task of a mini-program is judged: a new task replaces a failed or
expired one (the older item then closes as superseded), and two tasks of one mini-program
expiring on the same day would otherwise claim the same item.

Both items are about the mini-program (subject type ``miniprogram``), so they link to its
page and reach the people responsible for it and for its operator like every other
mini-program item (notifications.recipients). Neither model has an operator of its own: the
engine's operator scope is followed through the mini-program.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.db.models import Q

from compliance.engine.base import BEIJING, Ctx, _, beijing_date, iso, make_item, next_change
from compliance.registry import rule
from compliance.rules import RuleCode as R
from compliance.types import ComplianceStatus as S
from compliance.types import EvaluatedItem

from .models import CertificationReview, FaceTaskState, FaceVerifyTask
from .receivers import connect

# Imported once by ConnectorsConfig.ready: the receivers that keep these items current too.
connect()

SUBJECT = "miniprogram"
_MINIPROGRAM_FIELDS = (
    "miniprogram_id",
    "miniprogram__name",
    "miniprogram__operator_id",
    "miniprogram__operator__name_zh",
    "miniprogram__operator__organization_id",
    "miniprogram__operator__province_id",
)


def through_miniprogram(scope: Q) -> Q:
    """The engine's scope (lookups on a subject's ``operator``) for a model that reaches its
    operator through ``miniprogram``."""
    rebased = Q()
    rebased.connector, rebased.negated = scope.connector, scope.negated
    for child in scope.children:
        if isinstance(child, Q):
            rebased.children.append(through_miniprogram(child))
        else:
            lookup, value = cast(tuple[str, Any], child)
            rebased.children.append((f"miniprogram__{lookup}", value))
    return rebased


def _row(values: dict) -> dict:
    """A values() row in the shape compliance.engine.base.make_item reads."""
    return {
        **values,
        "operator_id": values["miniprogram__operator_id"],
        "operator__name_zh": values["miniprogram__operator__name_zh"],
        "operator__organization_id": values["miniprogram__operator__organization_id"],
        "operator__province_id": values["miniprogram__operator__province_id"],
    }


def _latest_per_miniprogram(
    rows: Iterable[dict], since: str, as_of: datetime.date
) -> Iterator[dict]:
    """The latest row of each mini-program by its `since` instant (then id), among those
    that existed by `as_of` (Beijing), in make_item's shape."""
    latest: dict[int, dict] = {}
    for values in rows:
        if beijing_date(values[since]) > as_of:
            continue  # not there yet as of the date
        seen = latest.get(values["miniprogram_id"])
        if seen is None or (values[since], values["id"]) > (seen[since], seen["id"]):
            latest[values["miniprogram_id"]] = values
    return (_row(values) for values in latest.values())


# --- certification annual review ----------------------------------------------------------


@rule(R.WECHAT_CERTIFICATION_REVIEW)
def certification_review_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.WECHAT_CERTIFICATION_REVIEW):
        return
    rows = (
        CertificationReview.objects.filter(through_miniprogram(scope))
        .order_by()
        .values("id", "expires_at", "notified_at", "renewed_on", *_MINIPROGRAM_FIELDS)
    )
    # Two platforms announcing the same mini-program's review would otherwise claim the same
    # item: the latest announcement is the one that counts.
    for row in _latest_per_miniprogram(rows, "notified_at", ctx.as_of):
        yield _certification_item(ctx, row)


def _certification_item(ctx: Ctx, row: dict) -> EvaluatedItem:
    warn = int(ctx.params[R.WECHAT_CERTIFICATION_REVIEW]["warn_days"])
    expires = beijing_date(row["expires_at"])
    renewed = row["renewed_on"]
    values = {"name": row["miniprogram__name"], "expires": iso(expires)}
    due: datetime.date | None = expires
    changes = next_change(
        ctx.as_of, expires - datetime.timedelta(days=warn), expires + datetime.timedelta(days=1)
    )
    left = (expires - ctx.as_of).days
    if renewed is not None and renewed <= ctx.as_of:
        status, due, changes = S.COMPLIANT, None, None
        values["renewed"] = iso(renewed)
        msg = _("The WeChat certification annual review of %(name)s was completed on %(renewed)s.")
    elif left < 0:
        status = S.OVERDUE
        msg = _(
            "The WeChat certification of %(name)s expired on %(expires)s: complete its annual "
            "review (微信认证年审) in the WeChat admin now, then record the renewal here."
        )
    elif left == 0:
        status = S.DUE_SOON
        msg = _(
            "The WeChat certification of %(name)s expires today, %(expires)s: complete its "
            "annual review (微信认证年审) in the WeChat admin today."
        )
    elif left <= warn:
        status = S.DUE_SOON
        values["days"] = left
        msg = _(
            "The WeChat certification of %(name)s expires on %(expires)s (in %(days)d days): "
            "complete its annual review (微信认证年审) in the WeChat admin before then."
        )
    else:
        status = S.COMPLIANT
        msg = _("The WeChat certification of %(name)s is valid until %(expires)s.")
    return make_item(
        R.WECHAT_CERTIFICATION_REVIEW,
        SUBJECT,
        row,
        subject_id=row["miniprogram_id"],
        name=row["miniprogram__name"],
        status=status,
        due=due,
        message=msg % values,
        changes_on=changes,
    )


# --- face verification ----------------------------------------------------------------------


@rule(R.FACE_VERIFICATION)
def face_verification_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.FACE_VERIFICATION):
        return
    rows = (
        FaceVerifyTask.objects.filter(through_miniprogram(scope))
        .order_by()
        .values(
            "id",
            "task_id",
            "created_at",
            "expires_at",
            "state",
            "finished_at",
            "along_with_auth",
            *_MINIPROGRAM_FIELDS,
        )
    )
    for row in _latest_per_miniprogram(rows, "created_at", ctx.as_of):
        yield _face_item(ctx, row)


def _face_item(ctx: Ctx, row: dict) -> EvaluatedItem:
    expires = row["expires_at"].astimezone(BEIJING)
    values = {"name": row["miniprogram__name"], "deadline": expires.strftime("%Y-%m-%d %H:%M")}
    state = row["state"]
    due: datetime.date | None = expires.date()
    due_at: datetime.datetime | None = expires
    changes_on: datetime.date | None = None
    changes_at: datetime.datetime | None = None
    passed = ctx.now >= expires if ctx.now is not None else ctx.as_of > expires.date()
    if state == FaceTaskState.SUCCEEDED:
        status, due, due_at = S.COMPLIANT, None, None
        msg = _("The responsible person of %(name)s completed the face verification.")
    elif state == FaceTaskState.FAILED:
        status = S.OVERDUE
        msg = _(
            "The face verification of the responsible person of %(name)s failed: create a new "
            "verification task and ask the person to complete it in WeChat."
        )
    elif state == FaceTaskState.EXPIRED or passed:
        status = S.OVERDUE
        msg = _(
            "The face-verification task of %(name)s expired at %(deadline)s (Beijing time) "
            "before the responsible person completed it: create a new task."
        )
    else:
        status = S.DUE_SOON
        msg = _(
            "The responsible person of %(name)s must complete the face verification (人脸核验) "
            "in WeChat by %(deadline)s (Beijing time), or the task expires and the filing "
            "waits for a new one."
        )
        if ctx.now is None:
            changes_on = next_change(ctx.as_of, expires.date() + datetime.timedelta(days=1))
        else:
            changes_at = expires
    return make_item(
        R.FACE_VERIFICATION,
        SUBJECT,
        row,
        subject_id=row["miniprogram_id"],
        name=row["miniprogram__name"],
        status=status,
        due=due,
        message=msg % values,
        due_at=due_at,
        changes_on=changes_on,
        changes_at=changes_at,
    )
