"""The open board: database, config, calendars, the program's clock and who is acting."""

from __future__ import annotations

import copy
import getpass
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peewee import Database

from dutyboard.config import Config, load_config
from dutyboard.domain.calendar import BusinessCalendar, TwentyFourSeven
from dutyboard.domain.instants import WRITE_SKEW, InstantError, iso, parse_instant
from dutyboard.domain.ticket import Calendars
from dutyboard.i18n import _
from dutyboard.service.errors import BadInput
from dutyboard.store import db as store
from dutyboard.store.models import CalendarOverride, Event

CHINA = ZoneInfo("Asia/Shanghai")


def business_zone(config: Config) -> ZoneInfo:
    """China's working hours unless the config names a zone: the calendar is the State Council's."""
    return config.zone if config.timezone else CHINA


def default_actor() -> str:
    """Who acts: DUTYBOARD_USER, else the OS user the engineer logged in as."""
    value = os.environ.get("DUTYBOARD_USER", "").strip()
    if value:
        return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def program_clock(zone: ZoneInfo) -> Callable[[], datetime]:
    """Now, or a clock that starts at DUTYBOARD_NOW and keeps running from there."""
    start = os.environ.get("DUTYBOARD_NOW", "").strip()
    if not start:
        return lambda: datetime.now(UTC)
    try:
        fixed = parse_instant(start, zone)
    except InstantError as error:
        raise BadInput(_("DUTYBOARD_NOW: {error}").format(error=error)) from None
    origin = time.monotonic()
    return lambda: fixed + timedelta(seconds=time.monotonic() - origin)


@dataclass
class Board:
    """Everything an operation needs; one per process (the dashboard keeps it for the shift)."""

    db: Database
    config: Config
    actor: str
    zone: ZoneInfo
    clock: Callable[[], datetime]
    target: str | None = None
    #: The login the actor acts through, when it named someone else (recorded as `via`).
    via: str | None = None
    business: BusinessCalendar = field(init=False)
    cals: Calendars = field(init=False)
    notices: list[str] = field(default_factory=list)
    #: The actor's access when already established (see `acting_as`); None: ask the roster.
    granted: str | None = None

    def __post_init__(self) -> None:
        self.reload_calendar()

    @classmethod
    def open(
        cls, target: str | None = None, actor: str | None = None, config: Config | None = None
    ) -> Board:
        """Open (and migrate) the database named by --db, DUTYBOARD_DB or the config."""
        config = config or load_config()
        zone = config.zone
        target = target or config.db
        database = store.open_database(target)
        return cls(database, config, actor or default_actor(), zone, program_clock(zone), target)

    def close(self) -> None:
        store.close_database()

    @property
    def single_writer(self) -> bool:
        """Whether the database takes one writer at a time (SQLite), not many (PostgreSQL)."""
        return store.is_sqlite(self.db)

    def acting_as(self, actor: str, access: str | None = None) -> Board:
        """The same open board for another actor (each HTTP request acts as its own token).

        `access`, when given, is what the actor was just found to have (a token checked for
        this request), so the operation does not look it up again.
        """
        other = copy.copy(self)
        other.actor = actor
        other.granted = access
        return other

    def now(self) -> datetime:
        return self.clock()

    def at(self, text: str | None) -> datetime:
        """`--at ISO` or now."""
        if text is None:
            return self.now()
        try:
            return parse_instant(text, self.zone)
        except InstantError as error:
            raise BadInput(str(error)) from None

    def write_at(self, at: datetime | None) -> datetime:
        """The instant a write is dated: now, or a past one; never later than now plus the skew.

        A write dated ahead would record what has not happened (a sweep escalating tickets
        hours early); 5 minutes allow for the clocks of two machines disagreeing.
        """
        now = self.now()
        if at is None:
            return now
        if at > now + WRITE_SKEW:
            raise BadInput(
                _(
                    "{at} is in the future (now is {now}); a write may be dated at most "
                    "{minutes} minutes ahead"
                ).format(
                    at=iso(at, self.zone), now=iso(now, self.zone),
                    minutes=int(WRITE_SKEW.total_seconds() // 60),
                )
            )
        return at

    def _unknown_year(self, year: int) -> None:
        self.notices.append(
            _(
                "The official calendar has no data for {year}: Monday to Friday are taken as "
                "working days there (set exceptions with `dutyboard calendar set`)."
            ).format(year=year)
        )

    def reload_calendar(self) -> None:
        """Read the user's overrides; called at start and after `calendar set`."""
        overrides = {row.day: row.working for row in CalendarOverride.select()}
        self.business = BusinessCalendar(
            business_zone(self.config),
            self.config.day_start,
            self.config.day_end,
            overrides=overrides,
            on_unknown_year=self._unknown_year,
        )
        self.cals = Calendars(wall=TwentyFourSeven(), business=self.business)

    def record(
        self,
        kind: str,
        details: dict[str, Any],
        ticket: int | None = None,
        at: datetime | None = None,
        by: str | None = None,
    ) -> Event:
        """Append one audit-trail event (every write leaves one).

        `by` is the acting person unless the program acts by itself (`SYSTEM`, which acts
        through nobody); `via` is the login the person acts through, when it named them.
        """
        return Event.create(
            ticket=ticket,
            at=at or self.now(),
            recorded_at=self.now(),
            by=by or self.actor,
            via=None if by else self.via,
            kind=kind,
            details=Event.dump_details(details),
        )

    def take_notices(self) -> list[str]:
        """Notices not yet shown (each said once)."""
        taken, self.notices[:] = list(self.notices), []
        return taken
