"""The record after approval (domain.md §12): services whose access was cancelled while they
are still live, and entities left as 空壳 (shell) by their services.

Read from the register's record states (miniprograms.models.RecordState, kept by
miniprograms.services.record); the shell rule is the kernel's (icp.records.entity_record), the
route per province is data (Province.shell_may_add_service).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q

from icp.identifiers import domain_display
from icp.records import EntityRecord, ShellRoute, entity_record, shell_route
from miniprograms.models import Domain, Lifecycle, MiniProgram, Operator, RecordState

from ..registry import rule
from ..types import EvaluatedItem
from .base import OPERATOR_FIELDS, Ctx, R, S, _, iso, make_item, next_change

_CANCELLED = RecordState.ACCESS_CANCELLED
_RECORD_FIELDS = ("id", "record_state", "record_state_since", *OPERATOR_FIELDS)


# A service with a record made, or a number on record (imported numbers and services filed
# before record states existed count as filed: they keep the entity alive).
_HAS_RECORD = ~Q(record_state=RecordState.NONE) | ~Q(icp_number="")


def _service_rows(scope: Q) -> Iterator[tuple[str, dict]]:
    """(subject type, row) of every domain and mini-program/app with a record or a number;
    `state` is the record state, `filed` for a number without a record yet."""
    domains = (
        Domain.objects.filter(scope)
        .filter(_HAS_RECORD)
        .order_by()
        .values("name", "live_since", "icp_number", *_RECORD_FIELDS)
    )
    for row in domains:
        row["label"] = domain_display(row["name"])
        yield "domain", _with_state(row)
    programs = (
        MiniProgram.objects.filter(scope)
        .filter(_HAS_RECORD)
        .order_by()
        .values("name", "lifecycle", "icp_number", *_RECORD_FIELDS)
    )
    for row in programs:
        row["label"] = row["name"]
        yield "miniprogram", _with_state(row)


def _with_state(row: dict) -> dict:
    none = row["record_state"] == RecordState.NONE
    row["state"] = RecordState.FILED if none else row["record_state"]
    return row


def _is_live(subject_type: str, row: dict, as_of: datetime.date) -> bool:
    if subject_type == "domain":
        return row["live_since"] is not None and row["live_since"] <= as_of
    return bool(row["lifecycle"] == Lifecycle.LIVE)


@rule(R.RECORD_ACCESS_CANCELLED, R.RECORD_SHELL)
def record_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    """Access cancelled while live (overdue at once), and shell entities with their route."""
    if not ctx.wants(R.RECORD_ACCESS_CANCELLED, R.RECORD_SHELL):
        return
    by_operator: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    for subject_type, row in _service_rows(scope):
        by_operator[row["operator_id"]].append((subject_type, row))
        if R.RECORD_ACCESS_CANCELLED in ctx.params and row["state"] == _CANCELLED:
            yield _access_cancelled(ctx, subject_type, row)
    if R.RECORD_SHELL in ctx.params and by_operator:
        yield from _shell_items(ctx, by_operator)


def _access_cancelled(ctx: Ctx, subject_type: str, row: dict) -> EvaluatedItem:
    since = row["record_state_since"]
    values = {"name": row["label"], "since": iso(since) if since else ""}
    if _is_live(subject_type, row, ctx.as_of):
        status, due = S.OVERDUE, since or ctx.as_of
        msg = _(
            "%(name)s lost its access (取消接入) on %(since)s but is still live: restore "
            "access with a new-access filing (新增接入) or take it offline now."
        )
    else:
        status, due = S.COMPLIANT, None
        msg = _(
            "%(name)s has no access (取消接入) and is offline: file new access before serving "
            "it again."
        )
    changes = next_change(ctx.as_of, row.get("live_since"))
    return make_item(
        R.RECORD_ACCESS_CANCELLED,
        subject_type,
        row,
        name=row["label"],
        status=status,
        due=due,
        message=msg % values,
        changes_on=changes,
    )


def _shell_items(
    ctx: Ctx, by_operator: dict[int, list[tuple[str, dict]]]
) -> Iterator[EvaluatedItem]:
    days = int(ctx.params[R.RECORD_SHELL]["notice_days"])
    shells = {
        op_id: services
        for op_id, services in by_operator.items()
        if entity_record(row["state"] for _t, row in services) == EntityRecord.SHELL
    }
    if not shells:
        return
    routes = dict(
        Operator.objects.filter(pk__in=shells).values_list("pk", "province__shell_may_add_service")
    )
    for op_id, services in shells.items():
        first = services[0][1]
        since = max(
            (row["record_state_since"] for _t, row in services if row["record_state_since"]),
            default=ctx.as_of,
        )
        due = since + datetime.timedelta(days=days)
        values = {"since": iso(since), "due": iso(due), "name": first["operator__name_zh"]}
        route = shell_route(may_add_service=bool(routes.get(op_id)))
        if route == ShellRoute.ADD_SERVICE:
            msg = _(
                "%(name)s has no service with access since %(since)s: it is a shell entity "
                "(空壳主体) the authority may cancel from about %(due)s. Its province lets it "
                "add a service directly: file a new service or restore access now."
            )
        else:
            msg = _(
                "%(name)s has no service with access since %(since)s: it is a shell entity "
                "(空壳主体) the authority may cancel from about %(due)s. Its province does not "
                "let a shell entity add a service: cancel the entity's filing and file again."
            )
        row = {**first, "id": op_id}
        yield make_item(
            R.RECORD_SHELL,
            "operator",
            row,
            name=first["operator__name_zh"],
            status=S.OVERDUE if ctx.as_of > due else S.DUE_SOON,
            due=due,
            message=msg % values,
            changes_on=next_change(ctx.as_of, due + datetime.timedelta(days=1)),
        )
