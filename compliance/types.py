"""The shape of a compliance result, shared by the engine, the API, reminders and reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .messages import render_message


class ComplianceStatus(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Open: an item someone has to act on (reminders, worklists, snoozes).
OPEN_STATUSES: frozenset[str] = frozenset({ComplianceStatus.DUE_SOON, ComplianceStatus.OVERDUE})

# Worst first: the status of an operator is the worst of its items.
SEVERITY = {
    ComplianceStatus.OVERDUE: 3,
    ComplianceStatus.DUE_SOON: 2,
    ComplianceStatus.COMPLIANT: 1,
    ComplianceStatus.NOT_APPLICABLE: 0,
}


@dataclass(frozen=True, slots=True)
class EvaluatedItem:
    """One rule judged for one subject as of a date: what the engine returns.

    `note` is the sentence kept language-neutral (compliance.messages); `message` renders it
    in the active language. `changes_on` is the first date after the evaluation on which the
    item may change only because the clock moved (None: never by itself); the maintained rows
    store it so that the time-driven task re-evaluates only what is due. `changes_at` is the
    same for a change at an instant (an hour window closing), set when the engine evaluated
    against the current time (``compliance_items(now=...)``).
    """

    rule: str  # ComplianceRule.code, e.g. "miniprogram_existing_deadline"
    # "miniprogram" | "domain" | "person" | "filing" | "preapproval" | "licence" | "operator"
    subject_type: str
    subject_id: int
    subject_name: str
    operator_id: int
    operator_name: str
    organization_id: int
    province_code: str
    status: str  # ComplianceStatus
    due_date: datetime.date | None
    estimated: bool  # due date computed into a year whose holiday schedule is not known
    note: dict[str, Any]  # compliance.messages: what is due / overdue and what to do
    changes_on: datetime.date | None = None
    due_at: datetime.datetime | None = None  # the hour, for deadlines that have one
    changes_at: datetime.datetime | None = None

    @property
    def message(self) -> str:
        return render_message(self.note)

    @property
    def key(self) -> tuple[str, int, str, datetime.date | None]:
        return (self.subject_type, self.subject_id, self.rule, self.due_date)

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "subject_name": self.subject_name,
            "operator_id": self.operator_id,
            "operator_name": self.operator_name,
            "organization_id": self.organization_id,
            "province_code": self.province_code,
            "status": self.status,
            "due_date": self.due_date,
            "estimated": self.estimated,
            "message": self.message,
        }
