"""Working-day arithmetic (domain.md §9; 20 working days for provincial review, §3.2)."""

from datetime import date, datetime, timedelta
from typing import Any

import holidays
import pytest

from icp.workdays import DEFAULT_KNOWN_YEARS, Deadline, WorkdayCalendar

CAL = WorkdayCalendar()


def known_through_2027(**kwargs):
    return WorkdayCalendar(known_years=range(2004, 2028), **kwargs)


# --- library data ----------------------------------------------------------------------


def test_library_2026_make_up_days_present():
    lib = holidays.country_holidays("CN", years=2026)
    make_up = sorted(d for d in lib.weekend_workdays if d.year == 2026)
    assert make_up == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


def test_library_2027_has_no_make_up_days_so_2027_is_not_known_by_default():
    lib = holidays.country_holidays("CN", years=2027)
    assert not [d for d in lib.weekend_workdays if d.year == 2027]
    assert 2026 in DEFAULT_KNOWN_YEARS
    assert 2027 not in DEFAULT_KNOWN_YEARS
    assert 2004 in DEFAULT_KNOWN_YEARS


def test_agrees_with_library_every_day_2004_to_2027():
    lib = holidays.country_holidays("CN", years=range(2004, 2028))
    d = date(2004, 1, 1)
    while d <= date(2027, 12, 31):
        assert CAL.is_working_day(d) == lib.is_working_day(d), d
        d += timedelta(days=1)


# --- the 20-working-day rule -----------------------------------------------------------


def test_20_working_days_across_2024_spring_festival():
    # Start Fri 2 Feb 2024. Holiday Sat 10 – Sat 17 Feb; make-up Sundays 4 and 18 Feb.
    #  1 Sun 4 Feb (make-up)       2-6 Mon 5 – Fri 9 Feb
    #  (10–17 Feb off)             7 Sun 18 Feb (make-up)
    #  8-12 Mon 19 – Fri 23 Feb    13-17 Mon 26 Feb – Fri 1 Mar
    #  18-20 Mon 4 – Wed 6 Mar
    result = CAL.add_working_days(date(2024, 2, 2), 20)
    assert result == Deadline(date(2024, 3, 6), estimated=False, unknown_years=())
    # Weekdays alone would give Fri 1 Mar.
    assert not CAL.is_working_day(date(2024, 2, 15))  # Thu, substituted day off
    assert CAL.is_working_day(date(2024, 2, 4))
    assert CAL.is_working_day(date(2024, 2, 18))


def test_20_working_days_across_2026_spring_festival():
    # Start Fri 13 Feb 2026. Holiday Sun 15 – Mon 23 Feb (eve Mon 16, days 17–19,
    # substituted Fri 20 and Mon 23); make-up Saturdays 14 and 28 Feb.
    #  1 Sat 14 Feb (make-up)      (15–23 Feb off)
    #  2-5 Tue 24 – Fri 27 Feb     6 Sat 28 Feb (make-up)
    #  7-11 Mon 2 – Fri 6 Mar      12-16 Mon 9 – Fri 13 Mar
    #  17-20 Mon 16 – Thu 19 Mar
    result = CAL.add_working_days(date(2026, 2, 13), 20)
    assert result == Deadline(date(2026, 3, 19), estimated=False, unknown_years=())
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 3, 19)) == 20


def test_national_day_week_weekdays_not_counted():
    # Start Fri 27 Sep 2024. National Day Tue 1 – Mon 7 Oct off; make-up Sun 29 Sep and
    # Sat 12 Oct.
    #  1 Sun 29 Sep (make-up)      2 Mon 30 Sep
    #  (Tue 1 – Mon 7 Oct off)     3-6 Tue 8 – Fri 11 Oct
    #  7 Sat 12 Oct (make-up)      8-12 Mon 14 – Fri 18 Oct
    #  13-17 Mon 21 – Fri 25 Oct   18-20 Mon 28 – Wed 30 Oct
    start = date(2024, 9, 27)
    assert start.weekday() == 4
    assert CAL.add_working_days(start, 2).date == date(2024, 9, 30)
    assert CAL.add_working_days(start, 3).date == date(2024, 10, 8)
    assert CAL.add_working_days(start, 20).date == date(2024, 10, 30)
    assert CAL.working_days_between(start, date(2024, 10, 7)) == 2
    for day in range(1, 8):
        assert not CAL.is_working_day(date(2024, 10, day))


