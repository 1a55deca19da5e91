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
from dutyboard.service.access import require
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
    reason = checked(check_billable_reason, reason)
    note = note.strip()
    tickets.step(
        board, ticket_id, lambda s, when: rules.mark_billable(s, when, reason, note),
        expected_version, at,
    )


def clear_billable(
    board: Board, ticket_id: int, at: datetime | None = None, expected_version: int | None = None
) -> None:
    """Back to free service: a manager's decision."""

    def make(state: rules.TicketState, when: datetime) -> rules.Fact:
        require(board, "manager")
        return rules.clear_billable(state, when)

    tickets.step(board, ticket_id, make, expected_version, at)
