"""The working-day calendar as the admin keeps it (CalendarOverride + KnownCalendarYear)."""

from __future__ import annotations

from .models import CalendarOverride, KnownCalendarYear
from .workdays import WorkdayCalendar


def get_workday_calendar() -> WorkdayCalendar:
    """Build the calendar from the database: two queries. Build one per request or sweep."""
    known = list(KnownCalendarYear.objects.values_list("year", flat=True))
    overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
    return WorkdayCalendar(known_years=known, overrides=overrides)
