"""The business and wall-clock calendars, to the second."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyboard.domain.calendar import (
    BusinessCalendar,
    CalendarDay,
    TwentyFourSeven,
    calendar_for,
)

SH = ZoneInfo("Asia/Shanghai")
HOUR = 3600
DAY = 8 * HOUR  # "1 working day"


def sh(text: str) -> datetime:
    """An instant written in Shanghai's wall time."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar(SH)


# ---------------------------------------------------------------- 24x7


def test_wall_clock_adds_wall_seconds_and_answers_in_utc() -> None:
    wall = TwentyFourSeven()
    due = wall.add(sh("2026-10-01T16:00"), 24 * HOUR)
    assert due == sh("2026-10-02T16:00")
    assert due.tzinfo is UTC
    assert wall.elapsed(sh("2026-10-01T16:00"), sh("2026-10-03T16:00")) == 48 * HOUR
    assert wall.elapsed(sh("2026-10-03T16:00"), sh("2026-10-01T16:00")) == 0
    assert wall.name == "24x7"


def test_wall_clock_refuses_naive_instants() -> None:
    with pytest.raises(ValueError):
        TwentyFourSeven().add(datetime(2026, 1, 1, 9), 60)
    with pytest.raises(ValueError):
        TwentyFourSeven().elapsed(datetime(2026, 1, 1, 9), sh("2026-01-01T10:00"))


# ---------------------------------------------------------------- ordinary weeks


def test_24_business_hours_from_thursday_afternoon_land_on_tuesday(cal: BusinessCalendar) -> None:
    due = cal.add(datetime.fromisoformat("2026-11-19T15:00:00+08:00"), 24 * HOUR)
    assert due == datetime.fromisoformat("2026-11-24T15:00:00+08:00")
    assert due.tzinfo is UTC
    assert due.astimezone(SH).isoformat() == "2026-11-24T15:00:00+08:00"


def test_one_working_day_from_friday_afternoon_is_monday_afternoon(cal: BusinessCalendar) -> None:
    assert cal.add(sh("2026-11-20T16:00"), DAY) == sh("2026-11-23T16:00")


def test_budget_running_out_at_day_end_stops_at_17_00(cal: BusinessCalendar) -> None:
    assert cal.add(sh("2026-11-19T15:00"), 2 * HOUR) == sh("2026-11-19T17:00")
    assert cal.add(sh("2026-11-19T09:00"), DAY) == sh("2026-11-19T17:00")
    # A whole Friday ends on Friday, not on Monday morning.
    assert cal.add(sh("2026-11-20T09:00"), DAY) == sh("2026-11-20T17:00")
    # One more second starts the next working day.
    assert cal.add(sh("2026-11-20T09:00"), DAY + 1) == sh("2026-11-23T09:00:01")


def test_zero_budget_returns_the_start_even_outside_working_hours(cal: BusinessCalendar) -> None:
    saturday_night = sh("2026-11-21T23:30")
    due = cal.add(saturday_night, 0)
    assert due == saturday_night and due.tzinfo is UTC
    assert cal.add(sh("2026-11-19T17:00"), 0.0) == sh("2026-11-19T17:00")


def test_starts_outside_working_time_begin_at_the_next_interval(cal: BusinessCalendar) -> None:
    assert cal.add(sh("2026-11-19T07:12"), 15 * 60) == sh("2026-11-19T09:15")
    assert cal.add(sh("2026-11-19T17:00"), 15 * 60) == sh("2026-11-20T09:15")
    assert cal.add(sh("2026-11-19T21:40"), 15 * 60) == sh("2026-11-20T09:15")
    assert cal.add(sh("2026-11-21T11:00"), 15 * 60) == sh("2026-11-23T09:15")  # Saturday
    assert cal.add(sh("2026-11-19T16:59:59.5"), 1) == sh("2026-11-20T09:00:00.5")


