"""Chinese working-day arithmetic (domain.md §9, §3.2).

A working day (工作日) is a Monday–Friday that is not a statutory holiday, or a
Saturday/Sunday that the State Council has declared a make-up working day (调休上班).

The raw data comes from the ``holidays`` library (``holidays.country_holidays("CN")``),
which carries the State Council notices year by year and stores the make-up days in
``weekend_workdays``. For years without a published notice the library still *projects*
holidays by rule, but it cannot know the make-up days, so anything computed through such
a year is only an estimate: every result says so (:class:`Deadline.estimated`).

Which part of the calendar a notice decides
-------------------------------------------
The notice for year ``Y`` (published late in ``Y - 1``) also settles the New Year's Day
arrangement, which can reach back into the last days of December of ``Y - 1``: e.g. the
2002 notice made Sat/Sun 29–30 Dec 2001 working days, the 2019 notice gave Mon 31 Dec
2018 off (in the library data: ``(JAN, 2, DEC, 29, 2001)`` under 2002, ``(DEC, 31, DEC,
29)`` under 2018). So a day on or after 25 December of year ``Y`` depends on the notice
for ``Y + 1`` as well; until ``Y + 1`` is known such a day counts as not known.

Pure Python: no Django, no database. Admin-maintained corrections come in through the
:class:`CalendarOverrides` interface (``compliance.calendar`` reads them from the database) or
directly as ``known_years`` / ``overrides``.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import holidays

__all__ = ["DEFAULT_KNOWN_YEARS", "CalendarOverrides", "Deadline", "WorkdayCalendar"]

#: Years whose official schedule (holidays *and* make-up days) is trusted by default.
#:
#: holidays 0.109 carries the State Council notices 2001–2026 in
#: ``ChinaStaticHolidays.special_public_holidays`` (2026: make-up days Sun 4 Jan, Sat 14 Feb,
#: Sat 28 Feb, Sat 9 May, Sun 20 Sep, Sat 10 Oct — checked in the installed source and by
#: the tests). We start at 2004 to match the range the second source, ``chinese-calendar``,
#: covers (domain.md §9). 2027 is excluded: the 2027 notice has not been published; the
#: library projects 2027 holidays by rule (e.g. Labour Day 1–4 May as "observed" days)
#: with no make-up days at all, which is certainly not what the notice will say.
#: Extend this (or pass ``known_years``) once the library or an admin has the notice.
DEFAULT_KNOWN_YEARS: range = range(2004, 2027)

# A day on or after this (month, day) in year Y also depends on the notice for Y + 1
# (New Year's Day arrangements reach back into late December; see module docstring).
_NEXT_NOTICE_FROM: tuple[int, int] = (12, 25)


@dataclass(frozen=True)
class Deadline:
    """Result of a deadline computation.

    ``estimated`` is True when the computation depended on a year whose official
    schedule is not known; ``unknown_years`` lists those years (sorted).
    """

    date: datetime.date
    estimated: bool
    unknown_years: tuple[int, ...]


class CalendarOverrides(Protocol):
    """Where the admin-maintained corrections to the library's calendar come from."""

    def known_years(self) -> Iterable[int]:
        """Years whose official schedule (holidays and make-up days) is trusted."""
        ...

    def day_overrides(self) -> Mapping[datetime.date, bool]:
        """``{date: True}`` makes a day a working day, ``{date: False}`` a rest day."""
        ...


def _check_date(value: object, name: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"{name} must be a datetime.date (not datetime), got {value!r}")
    return value


@cache
def _library_calendar(year: int) -> holidays.HolidayBase:
    """The library's holiday object for one year (cached: building it is slow)."""
    return holidays.country_holidays("CN", years=year)


@cache
def _library_working_ordinals(year: int) -> tuple[int, ...]:
    """Sorted ordinals of the library's working days in ``year``.

    Uses the library's own ``is_working_day`` so that make-up days — including the
    cross-year ones, which the library pre-loads into every instance's
    ``weekend_workdays`` — are honoured exactly as the library means them.
    """
    cal = _library_calendar(year)
    first = datetime.date(year, 1, 1).toordinal()
    last = datetime.date(year, 12, 31).toordinal()
    return tuple(
        o for o in range(first, last + 1) if cal.is_working_day(datetime.date.fromordinal(o))
    )


