"""Calendars: wall-clock `24x7` and China's official working hours `business`.

A business deadline is found by walking the working intervals [day_start, day_end) of each
working day, one day at a time, with the day's interval cached as UTC instants, so a deadline
costs microseconds. Official working days come from the chinese-calendar package; a year it has
no data for falls back to Monday-Friday (announced once through `on_unknown_year`), and the
user's overrides (`dutyboard calendar set`) win over both.
"""

from __future__ import annotations

import datetime as _dt
import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final, Protocol

import chinese_calendar  # type: ignore[import-untyped]

from dutyboard.i18n import N_, _

#: Where a day's working status comes from.
SOURCE_OVERRIDE: Final = "override"
SOURCE_OFFICIAL: Final = "official"
SOURCE_FALLBACK: Final = "fallback"
SOURCES: Final = (SOURCE_OVERRIDE, SOURCE_OFFICIAL, SOURCE_FALLBACK)

#: The holiday names chinese-calendar reports, marked so `calendar show` can translate them.
HOLIDAY_NAMES: Final = (
    N_("New Year's Day"),
    N_("Spring Festival"),
    N_("Tomb-sweeping Day"),
    N_("Labour Day"),
    N_("Dragon Boat Festival"),
    N_("National Day"),
    N_("Mid-autumn Festival"),
    N_("Anti-Fascist 70th Day"),
)

_ZERO: Final = timedelta(0)


class Calendar(Protocol):
    """What a clock needs from a calendar: a due from a budget, and the budget used so far."""

    name: str

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant (UTC) `seconds` working seconds after `start`."""
        ...

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Working seconds between two instants, 0 when `end` is not after `start`."""
        ...


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day as `calendar show YEAR` lists it: worked or not, and why."""

    date: _dt.date
    working: bool
    source: str
    holiday: str | None


def _aware_utc(value: datetime) -> datetime:
    """An aware instant in UTC; a naive one is refused because its zone would be a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            _("A calendar needs an instant with a time zone, not {value}").format(
                value=value.isoformat()
            )
        )
    return value.astimezone(UTC)


