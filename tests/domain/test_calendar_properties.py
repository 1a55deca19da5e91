"""Properties of business time that every due relies on, checked with hypothesis.

Budgets are whole microseconds (the resolution of a datetime), so sums of budgets are exact.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from dutyboard.domain.calendar import BusinessCalendar

SH = ZoneInfo("Asia/Shanghai")
ZONES = [UTC, SH, ZoneInfo("America/New_York"), ZoneInfo("Europe/London")]
ORIGIN = datetime(2025, 1, 1, tzinfo=UTC)
SPAN = int((datetime(2028, 1, 1, tzinfo=UTC) - ORIGIN).total_seconds())
OVERRIDES = {date(2026, 10, 5): True, date(2026, 11, 20): False, date(2027, 1, 2): True}
CAL = BusinessCalendar(SH, overrides=OVERRIDES)

# Instants over 2025-2027 (official years and a fallback year), to the microsecond, in any zone.
instants = st.builds(
    lambda s, us, zone: (ORIGIN + timedelta(seconds=s, microseconds=us)).astimezone(zone),
    st.integers(0, SPAN),
    st.integers(0, 999_999) | st.just(0),
    st.sampled_from(ZONES),
)
# Budgets from nothing to a few working weeks, whole seconds or with microseconds.
budgets = st.integers(0, 200 * 3600).map(float) | st.integers(0, 200 * 3600 * 10**6).map(
    lambda us: us / 1e6
)


def in_working_time_or_at_an_end(instant: datetime, cal: BusinessCalendar = CAL) -> bool:
    local = instant.astimezone(cal.tz)
    return cal.is_working_day(local.date()) and cal.day_start <= local.time() <= cal.day_end


@given(instants, budgets, budgets)
def test_adding_twice_is_adding_the_sum(start: datetime, a: float, b: float) -> None:
    assert CAL.add(CAL.add(start, a), b) == CAL.add(start, a + b)


@given(instants, budgets)
def test_dues_lie_in_working_time_or_at_an_interval_end(start: datetime, seconds: float) -> None:
    due = CAL.add(start, seconds)
    assert due.tzinfo is UTC
    if seconds > 0:
        assert in_working_time_or_at_an_end(due)
        assert due > start
    else:
        assert due == start


@given(instants, instants, budgets)
def test_add_is_monotonic_in_start(t1: datetime, t2: datetime, seconds: float) -> None:
    early, late = sorted((t1, t2))
    assert CAL.add(early, seconds) <= CAL.add(late, seconds)


@given(instants, budgets, budgets)
def test_add_is_monotonic_in_budget(start: datetime, a: float, b: float) -> None:
    small, big = sorted((a, b))
    assert CAL.add(start, small) <= CAL.add(start, big)


@given(instants, budgets)
def test_elapsed_undoes_add(start: datetime, seconds: float) -> None:
    assert abs(CAL.elapsed(start, CAL.add(start, seconds)) - seconds) <= 1e-6


@given(instants, instants, instants)
def test_elapsed_adds_up_over_consecutive_spans(t1: datetime, t2: datetime, t3: datetime) -> None:
    a, b, c = sorted((t1, t2, t3))
    assert abs(CAL.elapsed(a, b) + CAL.elapsed(b, c) - CAL.elapsed(a, c)) <= 1e-6
    assert CAL.elapsed(c, a) == 0


def minute_by_minute(cal: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """The slow, obvious oracle: count working minutes one by one (start on a whole minute)."""
    at = start.astimezone(UTC)
    while minutes:
        local = at.astimezone(cal.tz)
        if cal.is_working_day(local.date()) and cal.day_start <= local.time() < cal.day_end:
            minutes -= 1
        at += timedelta(minutes=1)
    return at  # the end of the last working minute counted


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, SPAN // 60).map(lambda m: ORIGIN + timedelta(minutes=m)),
    st.integers(1, 3 * 8 * 60),
    st.sampled_from([(time(9), time(17)), (time(8, 30), time(18)), (time(0), time(23, 59))]),
)
def test_walking_intervals_agrees_with_counting_minutes(
    start: datetime, minutes: int, hours: tuple[time, time]
) -> None:
    cal = BusinessCalendar(SH, day_start=hours[0], day_end=hours[1], overrides=OVERRIDES)
    assert cal.add(start, minutes * 60) == minute_by_minute(cal, start, minutes)
