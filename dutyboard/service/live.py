"""The board as a live page sees it: one snapshot of the queue, and a wake-up on every change.

The browser board (dutyboard.web) keeps one `BoardWatch` for the whole server and pushes a
fresh `snapshot` to every open page when anyone commits a change: a ticket opened through the
API, a step taken in a dashboard, the sweep's escalation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dutyboard.domain.instants import iso
from dutyboard.domain.policy import OPEN_STATUSES
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.store.db import change_marker
from dutyboard.store.models import CalendarOverride, Escalation, Ticket
from dutyboard.store.watch import ChangeWatcher

#: Escalations listed under the queue, newest first.
RECENT_ESCALATIONS = 10


class BoardWatch:
    """Wakes when anyone commits a change to the board (its own connection; one thread only)."""

    def __init__(self, board: Board) -> None:
        self._watcher = ChangeWatcher(board.target)

    def wait(self, timeout: float) -> bool:
        """True as soon as someone committed since the last call; False after `timeout` seconds."""
        return self._watcher.wait(timeout)

    def close(self) -> None:
        self._watcher.close()


def marker(board: Board) -> int:
    """The board's change marker (its newest event id): also proves the database answers."""
    return change_marker()


def calendar_overrides() -> dict[date, bool]:
    """The days users declared working or off (a server reloads its calendar when they change)."""
    return {row.day: row.working for row in CalendarOverride.select()}


def _clock_looks(row: tickets.QueueRow, at: datetime) -> tuple[list[str], bool]:
    """The clocks breached now, and whether the next one is past its warning point."""
    breached = [name for name, clock in row.clocks.items() if clock.state(at) == "breached"]
    nxt = row.next(at)
    warning = bool(nxt and row.clocks[nxt.name].warning(at))
    return breached, warning


def snapshot(board: Board, at: datetime | None = None) -> dict[str, Any]:
    """The queue in the contract's order with what a page needs to draw and tick it."""
    at = at or board.now()
    zone = board.zone
    rows = []
    for row, nxt in tickets.queue(board, at):
        breached, warning = _clock_looks(row, at)
        rows.append({
            **tickets.queue_row_json(row, nxt, zone),
            "initial_level": row.initial_level,
            "site": row.site,
            "asset": row.asset,
            "owner": row.owner,
            "crisis": row.crisis,
            "next_warn": iso(row.clocks[nxt.name].warn_at, zone) if nxt else None,
            "warning": warning,
            "breached": breached,
            "repeats": row.repeats,
            "last_repeat_at": iso(row.last_repeat_at, zone),
        })
    return {"now": iso(at, zone), "tickets": rows, "escalations": recent_escalations(board)}


def recent_escalations(board: Board, limit: int = RECENT_ESCALATIONS) -> list[dict[str, Any]]:
    """The newest escalations of tickets that are not closed: automatic, by hand, to management."""
    query = (
        Escalation.select(Escalation, Ticket.id, Ticket.title)
        .join(Ticket)
        .where(Ticket.status.in_(OPEN_STATUSES))
        .order_by(Escalation.at.desc(), Escalation.id.desc())
        .limit(limit)
    )
    return [
        {
            "ticket": e.ticket.id, "title": e.ticket.title, "at": iso(e.at, board.zone),
            "from_level": e.from_level, "to_level": e.to_level, "kind": e.kind,
        }
        for e in query
    ]
