"""Compliance items of provider notices (compliance.registry).

`provider_notice`: one item per notice, due at the deadline's hour (`due_at`), so it shows in
the worklist's Today block within 24 hours and is reminded on the rule's hour ladder; overdue
from that instant; compliant once fixed. `record_inaccurate`: a notice that lists fields to
fix means the filing information is inaccurate, to change within 10 working days of receipt.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q

from compliance.engine.base import BEIJING, Ctx, _, estimate_note, iso, make_item, next_change
from compliance.messages import Note
from compliance.registry import rule
from compliance.rules import RuleCode as R
from compliance.types import ComplianceStatus as S
from compliance.types import EvaluatedItem
from icp.identifiers import domain_display

from ..models import NoticeProvider, NoticeState, ProviderNotice
from .receivers import connect

# Imported once by MonitoringConfig.ready (through monitoring.evaluators): the receivers too.
connect()

_FIELDS = (
    "id",
    "provider",
    "provider_name",
    "received_at",
    "deadline_at",
    "fields_to_fix",
    "state",
    "state_changed_at",
    "access_kept",
    "domain__name",
    "miniprogram__name",
    "operator_id",
    "operator__name_zh",
    "operator__organization_id",
    "operator__province_id",
)


def _service_name(row: dict) -> str:
    if row["domain__name"]:
        return domain_display(row["domain__name"])
    return str(row["miniprogram__name"])


# The providers' names as Notes: stored untranslated, read in each reader's language.
_PROVIDERS: dict[str, Note] = {
    NoticeProvider.ALIBABA: _("Alibaba Cloud"),
    NoticeProvider.TENCENT: _("Tencent Cloud"),
    NoticeProvider.HUAWEI: _("Huawei Cloud"),
    NoticeProvider.BAIDU: _("Baidu AI Cloud"),
    NoticeProvider.VOLCANO: _("Volcano Engine"),
    NoticeProvider.OTHER: _("Other (name it)"),
}


def _provider(row: dict) -> Note | str:
    if row["provider"] == NoticeProvider.OTHER and row["provider_name"]:
        return str(row["provider_name"])
    return _PROVIDERS[row["provider"]]


@rule(R.PROVIDER_NOTICE, R.RECORD_INACCURATE)
def notice_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.PROVIDER_NOTICE, R.RECORD_INACCURATE):
        return
    rows = ProviderNotice.objects.filter(scope).order_by().values(*_FIELDS)
    for row in rows:
        received = row["received_at"].astimezone(BEIJING)
        if received.date() > ctx.as_of:
            continue  # not received yet as of the date
        name = _service_name(row)
        if R.PROVIDER_NOTICE in ctx.params:
            yield _notice_item(ctx, row, name)
        if R.RECORD_INACCURATE in ctx.params and row["fields_to_fix"]:
            yield _inaccurate_item(ctx, row, name, received.date())


def _notice_item(ctx: Ctx, row: dict, name: str) -> EvaluatedItem:
    deadline = row["deadline_at"].astimezone(BEIJING)
    values = {
        "name": name,
        "provider": _provider(row),
        "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
        "fields": "、".join(row["fields_to_fix"]) or "—",
    }
    state = row["state"]
    changes_on: datetime.date | None = None
    changes_at: datetime.datetime | None = None
    if state == NoticeState.FIXED:
        status, msg = S.COMPLIANT, _("The %(provider)s notice about %(name)s is fixed.")
    elif state == NoticeState.WITHDRAWN:
        status, msg = S.NOT_APPLICABLE, _("The %(provider)s notice about %(name)s was withdrawn.")
    else:
        missed = ctx.now >= deadline if ctx.now is not None else ctx.as_of > deadline.date()
        if state == NoticeState.ACCESS_CANCELLED:
            status = S.OVERDUE
            msg = _(
                "%(name)s missed the %(provider)s deadline of %(deadline)s and lost its "
                "access: fix %(fields)s, record the fix, and restore access."
            )
        elif missed:
            status = S.OVERDUE
            msg = _(
                "The %(provider)s deadline for %(name)s passed at %(deadline)s (Beijing time): "
                "fix %(fields)s now and record the fix, or access will be cancelled."
            )
        else:
            status = S.DUE_SOON
            msg = _(
                "%(provider)s asks to fix %(fields)s of %(name)s by %(deadline)s (Beijing "
                "time), or it cancels the service's access (取消接入)."
            )
            if ctx.now is None:
                changes_on = next_change(ctx.as_of, deadline.date() + datetime.timedelta(days=1))
            else:
                changes_at = deadline
    return make_item(
        R.PROVIDER_NOTICE,
        "notice",
        row,
        name=name,
        status=status,
        due=deadline.date(),
        message=msg % values,
        due_at=deadline,
        changes_on=changes_on,
        changes_at=changes_at,
    )


def _inaccurate_item(ctx: Ctx, row: dict, name: str, received: datetime.date) -> EvaluatedItem:
    days = int(ctx.params[R.RECORD_INACCURATE]["working_days"])
    deadline = ctx.calendar.add_working_days(received, days)
    due = deadline.date
    values = {
        "name": name,
        "fields": "、".join(row["fields_to_fix"]),
        "due": iso(due),
        "days": days,
        "received": iso(received),
    }
    state = row["state"]
    if state == NoticeState.FIXED:
        status, msg = S.COMPLIANT, _("The inaccurate information of %(name)s was changed.")
    elif state == NoticeState.WITHDRAWN:
        status = S.NOT_APPLICABLE
        msg = _("The notice saying %(name)s had inaccurate information was withdrawn.")
    elif ctx.as_of > due:
        status = S.OVERDUE
        msg = _(
            "%(fields)s of %(name)s were found inaccurate on %(received)s and had to be "
            "changed within %(days)d working days (by %(due)s): submit the change filing now."
        )
    else:
        status = S.DUE_SOON
        msg = _(
            "%(fields)s of %(name)s were found inaccurate on %(received)s: change them by "
            "%(due)s (%(days)d working days)."
        )
    return make_item(
        R.RECORD_INACCURATE,
        "notice",
        row,
        name=name,
        status=status,
        due=due,
        message=msg % values + estimate_note(deadline),
        changes_on=next_change(ctx.as_of, due + datetime.timedelta(days=1)),
    )
