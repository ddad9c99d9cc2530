"""Shared pieces of the engine: the evaluation context, item construction, "filed as of".

Messages go through the memoized ``_`` below: the hot loop builds hundreds of thousands of
sentences, and Django's gettext looks the active language up on every call.
"""

from __future__ import annotations

import datetime
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext

from filings.models import FilingKind, FilingStatus, FilingStatusChange
from icp.workdays import Deadline, WorkdayCalendar

from ..rules import RuleCode
from ..types import ComplianceItem, ComplianceStatus

BEIJING = ZoneInfo("Asia/Shanghai")
R = RuleCode
S = ComplianceStatus
# Applications whose approval grants the subject its number; changes and cancellations don't.
GRANTING_KINDS = (FilingKind.NEW_FILING, FilingKind.ADD_SERVICE, FilingKind.NEW_ACCESS)
# Filed since always: an imported number with no approval history.
ALWAYS = datetime.date.min

OPERATOR_FIELDS = (
    "operator_id",
    "operator__name_zh",
    "operator__organization_id",
    "operator__province_id",
)


class UnknownRuleError(ValueError):
    """A rule code the engine does not know."""


@dataclass(frozen=True)
class Ctx:
    as_of: datetime.date
    calendar: WorkdayCalendar
    params: dict[str, dict[str, Any]]  # active rules only

    def wants(self, *codes: str) -> bool:
        return any(c in self.params for c in codes)

    def date_param(self, rule: str, key: str) -> datetime.date:
        return datetime.date.fromisoformat(self.params[rule][key])


def iso(d: datetime.date) -> str:
    return d.isoformat()


def beijing_date(dt: datetime.datetime) -> datetime.date:
    return dt.astimezone(BEIJING).date()


def make_item(
    rule: str,
    subject_type: str,
    row: dict,
    *,
    subject_id: int | None = None,
    name: str,
    status: str,
    due: datetime.date | None,
    message: str,
    estimated: bool = False,
) -> ComplianceItem:
    return ComplianceItem(
        rule=rule,
        subject_type=subject_type,
        subject_id=row["id"] if subject_id is None else subject_id,
        subject_name=name,
        operator_id=row["operator_id"],
        operator_name=row["operator__name_zh"],
        organization_id=row["operator__organization_id"],
        province_code=row["operator__province_id"],
        status=str(status),
        due_date=due,
        estimated=estimated,
        message=message,
    )


def approved_at_subquery(subject: str) -> Subquery:
    """First approval of a number-granting application for the row's subject."""
    return Subquery(
        FilingStatusChange.objects.filter(
            **{f"filing__{subject}": OuterRef("pk")},
            to_status=FilingStatus.APPROVED,
            filing__kind__in=GRANTING_KINDS,
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )


def filed_on(row: dict, as_of: datetime.date) -> datetime.date | None:
    """The Beijing date the subject was filed, ALWAYS for imported numbers, None if not
    filed as of `as_of`."""
    if row["approved_at"] is not None:
        day = beijing_date(row["approved_at"])
        return day if day <= as_of else None
    return ALWAYS if row["icp_number"] else None


def estimate_note(deadline: Deadline) -> str:
    if not deadline.estimated:
        return ""
    years = ", ".join(str(y) for y in deadline.unknown_years)
    return " " + _("(Estimated: the holiday schedule for %(years)s is not known yet.)") % {
        "years": years
    }


# --- translation -------------------------------------------------------------------------

language_var: ContextVar[str | None] = ContextVar("compliance_language", default=None)


@lru_cache(maxsize=4096)
def _translate(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _(message: str) -> str:
    """gettext, memoized per language while compliance_items runs (see module docstring)."""
    language = language_var.get()
    if language is None:
        return gettext(message)
    return _translate(language, message)