def test_national_day_week_2026():
    # Start Fri 25 Sep 2026 (Mid-Autumn). Thu 1 – Wed 7 Oct off; make-up Sat 10 Oct.
    #  1-3 Mon 28 – Wed 30 Sep     (1–7 Oct off)
    #  4-5 Thu 8 – Fri 9 Oct       6 Sat 10 Oct (make-up)     7 Mon 12 Oct
    start = date(2026, 9, 25)
    assert CAL.add_working_days(start, 4).date == date(2026, 10, 8)
    assert CAL.add_working_days(start, 6).date == date(2026, 10, 10)
    assert CAL.add_working_days(start, 7).date == date(2026, 10, 12)


def test_make_up_saturday_counts_weekday_holiday_does_not():
    assert date(2026, 2, 14).weekday() == 5
    assert CAL.is_working_day(date(2026, 2, 14))  # make-up Saturday
    assert not CAL.is_working_day(date(2026, 2, 21))  # ordinary Saturday
    assert date(2026, 2, 18).weekday() == 2
    assert not CAL.is_working_day(date(2026, 2, 18))  # Wednesday, Spring Festival
    assert not CAL.is_working_day(date(2026, 10, 6))  # Tuesday, National Day week
    assert CAL.is_working_day(date(2026, 3, 4))  # ordinary Wednesday
    # Fri 9 Oct 2026 + 1 working day is the make-up Saturday, not Monday.
    assert CAL.add_working_days(date(2026, 10, 9), 1).date == date(2026, 10, 10)


def test_n_zero_returns_start():
    sunday = date(2026, 3, 1)
    assert CAL.add_working_days(sunday, 0) == Deadline(sunday, False, ())
    assert CAL.add_working_days(date(2027, 3, 1), 0) == Deadline(date(2027, 3, 1), True, (2027,))


def test_negative_n_and_datetime_rejected():
    with pytest.raises(ValueError, match=">= 0"):
        CAL.add_working_days(date(2026, 3, 2), -1)
    with pytest.raises(TypeError):
        CAL.add_working_days(datetime(2026, 3, 2, 9, 0), 1)  # noqa: DTZ001
    not_a_date: Any = "2026-03-02"  # the wrong type on purpose: the run-time guard is under test
    with pytest.raises(TypeError):
        CAL.is_working_day(not_a_date)


# --- unknown years -----------------------------------------------------------------------


def test_crossing_into_2027_is_estimated():
    # Start Mon 14 Dec 2026: 1-4 Tue 15 – Fri 18 Dec, 5-9 Mon 21 – Fri 25 Dec,
    # 10-13 Mon 28 – Thu 31 Dec, (Fri 1 Jan 2027 projected holiday), 14-18 Mon 4 – Fri 8
    # Jan, 19 Mon 11 Jan, 20 Tue 12 Jan.
    result = CAL.add_working_days(date(2026, 12, 14), 20)
    assert result == Deadline(date(2027, 1, 12), estimated=True, unknown_years=(2027,))


def test_2027_known_with_override_is_not_estimated():
    # Suppose the 2027 notice makes Sat 9 Jan 2027 a working day: it becomes the 19th,
    # Mon 11 Jan the 20th.
    cal = known_through_2027(overrides={date(2027, 1, 9): True})
    result = cal.add_working_days(date(2026, 12, 14), 20)
    assert result == Deadline(date(2027, 1, 11), estimated=False, unknown_years=())


def test_override_alone_does_not_make_a_year_known():
    cal = WorkdayCalendar(overrides={date(2027, 1, 9): True})
    result = cal.add_working_days(date(2026, 12, 14), 20)
    assert result == Deadline(date(2027, 1, 11), estimated=True, unknown_years=(2027,))
    assert not cal.is_known(date(2027, 1, 9))


