"""The working-day calendar as the admin keeps it (CalendarOverride + KnownCalendarYear).

`DatabaseCalendarOverrides` is the database side of `icp.workdays.CalendarOverrides`; the
arithmetic itself lives in the kernel.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from icp.workdays import WorkdayCalendar

from .models import CalendarOverride, KnownCalendarYear


class DatabaseCalendarOverrides:
    """Known years and day overrides read from the database (one query each)."""

    def known_years(self) -> list[int]:
        return list(KnownCalendarYear.objects.values_list("year", flat=True))

    def day_overrides(self) -> Mapping[datetime.date, bool]:
        return dict(CalendarOverride.objects.values_list("date", "is_working_day"))


def get_workday_calendar() -> WorkdayCalendar:
    """Build the calendar from the database: two queries. Build one per request or sweep."""
    return WorkdayCalendar.from_overrides(DatabaseCalendarOverrides())
