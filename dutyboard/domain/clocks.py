"""One clock of a ticket and its state at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Clock:
    """A promise with a due: pending (no start), not applicable (closed off unstarted), or started.

    `warn_at` is the half-way point of the budget on the clock's own calendar: the plan's
    decision point for a backup unit, precomputed so a ticking screen never walks a calendar.
    """

    start: datetime | None = None
    due: datetime | None = None
    warn_at: datetime | None = None
    done_at: datetime | None = None

    @property
    def started(self) -> bool:
        return self.start is not None

    @property
    def stopped(self) -> bool:
        return self.done_at is not None

    @property
    def live(self) -> bool:
        """Started and not stopped: it can still be met or breached."""
        return self.start is not None and self.done_at is None

    def state(self, at: datetime) -> str:
        """The state at `at`: pending, running, breached, met, missed or not_applicable."""
        if self.start is None:
            return "pending" if self.done_at is None else "not_applicable"
        assert self.due is not None
        if self.done_at is not None:
            return "met" if self.done_at <= self.due else "missed"
        return "breached" if at > self.due else "running"

    def warning(self, at: datetime) -> bool:
        """Running and past half its budget (the UI's `warning`)."""
        return (
            self.live
            and self.warn_at is not None
            and self.due is not None
            and self.warn_at <= at <= self.due
        )

    def seconds_left(self, at: datetime) -> float | None:
        """Wall seconds to the due; negative once breached."""
        if self.due is None:
            return None
        return (self.due - at).total_seconds()

    def used(self, at: datetime) -> float:
        """Share of the budget used, 0..1+ on the wall clock (for a bar; warnings use `warn_at`)."""
        if self.start is None or self.due is None:
            return 0.0
        end = self.done_at or at
        total = (self.due - self.start).total_seconds()
        if total <= 0:
            return 1.0
        return max(0.0, (end - self.start).total_seconds() / total)
