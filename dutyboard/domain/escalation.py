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


#: Kinds of the facts the program records by itself. They are not steps: a person's late entry
#: may be dated before them, and then decides whether they still hold.
AUTOMATIC_KINDS = frozenset({"escalated"})


def still_holds(state: TicketState, fact: Fact) -> bool:
    """Whether an automatic escalation is what a sweep would record on `state` at its instant."""
    if fact.kind != "escalated" or state.status == "closed":
        return False
    restore = state.clock("restore")
    if not restore.live or restore.due != fact.at:
        return False
    from_level, to_level = int(fact.data["from_level"]), int(fact.data["to_level"])
    if fact.data.get("kind") == "management":
        return state.level == 1 and from_level == to_level == 1 and state.management_due != fact.at
    return state.level == from_level > 1 and to_level == from_level - 1


def voided_by(
    state: TicketState, step: Fact, later: list[Fact], cals: Calendars
) -> list[int]:
    """Which of the automatic facts dated at or after a person's late `step` no longer hold.

    `state` is the ticket without those facts; they are replayed after the step in their
    order, and each that the step made void (restored at 09:50, escalated at 10:00) is named
    by its index. A re-classification says what the level was from the start, so every
    automatic escalation after it is void: the next sweep works out the ones that are due.
    """
    if step.kind == "level":
        return list(range(len(later)))
    void: list[int] = []
    state = apply(state, step, cals)
    for index, fact in enumerate(later):
        if still_holds(state, fact):
            state = apply(state, fact, cals)
        else:
            void.append(index)
    return void