def test_fractions_of_a_second_are_kept(cal: BusinessCalendar) -> None:
    assert cal.add(sh("2026-11-19T10:00"), 1.5) == sh("2026-11-19T10:00:01.5")
    assert cal.elapsed(sh("2026-11-19T10:00"), sh("2026-11-19T10:00:01.25")) == 1.25


def test_elapsed_counts_only_business_time(cal: BusinessCalendar) -> None:
    assert cal.elapsed(sh("2026-11-19T15:00"), sh("2026-11-24T15:00")) == 24 * HOUR
    assert cal.elapsed(sh("2026-11-20T16:00"), sh("2026-11-23T08:00")) == HOUR
    assert cal.elapsed(sh("2026-11-21T00:00"), sh("2026-11-22T23:59")) == 0  # a weekend
    assert cal.elapsed(sh("2026-11-19T12:00"), sh("2026-11-19T12:00")) == 0
    assert cal.elapsed(sh("2026-11-24T15:00"), sh("2026-11-19T15:00")) == 0
    assert cal.elapsed(sh("2026-11-19T18:00"), sh("2026-11-20T08:00")) == 0


def test_budgets_must_be_finite_and_not_negative(cal: BusinessCalendar) -> None:
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            cal.add(sh("2026-11-19T10:00"), bad)


# ---------------------------------------------------------------- official data


def test_national_day_week_2026_is_skipped(cal: BusinessCalendar) -> None:
    # Wednesday 30 September 16:00: one hour that day, then 1-7 October off, then Thursday 8th.
    assert cal.add(sh("2026-09-30T16:00"), DAY) == sh("2026-10-08T16:00")
    assert cal.elapsed(sh("2026-09-30T17:00"), sh("2026-10-08T09:00")) == 0
    for day in range(1, 8):
        d = date(2026, 10, day)
        assert not cal.is_working_day(d)
        assert cal.day_source(d) == "official"
        assert cal.holiday_name(d) == "National Day"


def test_adjusted_working_weekends_count_as_working(cal: BusinessCalendar) -> None:
    # Saturday 2026-10-10 and Sunday 2026-09-20 are 调休 working days for National Day.
    assert cal.is_working_day(date(2026, 10, 10))
    assert cal.is_working_day(date(2026, 9, 20))
    assert cal.holiday_name(date(2026, 10, 10)) == "National Day"
    assert cal.add(sh("2026-10-09T16:00"), DAY) == sh("2026-10-10T16:00")
    assert cal.add(sh("2026-09-18T16:00"), DAY) == sh("2026-09-20T16:00")
    # An ordinary Saturday is not worked.
    assert not cal.is_working_day(date(2026, 10, 17))
    assert cal.holiday_name(date(2026, 10, 17)) is None


def test_mid_autumn_friday_2026_is_off(cal: BusinessCalendar) -> None:
    assert not cal.is_working_day(date(2026, 9, 25))
    assert cal.holiday_name(date(2026, 9, 25)) == "Mid-autumn Festival"
    assert cal.add(sh("2026-09-24T16:00"), DAY) == sh("2026-09-28T16:00")


def test_spring_festival_2026_is_skipped(cal: BusinessCalendar) -> None:
    # 15-23 February off; Saturdays 14 and 28 February are worked.
    assert [cal.is_working_day(date(2026, 2, d)) for d in range(13, 25)] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        True,
    ]
    assert cal.is_working_day(date(2026, 2, 28))
    assert cal.add(sh("2026-02-13T16:00"), DAY) == sh("2026-02-14T16:00")
    assert cal.add(sh("2026-02-14T16:00"), DAY) == sh("2026-02-24T16:00")
    assert cal.elapsed(sh("2026-02-14T17:00"), sh("2026-02-24T09:00")) == 0
    assert cal.holiday_name(date(2026, 2, 17)) == "Spring Festival"


def test_new_year_2026(cal: BusinessCalendar) -> None:
    # 1-3 January off; Sunday 4 January worked.
    assert cal.add(sh("2025-12-31T16:00"), DAY) == sh("2026-01-04T16:00")


