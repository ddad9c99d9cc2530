"""Mini-programs, apps and quick apps: the 2023 notice (domain.md §4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_noop

from miniprograms.models import Lifecycle, MiniProgram, ServiceKind

from ..messages import Note
from ..registry import rule
from ..types import EvaluatedItem
from .base import (
    ALWAYS,
    OPERATOR_FIELDS,
    Ctx,
    R,
    S,
    _,
    approved_at_subquery,
    filed_on,
    iso,
    make_item,
    next_change,
)

# Marked here, translated per run through the memoized _ (lazy labels are slow in bulk).
KIND_LABELS = {
    ServiceKind.MINIPROGRAM: gettext_noop("Mini-program"),
    ServiceKind.APP: gettext_noop("App"),
    ServiceKind.QUICKAPP: gettext_noop("Quick app"),
}


def _service_label(row: dict) -> Note:
    return _("%(kind)s “%(name)s”") % {
        "kind": _(KIND_LABELS[row["kind"]]),
        "name": row["name"],
    }


# The inspection window has no subjects of its own: it shapes the existing-deadline messages.
@rule(R.MINIPROGRAM_EXISTING_DEADLINE, R.MINIPROGRAM_FILE_BEFORE_LAUNCH, R.INSPECTION_WINDOW)
def miniprogram_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    """Filing deadlines of mini-programs and apps: existing ones and new ones before launch."""
    existing, new = (
        ctx.wants(R.MINIPROGRAM_EXISTING_DEADLINE),
        ctx.wants(R.MINIPROGRAM_FILE_BEFORE_LAUNCH),
    )
    if not (existing or new):
        return
    qs = MiniProgram.objects.filter(scope)
    if existing and not new:
        cutoff = ctx.date_param(R.MINIPROGRAM_EXISTING_DEADLINE, "launched_before")
        qs = qs.filter(launch_date__lt=cutoff)
    elif new and not existing:
        cutoff = ctx.date_param(R.MINIPROGRAM_FILE_BEFORE_LAUNCH, "launched_from")
        qs = qs.filter(Q(launch_date__gte=cutoff) | Q(launch_date__isnull=True))
    rows = (
        qs.order_by()
        .values("id", "name", "kind", "launch_date", "lifecycle", "icp_number", *OPERATOR_FIELDS)
        .annotate(approved_at=approved_at_subquery("miniprogram"))
    )
    before = (
        ctx.date_param(R.MINIPROGRAM_EXISTING_DEADLINE, "launched_before") if existing else None
    )
    start = ctx.date_param(R.MINIPROGRAM_FILE_BEFORE_LAUNCH, "launched_from") if new else None
    for row in rows:
        launch = row["launch_date"]
        if before is not None and launch is not None and launch < before:
            yield _existing_deadline(ctx, row)
        elif start is not None and (launch is None or launch >= start):
            yield _file_before_launch(ctx, row)


def _existing_deadline(ctx: Ctx, row: dict) -> EvaluatedItem:
    rule = R.MINIPROGRAM_EXISTING_DEADLINE
    p = ctx.params[rule]
    deadline = ctx.date_param(rule, "deadline")
    label = _service_label(row)
    one = datetime.timedelta(days=1)
    window = ctx.params.get(R.INSPECTION_WINDOW) or {}
    changes = next_change(
        ctx.as_of,
        row["launch_date"],
        deadline - datetime.timedelta(days=p["warn_days"]),
        deadline,
        deadline + one,
        *(datetime.date.fromisoformat(window[k]) for k in ("start", "end") if k in window),
        datetime.date.fromisoformat(window["end"]) + one if "end" in window else None,
    )

    def item(status: str, due: datetime.date | None, message: Note) -> EvaluatedItem:
        return make_item(
            rule,
            "miniprogram",
            row,
            name=row["name"],
            status=status,
            due=due,
            message=message,
            changes_on=None if status == S.COMPLIANT and due is None else changes,
        )

    if row["lifecycle"] == Lifecycle.DELISTED:
        return item(
            S.NOT_APPLICABLE, None, _("%(s)s is delisted; it needs no filing.") % {"s": label}
        )
    if row["launch_date"] > ctx.as_of:
        return item(
            S.NOT_APPLICABLE,
            None,
            _("%(s)s had not gone live by %(date)s.") % {"s": label, "date": iso(ctx.as_of)},
        )
    filed = filed_on(row, ctx.as_of)
    if filed is not None:
        if filed is not ALWAYS and filed > deadline:
            msg = _("%(s)s was filed on %(filed)s, after the %(deadline)s deadline.")
        else:
            msg = _("%(s)s is filed.")
        return item(
            S.COMPLIANT, None, msg % {"s": label, "filed": iso(filed), "deadline": iso(deadline)}
        )
    left = (deadline - ctx.as_of).days
    values: dict[str, Any] = {"s": label, "deadline": iso(deadline), "days": left}
    if left > 0:
        status = S.DUE_SOON if left <= p["warn_days"] else S.COMPLIANT
        msg = _(
            "%(s)s went live before the 2023 notice and has no approved filing: get it "
            "approved by %(deadline)s (due in %(days)d days)."
        )
        return item(status, deadline, msg % values)
    if left == 0:
        msg = _(
            "%(s)s went live before the 2023 notice and has no approved filing: the deadline "
            "is today, %(deadline)s."
        )
        return item(S.DUE_SOON, deadline, msg % values)
    values["since"] = iso(deadline + datetime.timedelta(days=1))
    return item(S.OVERDUE, deadline, _existing_overdue_message(ctx, values) % values)


def _existing_overdue_message(ctx: Ctx, values: dict[str, Any]) -> Note:
    """Past the deadline: what the 2024 inspection window (if active) means as of the date.

    Adds the window's dates to `values`.
    """
    window = ctx.params.get(R.INSPECTION_WINDOW)
    if window is not None:
        w_start = datetime.date.fromisoformat(window["start"])
        w_end = datetime.date.fromisoformat(window["end"])
        values.update(start=iso(w_start), end=iso(w_end))
        values["routine"] = iso(w_end + datetime.timedelta(days=1))
        if w_start <= ctx.as_of <= w_end:
            return _(
                "%(s)s has had no approved filing since the %(deadline)s deadline (overdue "
                "since %(since)s) and may be taken down during the inspection that runs until "
                "%(end)s: file it now or take it offline."
            )
        if ctx.as_of > w_end:
            return _(
                "%(s)s has been overdue since %(since)s without an approved filing; under "
                "routine supervision since %(routine)s it can be taken down at any time: file "
                "it now or take it offline."
            )
    return _(
        "%(s)s has been overdue since %(since)s without an approved filing: file it now or "
        "take it offline."
    )


def _file_before_launch(ctx: Ctx, row: dict) -> EvaluatedItem:
    rule = R.MINIPROGRAM_FILE_BEFORE_LAUNCH
    p = ctx.params[rule]
    label = _service_label(row)
    launch = row["launch_date"]
    live = row["lifecycle"] == Lifecycle.LIVE
    changes = None
    if launch is not None:
        changes = next_change(ctx.as_of, launch - datetime.timedelta(days=p["warn_days"]), launch)

    def item(status: str, due: datetime.date | None, message: Note) -> EvaluatedItem:
        return make_item(
            rule,
            "miniprogram",
            row,
            name=row["name"],
            status=status,
            due=due,
            message=message,
            changes_on=changes,
        )

    if row["lifecycle"] == Lifecycle.DELISTED:
        return item(
            S.NOT_APPLICABLE, None, _("%(s)s is delisted; it needs no filing.") % {"s": label}
        )
    filed = filed_on(row, ctx.as_of)
    values = {"s": label, "launch": iso(launch) if launch else "", "filed": ""}
    if filed is not None:
        values["filed"] = iso(filed)
        if filed is not ALWAYS and launch is not None and filed > launch:
            msg = _("%(s)s is filed (on %(filed)s, after going live on %(launch)s).")
        else:
            msg = _("%(s)s is filed.")
        return item(S.COMPLIANT, None, msg % values)
    if launch is None:
        if live:
            msg = _(
                "%(s)s is live without an approved filing: file it now or take it offline, "
                "and record its launch date."
            )
            return item(S.OVERDUE, None, msg % values)
        msg = _("%(s)s has no planned launch date; it must be filed before it goes live.")
        return item(S.NOT_APPLICABLE, None, msg % values)
    left = (launch - ctx.as_of).days
    values["days"] = left
    if left > 0:
        msg = _(
            "%(s)s must have an approved filing before it goes live on %(launch)s (in "
            "%(days)d days): submit the filing now."
        )
        return item(S.DUE_SOON if left <= p["warn_days"] else S.COMPLIANT, launch, msg % values)
    if live:
        msg = _(
            "%(s)s has been live since %(launch)s without an approved filing: file it now or "
            "take it offline."
        )
        return item(S.OVERDUE, launch, msg % values)
    msg = _(
        "%(s)s was planned to go live on %(launch)s but has no approved filing: keep it "
        "offline until the filing is approved."
    )
    return item(S.DUE_SOON, launch, msg % values)
