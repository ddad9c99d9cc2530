"""Open items made directly (the store would close rows whose subject does not exist: the
marks of the factories' operators are applied first)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from compliance import tracking
from compliance.rules import RuleCode as R
from compliance.rules import rule_priority
from compliance.types import SEVERITY, ComplianceStatus
from tests.factories import ComplianceItemFactory


def today() -> datetime.date:
    """Today where the test runs (read per call: a run may cross midnight)."""
    return timezone.localdate()


SUBJECT_TYPES = {
    R.MINIPROGRAM_EXISTING_DEADLINE: "miniprogram",
    R.INSPECTION_WINDOW: "miniprogram",
    R.MINIPROGRAM_FILE_BEFORE_LAUNCH: "miniprogram",
    R.AUTHORITY_REVIEW_SLA: "filing",
    R.SMS_VERIFICATION_WINDOW: "filing",
    R.PROVIDER_REVIEW_SLA: "filing",
    R.CHANGE_NOTICE: "filing",
    R.DOMAIN_EXPIRY: "domain",
    R.DOMAIN_REAL_NAME: "domain",
    R.PSB_FILING: "domain",
    R.PERSON_ID_EXPIRY: "person",
    R.LICENCE_RENEWAL: "licence",
    R.LICENCE_ANNUAL_REPORT: "licence",
    R.PREAPPROVAL_EXPIRY: "preapproval",
    R.DOCUMENT_EXPIRY: "document",
    R.SITE_DISPLAY: "domain",
    R.RECORD_ACCESS_CANCELLED: "domain",
    R.RECORD_SHELL: "operator",
    R.RECORD_INACCURATE: "notice",
    R.PROVIDER_NOTICE: "notice",
    R.ABOUT_SCREEN_CHECK: "miniprogram",
    R.MIIT_RECORD_CHECK: "domain",
    R.MIIT_RECORD_MISMATCH: "domain",
    R.WECHAT_CERTIFICATION_REVIEW: "miniprogram",
    R.FACE_VERIFICATION: "miniprogram",
}


def open_item(
    operator,
    *,
    rule: str = R.DOMAIN_EXPIRY,
    status: str = "overdue",
    days: int | None = -3,
    due_at: datetime.datetime | None = None,
    **kwargs,
):
    """An open item of `operator`, due `days` from today (None: no due date)."""
    tracking.flush()
    due = None if days is None else today() + datetime.timedelta(days=days)
    kwargs.setdefault("subject_type", SUBJECT_TYPES[rule])
    return ComplianceItemFactory(
        operator=operator,
        rule=rule,
        status=status,
        severity=SEVERITY[ComplianceStatus(status)],
        priority=rule_priority(rule),
        due_date=due,
        due_key=due or datetime.date.min,
        due_at=due_at,
        **kwargs,
    )