# ---------------------------------------------------------------- a year without data


def test_a_year_without_official_data_falls_back_to_monday_to_friday_announced_once() -> None:
    told: list[int] = []
    cal = BusinessCalendar(SH, on_unknown_year=told.append)
    for day in range(1, 32):
        cal.is_working_day(date(2027, 1, day))
    # 2027-01-01 is a Friday: a working day under the fallback (the package knows nothing).
    assert cal.is_working_day(date(2027, 1, 1))
    assert not cal.is_working_day(date(2027, 1, 2))
    assert cal.day_source(date(2027, 1, 4)) == "fallback"
    assert cal.holiday_name(date(2027, 1, 1)) is None
    assert cal.add(sh("2026-12-31T16:00"), DAY) == sh("2027-01-01T16:00")
    assert cal.add(sh("2027-03-05T16:00"), DAY) == sh("2027-03-08T16:00")
    assert cal.elapsed(sh("2027-01-01T09:00"), sh("2027-12-31T17:00")) == 261 * DAY
    assert told == [2027]
    assert cal.unknown_years == {2027}
    cal.year(2028)
    cal.is_working_day(date(2003, 5, 1))
    assert told == [2027, 2028, 2003]
    assert cal.unknown_years == {2027, 2028, 2003}


def test_a_year_with_data_is_never_announced() -> None:
    told: list[int] = []
    cal = BusinessCalendar(SH, on_unknown_year=told.append)
    cal.year(2025)
    cal.add(sh("2026-01-05T09:00"), 500 * HOUR)
    assert told == [] and cal.unknown_years == set()


def test_unknown_year_without_a_listener_does_not_raise() -> None:
    cal = BusinessCalendar(SH)
    assert cal.add(sh("2031-06-06T16:00"), DAY) == sh("2031-06-09T16:00")
    assert cal.unknown_years == {2031}


# ---------------------------------------------------------------- overrides


def test_overrides_win_over_official_data_both_ways() -> None:
    cal = BusinessCalendar(
        SH, overrides={date(2026, 10, 5): True, date(2026, 11, 20): False, date(2026, 11, 21): True}
    )
    assert cal.is_working_day(date(2026, 10, 5)) and cal.day_source(date(2026, 10, 5)) == "override"
    assert cal.holiday_name(date(2026, 10, 5)) == "National Day"
    assert cal.add(sh("2026-09-30T16:00"), DAY) == sh("2026-10-05T16:00")
    assert not cal.is_working_day(date(2026, 11, 20))
    assert cal.day_source(date(2026, 11, 20)) == "override"
    assert cal.day_source(date(2026, 11, 19)) == "official"
    # Friday off, Saturday worked: Thursday 16:00 + 1 day = Saturday 16:00.
    assert cal.add(sh("2026-11-19T16:00"), DAY) == sh("2026-11-21T16:00")


def test_overrides_win_over_the_fallback_both_ways() -> None:
    cal = BusinessCalendar(SH, overrides={date(2027, 1, 1): False, date(2027, 1, 2): True})
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.is_working_day(date(2027, 1, 2))
    assert cal.day_source(date(2027, 1, 1)) == "override"
    assert cal.day_source(date(2027, 1, 3)) == "fallback"
    assert cal.add(sh("2026-12-31T16:00"), DAY) == sh("2027-01-02T16:00")


def test_overrides_are_copied_at_construction() -> None:
    overrides = {date(2026, 11, 20): False}
    cal = BusinessCalendar(SH, overrides=overrides)
    overrides[date(2026, 11, 20)] = True
    assert not cal.is_working_day(date(2026, 11, 20))


# ---------------------------------------------------------------- zones and hours


