"""Business calendar overrides: the days a user declares working or off."""

from __future__ import annotations

from datetime import date

from dutyboard.domain.calendar import CalendarDay
from dutyboard.domain.policy import OPEN_STATUSES
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.service.tickets import replay_ticket, state_columns
from dutyboard.store.db import run_write
from dutyboard.store.models import CalendarOverride, Ticket

YEAR_MIN, YEAR_MAX = 2000, 2100


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(_("{value!r} is not a date (YYYY-MM-DD)").format(value=text)) from None


def parse_year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise BadInput(
            _("{value!r} is not a year between {low} and {high}").format(
                value=text, low=YEAR_MIN, high=YEAR_MAX
            )
        )
    return year


def set_day(board: Board, day: date, working: bool, note: str = "") -> int:
    """Declare a day working or off; every open ticket's business clocks follow at once.

    Returns how many tickets had a due moved.
    """
    now = board.now()

    def write() -> int:
        require(board, "manager")
        (
            CalendarOverride.insert(
                day=day, working=working, note=note, set_by=board.actor, set_at=now
            )
            .on_conflict(
                conflict_target=[CalendarOverride.day],
                update={
                    CalendarOverride.working: working,
                    CalendarOverride.note: note,
                    CalendarOverride.set_by: board.actor,
                    CalendarOverride.set_at: now,
                },
            )
            .execute()
        )
        board.record(
            "calendar_set", {"day": day.isoformat(), "working": working, "note": note}, at=now
        )
        board.reload_calendar()
        moved = 0
        for row in Ticket.select().where(Ticket.status.in_(OPEN_STATUSES)):
            columns = state_columns(replay_ticket(board, row.id))
            if any(getattr(row, k) != v for k, v in columns.items()):
                if not Ticket.update_versioned(row.id, row.version, **columns):
                    raise BadInput(_("A ticket changed while the calendar was set; try again"))
                moved += 1
        return moved

    try:
        return run_write(write)
    finally:
        board.reload_calendar()


def year(board: Board, year: int) -> list[CalendarDay]:
    """Every day of a year with whether it is worked and why (official, override, fallback)."""
    return board.business.year(year)
