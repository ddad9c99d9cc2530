"""The agency portfolio: every client operator with its compliance summary, filtered and
sorted in SQL today (one page, constant queries), or evaluated by the engine as of another
date over a bounded scope.

Within a status the worst clients come first: takedown risks, then the oldest open deadline
(the oldest overdue date of an overdue client, the next deadline of the others: never a
future date for an overdue client). Names sort by their stored pinyin key
(``Operator.name_sort``), and the search also finds a client by pinyin or initials.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from accounts.types import User
from compliance.engine import compliance_items
from compliance.models import OperatorCompliance
from compliance.selectors import ensure_as_of_scope, operators_with_compliance
from compliance.store import summary_for
from compliance.types import ComplianceStatus, EvaluatedItem
from miniprograms.filters import with_service_counts
from miniprograms.models import Operator
from miniprograms.names import search_key

from .compliance import OperatorSummary, severity
from .links import worklist_url

S = ComplianceStatus
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_SORT = "status"
STAFF_ME, STAFF_NONE = "me", "none"
MAX_ID = 2**31 - 1  # a larger "user id" is no user, not a database error
_PINYIN_QUERY = re.compile(r"[0-9A-Za-z\s'’-]+")
_MIN_PINYIN = 2  # one letter would match nearly every client


# --- summary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioSummary(OperatorSummary):
    """An operator's summary with what ranks it inside its status."""

    takedown_risk: int = 0
    oldest_overdue: datetime.date | None = None

    @property
    def open_deadline(self) -> datetime.date | None:
        """The oldest overdue date of an overdue client, the next deadline otherwise."""
        if self.worst == S.OVERDUE:
            return self.oldest_overdue
        return self.next_deadline

    @classmethod
    def from_compliance(cls, row: OperatorCompliance | None) -> PortfolioSummary:
        if row is None:
            return NO_ITEMS
        return cls(
            row.worst_status,
            row.overdue,
            row.due_soon,
            row.compliant,
            row.next_deadline,
            takedown_risk=row.takedown_risk,
            oldest_overdue=row.oldest_overdue,
        )

    @classmethod
    def from_figures(cls, figures: dict[str, Any]) -> PortfolioSummary:
        """From compliance.store.summary_for (the same arithmetic as the maintained rows)."""
        return cls(
            figures["worst_status"],
            figures[str(S.OVERDUE)],
            figures[str(S.DUE_SOON)],
            figures[str(S.COMPLIANT)],
            figures["next_deadline"],
            takedown_risk=figures["takedown_risk"],
            oldest_overdue=figures["oldest_overdue"],
        )


NO_ITEMS = PortfolioSummary(str(S.NOT_APPLICABLE))


# --- query ---------------------------------------------------------------------------------


