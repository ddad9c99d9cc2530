"""ICS calendar of compliance deadlines (RFC 5545) through `icalendar`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.rules import rule_label
from compliance.types import ComplianceStatus

from .items import DueItem


def calendar_build(items: Iterable[DueItem], *, name: str) -> bytes:
    """One all-day event per dated item, in the order given (the selector sorts by date)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//icpfiling//compliance deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for item in items:
        due = item.due_date
        if due is None:  # never: the selector passes dated items only
            continue
        event = icalendar.Event()
        # Stable per deadline: calendar apps update the event instead of duplicating it.
        event.add(
            "uid", f"{item.rule}-{item.subject_type}-{item.subject_id}-{due:%Y%m%d}@icpfiling"
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + datetime.timedelta(days=1))
        event.add("summary", f"{item.subject_name}: {rule_label(item.rule)}")
        description = item.message
        if item.estimated:
            description += "\n" + _("Estimated: the holiday calendar of that year is not known.")
        event.add("description", description)
        event.add("categories", [str(ComplianceStatus(item.status).label)])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
