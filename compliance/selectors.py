"""Compliance reads scoped to the requesting user."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from accounts.types import User
from icp.workdays import WorkdayCalendar
from miniprograms.models import Operator
from miniprograms.selectors import operator_list_for_user

from .engine import compliance_items, summarize
from .types import ComplianceStatus, EvaluatedItem


def compliance_operators_for_user(
    *, user: User, operator_id: int | None = None, province: str | None = None
) -> QuerySet[Operator]:
    """The operators whose compliance `user` may see, optionally narrowed.

    Raises Operator.DoesNotExist when `operator_id` is missing or not the user's alike.
    """
    operators = operator_list_for_user(user=user)
    if operator_id is not None:
        if not operators.filter(pk=operator_id).exists():
            raise Operator.DoesNotExist
        operators = operators.filter(pk=operator_id)
    if province:
        operators = operators.filter(province_id=province)
    return operators


def compliance_items_for_user(
    *,
    user: User,
    as_of: datetime.date,
    operator_id: int | None = None,
    province: str | None = None,
    status: str | None = None,
    rule: str | None = None,
    calendar: WorkdayCalendar | None = None,
) -> list[EvaluatedItem]:
    """compliance_items for the operators `user` may see (worst first, then by due date)."""
    operators = compliance_operators_for_user(user=user, operator_id=operator_id, province=province)
    items = compliance_items(
        as_of=as_of,
        operators=operators,
        rules=None if rule is None else [rule],
        calendar=calendar,
    )
    if status is not None:
        items = [i for i in items if i.status == status]
    return items


def operator_compliance_for_user(*, user: User, as_of: datetime.date) -> list[dict]:
    """One row per operator the user may see, worst first.

    Each row: operator_id, operator_name, organization_id, province_code, worst_status,
    next_deadline, next_deadline_rule, counts {status: n}. Operators with no items are
    included with worst_status "not_applicable".
    """
    operators = operator_list_for_user(user=user)
    rows = summarize(compliance_items(as_of=as_of, operators=operators), as_of=as_of)["operators"]
    seen = {r["operator_id"] for r in rows}
    empty = {str(s): 0 for s in ComplianceStatus}
    for op in operators.order_by("name_zh").values(
        "id", "name_zh", "organization_id", "province_id"
    ):
        if op["id"] not in seen:
            rows.append(
                {
                    "operator_id": op["id"],
                    "operator_name": op["name_zh"],
                    "organization_id": op["organization_id"],
                    "province_code": op["province_id"],
                    "worst_status": str(ComplianceStatus.NOT_APPLICABLE),
                    "next_deadline": None,
                    "next_deadline_rule": None,
                    "counts": dict(empty),
                }
            )
    return rows
