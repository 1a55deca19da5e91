"""What the program does by itself: who acts, which clock notices are due, who is told.

Pure rules over clocks and levels, for the automatic actions and the notifications: the sweep
asks `clock_notices` what to record, the outbox asks `recipient_roles` whom to tell,
the courier asks `retry_delay` when to try again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from dutyboard.domain.clocks import Clock
from dutyboard.domain.policy import CALL_TABLE

#: The actor of everything the program does by itself, whichever process did it.
SYSTEM: Final = "system"

#: Events the sweep records when it notices a clock; they never change a clock (replay skips them).
CLOCK_WARNING: Final = "clock_warning"
CLOCK_BREACHED: Final = "clock_breached"
INSPECTION_OVERDUE: Final = "inspection_overdue"
#: The archive's event when a spare part's stock drops below its minimum.
PART_LOW: Final = "part_low"
#: Clocks whose warning (half the budget used) is noticed: the plan's backup-unit point.
WARNED_CLOCKS: Final = ("restore",)

#: Roles told about the board's upkeep (overdue inspections, low stock), whatever the level.
UPKEEP_ROLES: Final = ("dedicated_engineer", "local_manager")

#: A recipient's first message goes at once; more within this window fold into one digest.
DIGEST_WINDOW: Final = timedelta(seconds=60)
#: Failed sends are retried with backoff for this long, then the row is marked failed.
RETRY_WINDOW: Final = timedelta(hours=24)
RETRY_FIRST: Final = timedelta(seconds=15)
RETRY_LONGEST: Final = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ClockNotice:
    """A clock that reached its warning or its due: recorded once per (ticket, clock, kind, due)."""

    kind: str
    clock: str
    due: datetime
    #: When it happened: the warning point or the due.
    at: datetime


def level_roles(level: int) -> tuple[str, ...]:
    """Every role of a level's row in the plan's table 8.5.5.1, technical lead first."""
    technical, management = CALL_TABLE[level]
    return technical + management


def clock_notices(clocks: Mapping[str, Clock], at: datetime) -> list[ClockNotice]:
    """The notices a sweep at `at` owes these clocks, before any escalation it makes.

    A restore clock in its warning window (half the budget used, due not passed) is a warning;
    a live clock past its due is a breach. A warning first noticed after the due is left out:
    by then the breach says more.
    """
    found: list[ClockNotice] = []
    for name, clock in clocks.items():
        if not clock.live or clock.due is None:
            continue
        if at > clock.due:
            found.append(ClockNotice(CLOCK_BREACHED, name, clock.due, clock.due))
        elif name in WARNED_CLOCKS and clock.warning(at) and clock.warn_at is not None:
            found.append(ClockNotice(CLOCK_WARNING, name, clock.due, clock.warn_at))
    return found


def recipient_roles(kind: str, details: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The roles an event notifies, or None when the event notifies nobody.

    A new level 1 or 2 ticket, a restore warning, a breached clock, an automatic or management
    escalation (the new level's row); an overdue inspection or a part low in stock (the dedicated
    engineer and the local manager). A restore breach that escalates is told by its escalation.
    """
    if kind == "opened":
        level = int(details.get("level", 4))
        return level_roles(level) if level in (1, 2) else None
    if kind == "escalated":
        return level_roles(int(details["to_level"]))
    if kind == CLOCK_WARNING:
        return level_roles(int(details["level"]))
    if kind == CLOCK_BREACHED:
        return None if details.get("escalates") else level_roles(int(details["level"]))
    if kind in (INSPECTION_OVERDUE, PART_LOW):
        return UPKEEP_ROLES
    return None


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 15 s doubling, at most an hour."""
    step = RETRY_FIRST * int(2 ** max(0, min(attempts - 1, 12)))
    return min(step, RETRY_LONGEST)


def gives_up(window_start: datetime, at: datetime) -> bool:
    """Whether a row failing at `at` has been retried for the whole retry window."""
    return at - window_start >= RETRY_WINDOW
