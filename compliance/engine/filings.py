"""Applications: review SLAs while in flight (domain.md §3.2) and change notice (§3.4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from filings.models import FilingApplication, FilingKind, FilingStatus, FilingStatusChange
from icp.identifiers import domain_display

from ..messages import Note
from ..registry import rule
from ..types import EvaluatedItem
from .base import (
    BEIJING,
    OPERATOR_FIELDS,
    Ctx,
    R,
    S,
    _,
    beijing_date,
    estimate_note,
    iso,
    make_item,
    next_change,
)

_DAY = datetime.timedelta(days=1)
_SLA_STATUS = {
    R.AUTHORITY_REVIEW_SLA: FilingStatus.AUTHORITY_REVIEW,
    R.SMS_VERIFICATION_WINDOW: FilingStatus.SMS_VERIFICATION,
    R.PROVIDER_REVIEW_SLA: FilingStatus.PROVIDER_REVIEW,
}


def filing_name(row: dict) -> str:
    if row["miniprogram__name"]:
        return row["miniprogram__name"]
    if row["domain__name"]:
        return domain_display(row["domain__name"])
    return row["operator__name_zh"]


def _status_as_of(ctx: Ctx) -> tuple[Subquery, Subquery, Exists]:
    """The last status change recorded by the end of `as_of` (Beijing): its status and time."""
    day_after = ctx.as_of + datetime.timedelta(days=1)
    end = datetime.datetime.combine(day_after, datetime.time.min, tzinfo=BEIJING)
    last = FilingStatusChange.objects.filter(filing=OuterRef("pk"), created_at__lt=end).order_by(
        "-created_at", "-id"
    )
    return (
        Subquery(last.values("to_status")[:1]),
        Subquery(last.values("created_at")[:1]),
        Exists(FilingStatusChange.objects.filter(filing=OuterRef("pk"))),
    )


@rule(R.AUTHORITY_REVIEW_SLA, R.SMS_VERIFICATION_WINDOW, R.PROVIDER_REVIEW_SLA)
def filing_sla_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    """Applications in a timed stage as of the date, from their history.

    An application without any history (imported, or made by hand) is judged by its current
    status and status_entered_at; not applicable if it entered that status after `as_of`.
    """
    wanted = {rule: status for rule, status in _SLA_STATUS.items() if rule in ctx.params}
    if not wanted:
        return
    rule_for = {status: rule for rule, status in wanted.items()}
    for row in _sla_rows(ctx, scope, wanted.values()):
        if row["has_history"]:
            row["status_entered_at"] = row["entered_then"]
            row["status"] = row["status_then"]
        yield _sla_item(ctx, rule_for[row["status"]], row)


def _sla_rows(ctx: Ctx, scope: Q, statuses: Iterable[str]) -> QuerySet:
    statuses = list(statuses)
    status_then, entered_then, has_history = _status_as_of(ctx)
    return (
        FilingApplication.objects.filter(scope)
        .annotate(status_then=status_then, entered_then=entered_then, has_history=has_history)
        .filter(Q(status_then__in=statuses) | Q(has_history=False, status__in=statuses))
        .order_by()
        .values(
            "id",
            "status",
            "status_entered_at",
            "status_then",
            "entered_then",
            "has_history",
            "miniprogram__name",
            "domain__name",
            "operator__province__review_working_days",
            *OPERATOR_FIELDS,
        )
    )


def _sla_item(ctx: Ctx, rule: str, row: dict) -> EvaluatedItem:
    name = filing_name(row)
    entered = beijing_date(row["status_entered_at"])
    values: dict[str, Any] = {"id": row["id"], "name": name, "entered": iso(entered)}
    if entered > ctx.as_of:
        msg = _("Application #%(id)s for “%(name)s” entered this stage on %(entered)s.")
        return _filing_item(
            rule, row, name, S.NOT_APPLICABLE, None, msg % values, changes_on=entered
        )
    if rule == R.SMS_VERIFICATION_WINDOW:
        return _sms_window_item(ctx, row, name, values)
    return _review_sla_item(ctx, rule, row, name, entered, values)


def _filing_item(
    rule: str,
    row: dict,
    name: str,
    status: str,
    due: datetime.date | None,
    message: Note,
    estimated: bool = False,
    *,
    changes_on: datetime.date | None = None,
    due_at: datetime.datetime | None = None,
    changes_at: datetime.datetime | None = None,
) -> EvaluatedItem:
    return make_item(
        rule,
        "filing",
        row,
        name=name,
        status=status,
        due=due,
        message=message,
        estimated=estimated,
        changes_on=changes_on,
        due_at=due_at,
        changes_at=changes_at,
    )


def _sms_window_item(ctx: Ctx, row: dict, name: str, values: dict[str, Any]) -> EvaluatedItem:
    """Due soon until the window's end, overdue from that instant (evaluated against
    ``ctx.now``); "as of" a whole day, overdue from the day after."""
    rule = R.SMS_VERIFICATION_WINDOW
    hours = ctx.params[rule]["hours"]
    ends = (row["status_entered_at"] + datetime.timedelta(hours=hours)).astimezone(BEIJING)
    values.update(ends=ends.strftime("%Y-%m-%d %H:%M"), hours=hours)
    closed = ctx.now >= ends if ctx.now is not None else ctx.as_of > ends.date()
    if closed:
        msg = _(
            "The %(hours)d-hour MIIT SMS verification window of application #%(id)s "
            "for “%(name)s” closed at %(ends)s: ask the provider to resend the SMS."
        )
        return _filing_item(rule, row, name, S.OVERDUE, ends.date(), msg % values, due_at=ends)
    msg = _(
        "The responsible persons must answer the MIIT SMS for application #%(id)s "
        "(“%(name)s”) by %(ends)s (Beijing time)."
    )
    changes_on, changes_at = None, ends
    if ctx.now is None:
        changes_on, changes_at = next_change(ctx.as_of, ends.date() + _DAY), None
    return _filing_item(
        rule,
        row,
        name,
        S.DUE_SOON,
        ends.date(),
        msg % values,
        changes_on=changes_on,
        due_at=ends,
        changes_at=changes_at,
    )


def _review_sla_item(
    ctx: Ctx, rule: str, row: dict, name: str, entered: datetime.date, values: dict[str, Any]
) -> EvaluatedItem:
    p = ctx.params[rule]
    days = p["working_days"]
    if rule == R.AUTHORITY_REVIEW_SLA:
        days = row["operator__province__review_working_days"] or days
    deadline = ctx.calendar.add_working_days(entered, days)
    late = ctx.as_of > deadline.date
    left = 0 if late else ctx.calendar.working_days_between(ctx.as_of, deadline.date)
    values.update(due=iso(deadline.date), days=days, left=left)
    if rule == R.AUTHORITY_REVIEW_SLA:
        status, msg = _authority_review_status(late, left, p["warn_working_days"])
    else:
        status, msg = _provider_review_status(late, left)
    message = msg % values + estimate_note(deadline)
    # Working days left are counted daily until the deadline has passed.
    changes = None if late else ctx.as_of + datetime.timedelta(days=1)
    return _filing_item(
        rule,
        row,
        name,
        status,
        deadline.date,
        message,
        deadline.estimated,
        changes_on=changes,
    )


def _authority_review_status(late: bool, left: int, warn: int) -> tuple[str, Note]:
    if late:
        return S.OVERDUE, _(
            "The authority has not decided application #%(id)s for “%(name)s” "
            "within %(days)d working days (due %(due)s): ask the provider to "
            "chase the communications administration."
        )
    status = S.DUE_SOON if left <= warn else S.COMPLIANT
    return status, _(
        "The authority should decide application #%(id)s for “%(name)s” by "
        "%(due)s (%(left)d working days left)."
    )


def _provider_review_status(late: bool, left: int) -> tuple[str, Note]:
    if late:
        return S.OVERDUE, _(
            "The provider has not finished reviewing application #%(id)s for "
            "“%(name)s” within %(days)d working days (due %(due)s): contact the "
            "provider and answer its verification call."
        )
    status = S.DUE_SOON if left == 0 else S.COMPLIANT
    return status, _(
        "The provider should finish reviewing application #%(id)s for “%(name)s” "
        "by %(due)s; keep the responsible persons reachable by phone."
    )


# --- change filings ------------------------------------------------------------------------


@rule(R.CHANGE_NOTICE)
def change_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.CHANGE_NOTICE):
        return
    p = ctx.params[R.CHANGE_NOTICE]
    submitted_at = Subquery(
        FilingStatusChange.objects.filter(filing=OuterRef("pk"), from_status=FilingStatus.DRAFT)
        .exclude(to_status=FilingStatus.WITHDRAWN)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = (
        FilingApplication.objects.filter(scope, kind=FilingKind.CHANGE, planned_for__isnull=False)
        .order_by()
        .values(
            "id",
            "status",
            "planned_for",
            "miniprogram__name",
            "domain__name",
            *OPERATOR_FIELDS,
        )
        .annotate(submitted_at=submitted_at)
    )
    for row in rows:
        name = filing_name(row)
        planned = row["planned_for"]
        due = planned - datetime.timedelta(days=p["days_ahead"])
        changes = None
        values = {
            "id": row["id"],
            "name": name,
            "planned": iso(planned),
            "due": iso(due),
            "days": p["days_ahead"],
        }
        submitted = row["submitted_at"] and beijing_date(row["submitted_at"])
        if submitted and submitted <= ctx.as_of:
            values["submitted"] = iso(submitted)
            if submitted > due:
                msg = _(
                    "Change application #%(id)s for “%(name)s” was submitted on %(submitted)s, "
                    "less than %(days)d days before the change on %(planned)s."
                )
            else:
                msg = _("Change application #%(id)s for “%(name)s” was submitted in time.")
            status, due_date = S.COMPLIANT, None
        elif row["status"] == FilingStatus.WITHDRAWN:
            msg = _("Change application #%(id)s for “%(name)s” was withdrawn.")
            status, due_date = S.NOT_APPLICABLE, None
        else:
            left = (due - ctx.as_of).days
            values["left"] = left
            due_date = due
            changes = next_change(
                ctx.as_of,
                due - datetime.timedelta(days=p["warn_days"]),
                due + datetime.timedelta(days=1),
            )
            if left < 0:
                status = S.OVERDUE
                msg = _(
                    "Change application #%(id)s for “%(name)s” had to be submitted by %(due)s, "
                    "%(days)d days before the change on %(planned)s: submit it now or move the "
                    "change date."
                )
            else:
                status = S.DUE_SOON if left <= p["warn_days"] else S.COMPLIANT
                msg = _(
                    "Submit change application #%(id)s for “%(name)s” by %(due)s, %(days)d "
                    "days before the change on %(planned)s."
                )
        yield make_item(
            R.CHANGE_NOTICE,
            "filing",
            row,
            name=name,
            status=status,
            due=due_date,
            message=msg % values,
            changes_on=changes,
        )