def _budget(seconds: float) -> timedelta:
    """A budget as a timedelta (to the microsecond); negative or non-finite budgets are bugs."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(_("A budget is a number of seconds, not {value!r}").format(value=seconds))
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(
            _("A budget must be a finite number of seconds, zero or more, not {value}").format(
                value=seconds
            )
        )
    return timedelta(seconds=seconds)


class TwentyFourSeven:
    """Wall-clock time: nothing is skipped (the 7x24 hardware service)."""

    name: str = "24x7"

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant `seconds` after `start`, in UTC."""
        return _aware_utc(start) + _budget(seconds)

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Wall seconds from `start` to `end`, 0 when `end` is not after `start`."""
        span = _aware_utc(end) - _aware_utc(start)
        return span.total_seconds() if span > _ZERO else 0.0

    def __repr__(self) -> str:
        return "TwentyFourSeven()"


class BusinessCalendar:
    """Business hours on China's official working days, with the user's overrides on top."""

    name: str = "business"

    def __init__(
        self,
        tz: tzinfo,
        day_start: time = time(9),
        day_end: time = time(17),
        overrides: Mapping[date, bool] | None = None,
        on_unknown_year: Callable[[int], None] | None = None,
    ) -> None:
        if not isinstance(tz, tzinfo):
            raise TypeError(
                _("A business calendar needs a time zone, not {value!r}").format(value=tz)
            )
        for label, value in (("day_start", day_start), ("day_end", day_end)):
            if not isinstance(value, time):
                raise TypeError(
                    _("{name} must be a time of day such as 09:00, not {value!r}").format(
                        name=label, value=value
                    )
                )
            if value.tzinfo is not None:
                raise ValueError(
                    _("{name} is read in the calendar's zone and must not carry its own").format(
                        name=label
                    )
                )
        if day_end <= day_start:
            raise ValueError(
                _("The working day must end after it starts ({start} to {end})").format(
                    start=day_start.isoformat(), end=day_end.isoformat()
                )
            )
        self.tz: tzinfo = tz
        self.day_start: time = day_start
        self.day_end: time = day_end
        self.overrides: dict[date, bool] = {
            _day(d): bool(working) for d, working in (overrides or {}).items()
        }
        self.on_unknown_year = on_unknown_year
        #: Years chinese-calendar had no data for, where Monday-Friday was taken.
        self.unknown_years: set[int] = set()
        self._official_years: dict[int, bool] = {}
        self._days: dict[date, tuple[bool, str]] = {}
        # Working interval of each day by ordinal, as UTC instants; None for a day off.
        self._intervals: dict[int, tuple[datetime, datetime] | None] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar({self.tz!s}, {self.day_start.isoformat()}-"
            f"{self.day_end.isoformat()}, {len(self.overrides)} overrides)"
        )

    # ------------------------------------------------------------ days

    def _has_official_data(self, year: int) -> bool:
        """Whether chinese-calendar knows the year; asked once per year."""
        known = self._official_years.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
                known = True
            except NotImplementedError:
                known = False
            self._official_years[year] = known
        return known

    def _fell_back(self, year: int) -> None:
        """Record a year taken as Monday-Friday and announce it once."""
        with self._lock:
            if year in self.unknown_years:
                return
            self.unknown_years.add(year)
        if self.on_unknown_year is not None:
            self.on_unknown_year(year)

    def _lookup(self, d: date) -> tuple[bool, str]:
        """Whether a day is worked and why, cached per date."""
        found = self._days.get(d)
        if found is not None:
            return found
        if d in self.overrides:
            found = (self.overrides[d], SOURCE_OVERRIDE)
        elif self._has_official_data(d.year):
            found = (bool(chinese_calendar.is_workday(d)), SOURCE_OFFICIAL)
        else:
            self._fell_back(d.year)
            found = (d.weekday() < 5, SOURCE_FALLBACK)
        self._days[d] = found
        return found

    def is_working_day(self, d: date) -> bool:
        """Whether the day is worked: overrides, else official data, else Monday-Friday."""
        return self._lookup(_day(d))[0]

    def day_source(self, d: date) -> str:
        """Why the day is (not) worked: "override", "official" or "fallback"."""
        return self._lookup(_day(d))[1]

    def holiday_name(self, d: date) -> str | None:
        """The official holiday the day belongs to (an adjusted working day names its holiday)."""
        d = _day(d)
        if not self._has_official_data(d.year):
            return None
        name = chinese_calendar.get_holiday_detail(d)[1]
        return str(name) if name else None

    def year(self, y: int) -> list[CalendarDay]:
        """Every date of the year with its status, for `calendar show YEAR`."""
        first = date(y, 1, 1).toordinal()
        last = date(y, 12, 31).toordinal()
        days = []
        for ordinal in range(first, last + 1):
            d = date.fromordinal(ordinal)
            working, source = self._lookup(d)
            days.append(CalendarDay(d, working, source, self.holiday_name(d)))
        return days

    # ------------------------------------------------------------ intervals

    def _interval(self, ordinal: int) -> tuple[datetime, datetime] | None:
        """The day's working interval as UTC instants, or None on a day off (cached)."""
        try:
            return self._intervals[ordinal]
        except KeyError:
            pass
        d = date.fromordinal(ordinal)
        interval: tuple[datetime, datetime] | None = None
        if self._lookup(d)[0]:
            opens = datetime.combine(d, self.day_start, tzinfo=self.tz).astimezone(UTC)
            closes = datetime.combine(d, self.day_end, tzinfo=self.tz).astimezone(UTC)
            if closes > opens:  # a daylight-saving jump could swallow a very short day
                interval = (opens, closes)
        self._intervals[ordinal] = interval
        return interval

    def _ordinal(self, instant: datetime) -> int:
        """The calendar-zone day an UTC instant falls on."""
        return instant.astimezone(self.tz).toordinal()

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant (UTC) `seconds` business seconds after `start`.

        A zero budget returns `start`; otherwise counting begins at the next working moment and
        a budget that runs out exactly at the end of a day ends there (17:00, not 09:00 next day).
        """
        at = _aware_utc(start)
        left = _budget(seconds)
        if left == _ZERO:
            return at
        ordinal = self._ordinal(at)
        interval = self._interval
        while True:
            span = interval(ordinal)
            if span is not None:
                opens, closes = span
                if at < closes:
                    begin = max(at, opens)
                    room = closes - begin
                    if left <= room:
                        return begin + left
                    left -= room
            ordinal += 1

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Business seconds between two instants, 0 when `end` is not after `start`."""
        begin = _aware_utc(start)
        finish = _aware_utc(end)
        if finish <= begin:
            return 0.0
        total = _ZERO
        interval = self._interval
        for ordinal in range(self._ordinal(begin), self._ordinal(finish) + 1):
            span = interval(ordinal)
            if span is None:
                continue
            opens, closes = span
            low = max(begin, opens)
            high = min(finish, closes)
            if high > low:
                total += high - low
        return total.total_seconds()


def _day(value: date) -> date:
    """A plain date (a datetime is cut to its date, as chinese-calendar does)."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(_("Expected a date, not {value!r}").format(value=value))
    return value


def calendar_for(service_calendar_name: str, business: BusinessCalendar) -> Calendar:
    """The calendar a clock runs on, by the name policy gives it ("24x7" or "business")."""
    if service_calendar_name == TwentyFourSeven.name:
        return _WALL
    if service_calendar_name == BusinessCalendar.name:
        return business
    raise ValueError(
        _('Unknown calendar {name!r}: expected "24x7" or "business"').format(
            name=service_calendar_name
        )
    )


_WALL: Final = TwentyFourSeven()
