"""Billable work (保修说明): the plan's reasons why a ticket's work is outside the free service.

Engineers mark a ticket billable; clearing the mark is a manager's decision. A ticket opened on
an asset past its free service is marked `out_of_period` by `system` when it is opened
(dutyboard.service.tickets.open_ticket). The mark is a fact of the ticket's audit trail, so
replay and `dutyboard check` cover it; its clocks run and count as for any ticket.
"""

from __future__ import annotations

from datetime import datetime

from dutyboard.domain import ticket as rules
from dutyboard.domain.archive import check_billable_reason
from dutyboard.service import tickets
from dutyboard.service.archive import checked
from dutyboard.service.board import Board


def mark_billable(
    board: Board,
    ticket_id: int,
    reason: str,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """Mark the work billable for one of the plan's reasons (marking again replaces it)."""
    at = at or board.now()
    reason = checked(check_billable_reason, reason)
    note = note.strip()
    tickets._change(
        board, ticket_id, lambda s: [rules.mark_billable(s, at, reason, note)], expected_version
    )


def clear_billable(
    board: Board,
    ticket_id: int,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """Back to free service: a manager's decision."""
    at = at or board.now()
    tickets._change(
        board,
        ticket_id,
        lambda s: [rules.clear_billable(s, at)],
        expected_version,
        needed="manager",
    )
