"""Messages the dashboard's workers and forms post so handlers on the App own the state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from dutyboard.service.tickets import QueueRow, SweepResult


class TicketChanged(Message):
    """One ticket was written by this session, so the queue reloads that row at once."""

    def __init__(self, ticket_id: int | None) -> None:
        self.ticket_id = ticket_id
        super().__init__()


class BoardChanged(Message):
    """Something in the database changed, so every screen showing data refreshes."""


class RowsLoaded(Message):
    """Queue rows read by the board watcher: changed and new ones, and ids that left the queue."""

    def __init__(
        self, rows: list[QueueRow], *, removed: list[int] | None = None, replace_all: bool = False
    ) -> None:
        self.rows = rows
        self.removed = removed or []
        self.replace_all = replace_all
        super().__init__()


class Swept(Message):
    """The background sweep escalated tickets (the bell rings once for the lot)."""

    def __init__(self, results: list[SweepResult]) -> None:
        self.results = results
        super().__init__()


class DatabaseStatus(Message):
    """The database could (ok) or could not be reached by the board watcher."""

    def __init__(self, ok: bool, error: str = "") -> None:
        self.ok = ok
        self.error = error
        super().__init__()
