"""The shape of a compliance result, shared by the engine, the API, reminders and reports."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceStatus(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Worst first: the status of an operator is the worst of its items.
SEVERITY = {
    ComplianceStatus.OVERDUE: 3,
    ComplianceStatus.DUE_SOON: 2,
    ComplianceStatus.COMPLIANT: 1,
    ComplianceStatus.NOT_APPLICABLE: 0,
}


@dataclass(frozen=True, slots=True)
class ComplianceItem:
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
    message: str  # one sentence: what is due / overdue and what to do

    def to_dict(self) -> dict:
        return asdict(self)
