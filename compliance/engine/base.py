"""Shared pieces of the engine: the evaluation context, item construction, "filed as of".

Sentences go through ``_`` below, which returns a language-neutral Note
(compliance.messages): nothing is translated while evaluating, and the maintained rows keep
the msgid and its values so each reader sees them in their own language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery

from filings.models import FilingKind, FilingStatus, FilingStatusChange
from icp.workdays import Deadline, WorkdayCalendar

from ..messages import Note
from ..rules import RuleCode
from ..types import ComplianceStatus, EvaluatedItem

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
    # The current instant when `as_of` is today: windows measured in hours close at their
    # hour. None ("as of" a whole day): they close when the day of their deadline is over.
    now: datetime.datetime | None = None

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
    message: Note,
    estimated: bool = False,
    changes_on: datetime.date | None = None,
    due_at: datetime.datetime | None = None,
    changes_at: datetime.datetime | None = None,
) -> EvaluatedItem:
    return EvaluatedItem(
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
        note=message.data,
        changes_on=changes_on,
        due_at=due_at,
        changes_at=changes_at,
    )


def next_change(as_of: datetime.date, *dates: datetime.date | None) -> datetime.date | None:
    """The first of `dates` after `as_of`: when an item may change with the clock alone.

    Evaluators pass every date at which their judgement can turn (a warning threshold, the
    day after a deadline, a launch date); a date that turns out not to change anything only
    costs one re-evaluation.
    """
    later = [d for d in dates if d is not None and d > as_of]
    return min(later) if later else None


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


def estimate_note(deadline: Deadline) -> Note | str:
    if not deadline.estimated:
        return ""
    years = ", ".join(str(y) for y in deadline.unknown_years)
    return _("(Estimated: the holiday schedule for %(years)s is not known yet.)") % {"years": years}


def _(message: str) -> Note:
    """Mark `message` for translation and keep it untranslated (compliance.messages)."""
    return Note(message)
