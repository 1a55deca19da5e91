"""Automatic escalation: what a sweep at an instant owes a ticket, from its history alone."""

from __future__ import annotations

from datetime import datetime

from dutyboard.domain.ticket import Calendars, Fact, TicketState, apply
from dutyboard.i18n import N_

RESTORE_BREACHED = N_("restore time limit missed")
LEVEL1_BREACHED = N_("level 1 restore time limit missed: management escalation")


def escalations_due(state: TicketState, at: datetime, cals: Calendars) -> list[Fact]:
    """The escalations a sweep at `at` must record, oldest first.

    A breached restore clock raises the level by one at the old due and restarts there, so a
    late sweep cascades (4→3→2→1). At level 1 the breach is recorded once per due, as a
    management escalation. Running it again on the result yields nothing: a sweep is idempotent.
    """
    facts: list[Fact] = []
    if state.status == "closed":
        return facts
    while True:
        restore = state.clock("restore")
        if not restore.live or restore.due is None or not at > restore.due:
            return facts
        due = restore.due
        if state.level > 1:
            fact = Fact(
                "escalated", due,
                {"from_level": state.level, "to_level": state.level - 1, "kind": "auto",
                 "reason": RESTORE_BREACHED},
            )
        elif state.management_due != due:
            fact = Fact(
                "escalated", due,
                {"from_level": 1, "to_level": 1, "kind": "management", "reason": LEVEL1_BREACHED},
            )
        else:
            return facts
        facts.append(fact)
        state = apply(state, fact, cals)