def test_inputs_in_any_zone_are_read_in_the_calendars_zone(cal: BusinessCalendar) -> None:
    # 08:00 UTC on Friday is 16:00 in Shanghai.
    due = cal.add(datetime(2026, 11, 20, 8, 0, tzinfo=UTC), DAY)
    assert due == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    # 03:00 in New York on Friday is 16:00 in Shanghai too.
    new_york = datetime(2026, 11, 20, 3, 0, tzinfo=ZoneInfo("America/New_York"))
    assert cal.add(new_york, DAY) == sh("2026-11-23T16:00")
    # 19:00 at -05:00 is 08:00 in Shanghai next morning: three business hours to noon.
    fixed = timezone(timedelta(hours=-5))
    assert cal.elapsed(datetime(2026, 11, 19, 19, tzinfo=fixed), sh("2026-11-20T12:00")) == 3 * HOUR


def test_naive_instants_are_refused(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add(datetime(2026, 11, 19, 10), 60)
    with pytest.raises(ValueError):
        cal.elapsed(sh("2026-11-19T10:00"), datetime(2026, 11, 19, 12))


def test_working_hours_are_configurable() -> None:
    cal = BusinessCalendar(SH, day_start=time(8, 30), day_end=time(17, 30))
    assert cal.add(sh("2026-11-20T16:30"), 9 * HOUR) == sh("2026-11-23T16:30")
    assert cal.add(sh("2026-11-20T07:00"), 9 * HOUR) == sh("2026-11-20T17:30")
    assert cal.elapsed(sh("2026-11-19T00:00"), sh("2026-11-20T00:00")) == 9 * HOUR


@pytest.mark.parametrize(("start", "end"), [(time(17), time(9)), (time(9), time(9))])
def test_working_day_must_end_after_it_starts(start: time, end: time) -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        BusinessCalendar(SH, day_start=start, day_end=end)


def test_working_hours_must_be_times_of_day_without_a_zone() -> None:
    with pytest.raises(TypeError):
        BusinessCalendar(SH, day_end="17:00")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        BusinessCalendar(SH, day_start=time(9, tzinfo=UTC))


def test_working_hours_in_a_zone_with_daylight_saving_count_real_seconds() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 2026-03-29 (a Sunday, worked here by override): clocks jump from 02:00 to 03:00.
    cal = BusinessCalendar(
        berlin, day_start=time(1), day_end=time(5), overrides={date(2026, 3, 29): True}
    )
    start = datetime(2026, 3, 29, 0, 0, tzinfo=berlin)
    assert cal.elapsed(start, datetime(2026, 3, 30, 0, 0, tzinfo=berlin)) == 3 * HOUR
    assert cal.add(start, 3 * HOUR) == datetime(2026, 3, 29, 5, 0, tzinfo=berlin)


# ---------------------------------------------------------------- calendar show, calendar_for


def test_year_lists_every_date_with_its_source() -> None:
    cal = BusinessCalendar(SH, overrides={date(2026, 11, 20): False})
    days = cal.year(2026)
    assert len(days) == 365
    assert days[0] == CalendarDay(date(2026, 1, 1), False, "official", "New Year's Day")
    assert [d.date for d in days] == [date(2026, 1, 1) + timedelta(n) for n in range(365)]
    by_date = {d.date: d for d in days}
    assert by_date[date(2026, 10, 10)] == CalendarDay(
        date(2026, 10, 10), True, "official", "National Day"
    )
    assert by_date[date(2026, 11, 20)].source == "override"
    assert not by_date[date(2026, 11, 20)].working
    assert sum(d.working for d in days) == 248 - 1  # the official count, minus the override
    leap = cal.year(2028)
    assert len(leap) == 366 and {d.source for d in leap} == {"fallback"}


def test_calendar_for_picks_by_name(cal: BusinessCalendar) -> None:
    assert calendar_for("business", cal) is cal
    wall = calendar_for("24x7", cal)
    assert wall.name == "24x7"
    assert wall.add(sh("2026-10-01T10:00"), HOUR) == sh("2026-10-01T11:00")
    with pytest.raises(ValueError):
        calendar_for("5x8", cal)
