"""Messages the dashboard's workers and forms post so handlers on the App own the state."""

from __future__ import annotations

from textual.message import Message


class TicketChanged(Message):
    """One ticket was written by this session, so the queue reloads that row at once."""

    def __init__(self, ticket_id: int | None) -> None:
        self.ticket_id = ticket_id
        super().__init__()


class BoardChanged(Message):
    """Something in the database changed, so every screen showing data refreshes."""
