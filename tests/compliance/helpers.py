"""Helpers for the compliance tests: approvals at a Beijing date and one-rule evaluation."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from compliance.engine import compliance_items
from filings.models import FilingKind, FilingStatus, FilingStatusChange
from tests.factories import FilingFactory

BEIJING = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at_beijing(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BEIJING)


def approve(*, miniprogram=None, domain=None, on: datetime.datetime, kind=FilingKind.NEW_FILING):
    """An approved application for the subject whose approval was recorded at `on`."""
    subject = miniprogram or domain
    filing = FilingFactory(
        miniprogram=miniprogram,
        domain=domain,
        operator=subject.operator,
        kind=kind,
        status=FilingStatus.APPROVED,
        status_entered_at=on,
        icp_number="粤ICP备2024000001号-1",
    )
    FilingStatusChange.objects.create(
        filing=filing,
        from_status=FilingStatus.AUTHORITY_REVIEW,
        to_status=FilingStatus.APPROVED,
        created_at=on,
    )
    # As filing_transition does: the number is copied onto the subject.
    subject.icp_number = filing.icp_number
    subject.save(update_fields=["icp_number"])
    return filing


def item_for(rule: str, subject, as_of: datetime.date, subject_type: str | None = None):
    """The single item of `rule` about `subject` as of `as_of` (None if there is none)."""
    found = [
        i
        for i in compliance_items(as_of=as_of, rules=[rule])
        if i.subject_id == subject.pk and (subject_type is None or i.subject_type == subject_type)
    ]
    assert len(found) <= 1, found
    return found[0] if found else None