class WorkdayCalendar:
    """Working-day calendar for mainland China.

    Args:
        known_years: years whose official schedule is trusted; default
            :data:`DEFAULT_KNOWN_YEARS`. Having overrides in a year does *not* make it
            known — an admin who enters a newly published notice adds the year here.
        overrides: ``{date: True}`` makes a day a working day, ``{date: False}`` a rest
            day; overrides win over the library.

    Instances cache per-year data; create one per (known_years, overrides) state and
    reuse it.
    """

    def __init__(
        self,
        *,
        known_years: Iterable[int] | None = None,
        overrides: Mapping[datetime.date, bool] | None = None,
    ) -> None:
        self._known_years: frozenset[int] = frozenset(
            DEFAULT_KNOWN_YEARS if known_years is None else known_years
        )
        by_year: dict[int, dict[int, bool]] = {}
        for day, working in (overrides or {}).items():
            _check_date(day, "override key")
            if not isinstance(working, bool):
                raise TypeError(f"override for {day} must be a bool, got {working!r}")
            by_year.setdefault(day.year, {})[day.toordinal()] = working
        self._overrides_by_year = by_year
        self._ordinals: dict[int, tuple[int, ...]] = {}
        self._ordinal_sets: dict[int, frozenset[int]] = {}

    @classmethod
    def from_overrides(cls, source: CalendarOverrides) -> WorkdayCalendar:
        """A calendar with the known years and day overrides that ``source`` provides."""
        return cls(known_years=source.known_years(), overrides=source.day_overrides())

    @property
    def known_years(self) -> frozenset[int]:
        return self._known_years

    # -- per-year data ------------------------------------------------------------------

    def _working_ordinals(self, year: int) -> tuple[int, ...]:
        try:
            return self._ordinals[year]
        except KeyError:
            pass
        base = _library_working_ordinals(year)
        year_overrides = self._overrides_by_year.get(year)
        if year_overrides:
            days = set(base)
            for ordinal, working in year_overrides.items():
                if working:
                    days.add(ordinal)
                else:
                    days.discard(ordinal)
            base = tuple(sorted(days))
        self._ordinals[year] = base
        return base

    def _working_set(self, year: int) -> frozenset[int]:
        try:
            return self._ordinal_sets[year]
        except KeyError:
            result = self._ordinal_sets[year] = frozenset(self._working_ordinals(year))
            return result

    # -- queries --------------------------------------------------------------------------

    def is_working_day(self, d: datetime.date) -> bool:
        _check_date(d, "d")
        return d.toordinal() in self._working_set(d.year)

    def is_known(self, d: datetime.date) -> bool:
        """True if the official schedule deciding ``d`` is known.

        That is ``d.year`` — and, from 25 December on, also ``d.year + 1``.
        """
        _check_date(d, "d")
        return not self._unknown_years(d, d)

    def unknown_years(self, start: datetime.date, end: datetime.date) -> tuple[int, ...]:
        """Years with unknown schedules that decide some day in ``[start, end]``."""
        _check_date(start, "start")
        _check_date(end, "end")
        if end < start:
            start, end = end, start
        return self._unknown_years(start, end)

    def _unknown_years(self, first: datetime.date, last: datetime.date) -> tuple[int, ...]:
        # Every late-December window before ``last.year`` is crossed, and its next year
        # is already in the range; only ``last`` itself can pull in ``last.year + 1``.
        stop = last.year + 1
        if (last.month, last.day) >= _NEXT_NOTICE_FROM:
            stop += 1
        known = self._known_years
        return tuple(y for y in range(first.year, stop) if y not in known)

    def add_working_days(self, start: datetime.date, n: int) -> Deadline:
        """The ``n``-th working day strictly after ``start``.

        ``n == 0`` returns ``start`` itself (whether or not it is a working day),
        estimated only if ``start`` itself is not known. For ``n > 0`` the result is
        estimated if any day in ``(start, result]`` is not known.
        """
        _check_date(start, "start")
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"n must be an int, got {n!r}")
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            unknown = self._unknown_years(start, start)
            return Deadline(start, bool(unknown), unknown)

        year = start.year
        ordinals = self._working_ordinals(year)
        index = bisect_right(ordinals, start.toordinal())
        remaining = n
        while remaining > len(ordinals) - index:
            remaining -= len(ordinals) - index
            year += 1
            ordinals = self._working_ordinals(year)
            index = 0
        result = datetime.date.fromordinal(ordinals[index + remaining - 1])
        unknown = self._unknown_years(start + datetime.timedelta(days=1), result)
        return Deadline(result, bool(unknown), unknown)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Number of working days in ``(start, end]``; negative if ``end < start``.

        ``working_days_between(s, add_working_days(s, n).date) == n``. Use
        :meth:`unknown_years` to learn whether the count rests on unknown schedules.
        """
        _check_date(start, "start")
        _check_date(end, "end")
        if end < start:
            return -self.working_days_between(end, start)
        lo, hi = start.toordinal(), end.toordinal()
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._working_ordinals(year)
            total += bisect_right(ordinals, hi) - bisect_right(ordinals, lo)
        return total

    def add_calendar_days(self, start: datetime.date, n: int) -> Deadline:
        """``start + n`` calendar days; never depends on the holiday schedule."""
        _check_date(start, "start")
        return Deadline(start + datetime.timedelta(days=n), False, ())