def test_late_december_depends_on_next_years_notice():
    # New Year's arrangements reach back into late December (e.g. 29–30 Dec 2001 were
    # make-up days under the 2002 notice), so 25–31 Dec 2026 wait for the 2027 notice.
    assert CAL.is_known(date(2026, 12, 24))
    assert not CAL.is_known(date(2026, 12, 25))
    assert not CAL.is_known(date(2026, 12, 31))
    assert not CAL.is_known(date(2027, 6, 1))
    assert CAL.is_known(date(2025, 12, 31))
    assert not CAL.is_known(date(2003, 6, 1))
    assert CAL.is_known(date(2004, 1, 1))
    # Start Mon 30 Nov 2026: 1-4 Tue 1 – Fri 4 Dec, 5-9 Mon 7 – Fri 11, 10-14 Mon 14 –
    # Fri 18, 15-18 Mon 21 – Thu 24, 19 Fri 25 Dec.
    start = date(2026, 11, 30)
    assert CAL.add_working_days(start, 18) == Deadline(date(2026, 12, 24), False, ())
    assert CAL.add_working_days(start, 19) == Deadline(date(2026, 12, 25), True, (2027,))
    assert known_through_2027().add_working_days(start, 19).estimated is False
    assert CAL.unknown_years(date(2026, 1, 1), date(2028, 3, 1)) == (2027, 2028)


# --- overrides -----------------------------------------------------------------------------


def test_overrides_win_both_ways():
    cal = WorkdayCalendar(
        overrides={
            date(2024, 10, 1): True,  # library: National Day
            date(2024, 10, 8): False,  # library: ordinary Tuesday
            date(2024, 10, 19): True,  # library: ordinary Saturday
            date(2024, 10, 12): False,  # library: make-up Saturday
        }
    )
    assert cal.is_working_day(date(2024, 10, 1))
    assert not cal.is_working_day(date(2024, 10, 8))
    assert cal.is_working_day(date(2024, 10, 19))
    assert not cal.is_working_day(date(2024, 10, 12))
    assert CAL.is_working_day(date(2024, 10, 8))  # other instances unaffected
    # Start Fri 27 Sep 2024: 1 Sun 29 Sep, 2 Mon 30 Sep, 3 Tue 1 Oct (override),
    # (8 Oct override off), 4-6 Wed 9 – Fri 11 Oct, (12 Oct override off), 7 Mon 14 Oct.
    assert cal.add_working_days(date(2024, 9, 27), 3).date == date(2024, 10, 1)
    assert cal.add_working_days(date(2024, 9, 27), 4).date == date(2024, 10, 9)
    assert cal.add_working_days(date(2024, 9, 27), 7).date == date(2024, 10, 14)


def test_overrides_validated():
    not_a_bool: Any = 1  # the wrong type on purpose: the run-time guard is under test
    with pytest.raises(TypeError):
        WorkdayCalendar(overrides={date(2026, 1, 1): not_a_bool})
    with pytest.raises(TypeError):
        WorkdayCalendar(overrides={datetime(2026, 1, 1): True})  # noqa: DTZ001


# --- consistency -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        date(2024, 2, 2),
        date(2024, 9, 27),
        date(2024, 12, 20),
        date(2025, 1, 25),
        date(2026, 2, 14),
        date(2026, 9, 19),
        date(2026, 11, 28),
    ],
)
def test_working_days_between_inverts_add_working_days(start):
    previous = start
    for n in range(61):
        deadline = CAL.add_working_days(start, n).date
        assert CAL.working_days_between(start, deadline) == n
        assert CAL.working_days_between(deadline, start) == -n
        if n:
            assert deadline > previous
            assert CAL.is_working_day(deadline)
            # Every day strictly between two consecutive results is a rest day.
            assert CAL.working_days_between(previous, deadline - timedelta(days=1)) == 0
        previous = deadline


def test_working_days_between_examples():
    assert CAL.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1  # Sat 14 Feb
    assert CAL.working_days_between(date(2024, 12, 31), date(2025, 1, 2)) == 1  # Thu 2 Jan


def test_add_calendar_days():
    assert CAL.add_calendar_days(date(2026, 12, 20), 30) == Deadline(date(2027, 1, 19), False, ())