class PortfolioForm(forms.Form):
    """The page's (and its export's) query parameters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    province = forms.CharField(label=_("Province"), required=False, max_length=6)
    status = forms.ChoiceField(
        label=_("Worst status"), required=False, choices=[("", ""), *S.choices]
    )
    staff = forms.CharField(label=_("Assigned staff"), required=False, max_length=20)
    sort = forms.CharField(label=_("Sort"), required=False, max_length=20)
    page_size = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        choices=[(n, n) for n in PAGE_SIZES],
        coerce=int,
        empty_value=PAGE_SIZES[0],  # type: ignore[arg-type]  # coerce gives ints
    )

    def clean_staff(self) -> str:
        value = self.cleaned_data["staff"]
        if value in ("", STAFF_ME, STAFF_NONE) or (value.isdigit() and int(value) <= MAX_ID):
            return value
        raise forms.ValidationError(
            _("Choose a staff member, “me” or “none”."), code="invalid_choice"
        )

    def clean_sort(self) -> str:
        value = self.cleaned_data["sort"] or DEFAULT_SORT
        if value.lstrip("-") not in PORTFOLIO_ORDER:
            raise forms.ValidationError(
                _("“%(value)s” is not a sort order here; use one of: %(keys)s."),
                code="invalid_choice",
                params={"value": value, "keys": ", ".join(PORTFOLIO_ORDER)},
            )
        return value


@dataclass(frozen=True)
class PortfolioQuery:
    q: str = ""
    province: str = ""
    status: str = ""
    staff: str = ""
    sort: str = DEFAULT_SORT
    page_size: int = PAGE_SIZES[0]


def parse_query(data: Any) -> tuple[PortfolioQuery, list[str]]:
    """The query from GET parameters, or the default one and the error messages."""
    form = PortfolioForm(data)
    if form.is_valid():
        return PortfolioQuery(**form.cleaned_data), []
    errors = [
        f"{form.fields[name].label or name}: {message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    return PortfolioQuery(), errors


def _assigned_staff() -> QuerySet[Membership]:
    return Membership.objects.exclude(role=Role.CLIENT)


def search_q(text: str) -> Q:
    """Name (Chinese or English) or USCC containing `text`; Latin text also matches the
    pinyin of the name ("beijing", "bei jing") or its initials ("bj")."""
    text = text.strip()
    q = Q(name_zh__icontains=text) | Q(name_en__icontains=text) | Q(uscc__icontains=text)
    key = search_key(text)
    if len(key) >= _MIN_PINYIN and _PINYIN_QUERY.fullmatch(text):
        q |= Q(name_sort__contains=key) | Q(name_initials__contains=key)
    return q


def filter_operators(
    operators: QuerySet[Operator], query: PortfolioQuery, *, user: User
) -> QuerySet[Operator]:
    """`operators` narrowed by province, assigned staff and search text."""
    if query.province:
        operators = operators.filter(province_id=query.province)
    staff = _assigned_staff().filter(operators=OuterRef("pk"))
    if query.staff == STAFF_ME:
        operators = operators.filter(Exists(staff.filter(user_id=user.pk or 0)))
    elif query.staff == STAFF_NONE:
        operators = operators.filter(~Exists(staff))
    elif query.staff:
        operators = operators.filter(Exists(staff.filter(user_id=int(query.staff))))
    if query.q:
        operators = operators.filter(search_q(query.q))
    return operators


def with_page_data(operators: QuerySet[Operator]) -> QuerySet[Operator]:
    """What every row shows besides the summary: service counts (two correlated counts)
    and the assigned staff (one prefetch per page)."""
    staff = _assigned_staff().select_related("user").order_by("user__username", "pk")
    return with_service_counts(operators).prefetch_related(
        Prefetch("assigned_memberships", queryset=staff, to_attr="staff_memberships")
    )


def _asc(name: str) -> OrderBy:
    return OrderBy(F(name), nulls_last=True)


def _desc(name: str) -> OrderBy:
    return OrderBy(F(name), descending=True, nulls_last=True)


# Sort keys in SQL (today) over portfolio_today()'s annotations; the name breaks ties.
PORTFOLIO_ORDER: dict[str, tuple[OrderBy, ...]] = {
    "status": (_desc("worst_severity"), _desc("takedown"), _asc("open_deadline")),
    "name": (OrderBy(F("name_sort")),),  # the order of the index operator_name_sort
    "province": (_asc("province_id"),),
    "takedown": (_desc("takedown"), _asc("open_deadline")),
    "overdue": (_desc("compliance__overdue"), _asc("open_deadline")),
    "deadline": (_asc("open_deadline"),),
}
TIE_BREAK = ("name_sort", "name_zh", "pk")


def _reverse(order: OrderBy) -> OrderBy:
    """The opposite direction, NULLs (no deadline, no summary) still last."""
    nulls_last = True if order.nulls_last else None
    return OrderBy(order.expression, descending=not order.descending, nulls_last=nulls_last)


def _late(value: datetime.date | None) -> tuple:
    """A date as a Python sort key like the SQL one: None last."""
    return (value is None, value or datetime.date.min)


# The same keys over page rows (another date, bounded scope).
PORTFOLIO_KEYS: dict[str, Callable[[dict[str, Any]], tuple]] = {
    "status": lambda r: (
        -severity(r["summary"].worst),
        -r["summary"].takedown_risk,
        _late(r["summary"].open_deadline),
    ),
    "name": lambda r: (r["operator"].name_sort,),
    "province": lambda r: (r["operator"].province_id,),
    "takedown": lambda r: (-r["summary"].takedown_risk, _late(r["summary"].open_deadline)),
    "overdue": lambda r: (-r["summary"].overdue, _late(r["summary"].open_deadline)),
    "deadline": lambda r: (_late(r["summary"].open_deadline),),
}


def portfolio_today(operators: QuerySet[Operator], *, status: str, sort: str) -> QuerySet:
    """`operators` with their maintained summary, filtered by worst status and sorted in
    SQL (`sort` is a PORTFOLIO_ORDER key, "-" for descending)."""
    # Only what a row shows: no organization, no per-rule counts (a JSON value per row).
    operators = operators.select_related(None).select_related("province")
    qs = (
        operators_with_compliance(operators)
        .defer("compliance__rule_counts")
        .annotate(
            takedown=Coalesce(
                F("compliance__takedown_risk"), Value(0), output_field=IntegerField()
            ),
            open_deadline=Case(
                When(compliance__worst_status=S.OVERDUE, then=F("compliance__oldest_overdue")),
                default=F("compliance__next_deadline"),
                output_field=DateField(),
            ),
        )
    )
    if status == S.NOT_APPLICABLE:
        qs = qs.filter(Q(compliance__isnull=True) | Q(compliance__worst_status=status))
    elif status in S.values:
        qs = qs.filter(compliance__worst_status=status)
    order = PORTFOLIO_ORDER[sort.lstrip("-")]
    if sort.startswith("-"):
        order = tuple(_reverse(e) for e in order)
    return with_page_data(qs).order_by(*order, *TIE_BREAK)


def portfolio_as_of(
    operators: QuerySet[Operator], *, as_of: datetime.date, status: str, sort: str
) -> list[dict]:
    """The same rows evaluated by the engine as of another date (bounded scope)."""
    ensure_as_of_scope(operators)
    ops = list(with_page_data(operators))
    summaries = summaries_by_operator(compliance_items(as_of=as_of, operators=operators), as_of)
    rows = portfolio_rows(ops, as_of=as_of, summaries=summaries)
    if status in S.values:
        rows = [row for row in rows if row["summary"].worst == status]
    rows.sort(key=lambda r: (r["operator"].name_sort, r["operator"].name_zh, r["operator"].pk))
    rows.sort(key=PORTFOLIO_KEYS[sort.lstrip("-")], reverse=sort.startswith("-"))
    return rows


def summaries_by_operator(
    items: list[EvaluatedItem], as_of: datetime.date
) -> dict[int, PortfolioSummary]:
    """Per operator: the store's summary arithmetic over its evaluated items."""
    by_operator: dict[int, list[EvaluatedItem]] = {}
    for item in items:
        by_operator.setdefault(item.operator_id, []).append(item)
    return {
        op_id: PortfolioSummary.from_figures(summary_for(0, op_items, as_of=as_of))
        for op_id, op_items in by_operator.items()
    }


