"""Queue order and the next clock of each ticket, computed from stored clocks without calendars."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from dutyboard.domain.clocks import Clock
from dutyboard.domain.policy import CLOCKS


@dataclass(frozen=True, slots=True)
class NextClock:
    name: str
    due: datetime
    seconds_left: float


def next_clock(clocks: Mapping[str, Clock], at: datetime) -> NextClock | None:
    """The nearest due among running and breached clocks (breached ones are negative, so first)."""
    best: NextClock | None = None
    for name in CLOCKS:
        clock = clocks[name]
        if clock.start is None or clock.done_at is not None or clock.due is None:
            continue
        left = (clock.due - at).total_seconds()
        if best is None or left < best.seconds_left:
            best = NextClock(name, clock.due, left)
    return best


def queue_key(level: int, ticket_id: int, nxt: NextClock | None) -> tuple[int, int, float, int]:
    """Level ascending, nearest due ascending, tickets with no live clock after, then id."""
    if nxt is None:
        return (level, 1, 0.0, ticket_id)
    return (level, 0, nxt.seconds_left, ticket_id)


def countdown_key(level: int, ticket_id: int, nxt: NextClock | None) -> tuple[int, float, int, int]:
    """Pure countdown order (the dashboard's toggle): nearest due first whatever the level."""
    if nxt is None:
        return (1, 0.0, level, ticket_id)
    return (0, nxt.seconds_left, level, ticket_id)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    id: int
    level: int
    status: str
    title: str
    next: NextClock | None


def order_queue(
    tickets: Iterable[tuple[int, int, str, str, Mapping[str, Clock]]], at: datetime
) -> list[QueueEntry]:
    """Every ticket that is not closed, in the contract's queue order."""
    entries = [
        QueueEntry(tid, level, status, title, next_clock(clocks, at))
        for tid, level, status, title, clocks in tickets
        if status != "closed"
    ]
    entries.sort(key=lambda e: queue_key(e.level, e.id, e.next))
    return entries