# --- rows ----------------------------------------------------------------------------------


def portfolio_rows(
    operators: Iterable[Operator],
    *,
    as_of: datetime.date,
    summaries: dict[int, PortfolioSummary] | None = None,
) -> list[dict[str, Any]]:
    """Page rows from operators of portfolio_today() (their maintained summary), or with
    the summaries evaluated as of another date."""
    bases = link_bases()
    return [
        portfolio_row(
            op,
            PortfolioSummary.from_compliance(getattr(op, "compliance", None))
            if summaries is None
            else summaries.get(op.pk, NO_ITEMS),
            as_of=as_of,
            bases=bases,
        )
        for op in operators
    ]


def portfolio_row(
    operator: Operator,
    summary: PortfolioSummary,
    *,
    as_of: datetime.date,
    bases: dict[str, str] | None = None,
    links: bool = True,
) -> dict[str, Any]:
    """One row: the operator, its summary, how long it is overdue, staff, services and (for
    a page) the links of its counts."""
    since = summary.oldest_overdue if summary.worst == S.OVERDUE else None
    return {
        "operator": operator,
        "summary": summary,
        "overdue_since": since,
        "overdue_days": (as_of - since).days if since else None,
        "staff": [_display_name(m) for m in getattr(operator, "staff_memberships", [])],
        "miniprograms": getattr(operator, "miniprogram_count", 0),
        "domains": getattr(operator, "domain_count", 0),
        "links": _links(operator.pk, bases or link_bases()) if links else {},
    }


def _display_name(membership: Membership) -> str:
    user = membership.user
    return user.get_full_name() or user.get_username()


def link_bases() -> dict[str, str]:
    return {
        "miniprograms": reverse("dashboard:miniprogram_list"),
        "domains": reverse("dashboard:domain_list"),
    }


def _links(operator_id: int, bases: dict[str, str]) -> dict[str, str]:
    """Where each count of a row leads: the worklist or the service lists, filtered."""
    one = urlencode({"operator": operator_id})
    return {
        "overdue": worklist_url(operator=operator_id, status="overdue"),
        "due_soon": worklist_url(operator=operator_id, status="due_soon"),
        "takedown": worklist_url(operator=operator_id, priority="takedown"),
        "miniprograms": f"{bases['miniprograms']}?{one}",
        "domains": f"{bases['domains']}?{one}",
    }
