"""A ticket's state as a fold over its events, and the commands that add events.

The event log is the source of every clock: `replay(facts)` rebuilds the state, so the stored
ticket row is only a projection that `dutyboard check` can verify.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from dutyboard.domain.calendar import Calendar
from dutyboard.domain.clocks import Clock
from dutyboard.domain.names import status_name
from dutyboard.domain.policy import (
    CHANNELS,
    CLOCKS,
    LEVEL_BUDGETS,
    LEVELS,
    REPORT_BUDGET,
    REPORT_REQUIRED_LEVELS,
    SERVICES,
    UPDATE_BUDGET,
    service_calendar_name,
)
from dutyboard.i18n import _


class TransitionError(ValueError):
    """A command that does not fit the ticket's state; nothing is changed (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Calendars:
    """The two calendars a ticket needs: wall clock and business time."""

    wall: Calendar
    business: Calendar

    def for_service(self, service: str) -> Calendar:
        return self.wall if service_calendar_name(service) == "24x7" else self.business


@dataclass(frozen=True, slots=True)
class Fact:
    """One event of the audit trail, as the rules see it."""

    kind: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EscalationRecord:
    at: datetime
    from_level: int
    to_level: int
    kind: str  # an ESCALATION_KINDS key
    reason: str


@dataclass(frozen=True, slots=True)
class TicketState:
    level: int
    initial_level: int
    base_level: int
    service: str
    status: str
    reported_at: datetime
    clocks: Mapping[str, Clock]
    acknowledged_at: datetime | None = None
    dispatched_at: datetime | None = None
    on_site_at: datetime | None = None
    restored_at: datetime | None = None
    analysis_at: datetime | None = None
    closed_at: datetime | None = None
    crisis: bool = False
    last_update_at: datetime | None = None
    owner: str | None = None
    management_due: datetime | None = None
    escalations: tuple[EscalationRecord, ...] = ()
    last_step_at: datetime | None = None

    def clock(self, name: str) -> Clock:
        return self.clocks[name]


def _with_clocks(state: TicketState, **changes: Clock) -> TicketState:
    clocks = dict(state.clocks)
    clocks.update(changes)
    return replace(state, clocks=MappingProxyType(clocks))


def _started(cal: Calendar, start: datetime, budget: int, from_: datetime | None = None) -> Clock:
    """A clock measured from `from_` (default `start`) with `budget` working seconds."""
    origin = from_ or start
    return Clock(start=origin, due=cal.add(origin, budget), warn_at=cal.add(origin, budget / 2))


def check_level(level: int) -> int:
    if level not in LEVELS:
        raise TransitionError(_("Level must be 1, 2, 3 or 4, not {level}").format(level=level))
    return level


# ---------------------------------------------------------------- applying facts


def _opened(fact: Fact, cals: Calendars) -> TicketState:
    level = int(fact.data["level"])
    service = str(fact.data["service"])
    cal = cals.for_service(service)
    at = fact.at
    clocks = {name: Clock() for name in CLOCKS}
    clocks["respond"] = _started(cal, at, LEVEL_BUDGETS["respond"][level])
    clocks["restore"] = _started(cal, at, LEVEL_BUDGETS["restore"][level])
    return TicketState(
        level=level,
        initial_level=level,
        base_level=level,
        service=service,
        status="open",
        reported_at=at,
        clocks=MappingProxyType(clocks),
        last_step_at=at,
    )


def _stop(clock: Clock, at: datetime) -> Clock:
    return replace(clock, done_at=at) if clock.live else clock


def apply(state: TicketState | None, fact: Fact, cals: Calendars) -> TicketState:
    """Fold one fact into the state; facts were validated when they were made."""
    if fact.kind == "opened":
        return _opened(fact, cals)
    assert state is not None, "the first fact of a ticket opens it"
    at = fact.at
    cal = cals.for_service(state.service)
    kind = fact.kind
    if kind == "acknowledged":
        state = replace(state, status="acknowledged", acknowledged_at=at, last_step_at=at)
        return _with_clocks(state, respond=_stop(state.clock("respond"), at))
    if kind == "dispatched":
        owner = fact.data.get("to") or state.owner
        arrive = state.clock("arrive")
        if not arrive.started:
            arrive = _started(cal, state.reported_at, LEVEL_BUDGETS["arrive"][state.base_level])
        state = replace(state, status="dispatched", dispatched_at=at, owner=owner, last_step_at=at)
        return _with_clocks(state, arrive=arrive)
    if kind == "arrived":
        state = replace(state, status="on_site", on_site_at=at, last_step_at=at)
        return _with_clocks(state, arrive=_stop(state.clock("arrive"), at))
    if kind == "restored":
        arrive = state.clock("arrive")
        arrive = _stop(arrive, at) if arrive.started else Clock(done_at=at)
        report = _started(cals.business, at, REPORT_BUDGET)
        state = replace(state, status="restored", restored_at=at, last_step_at=at)
        return _with_clocks(
            state, restore=_stop(state.clock("restore"), at), arrive=arrive, report=report
        )
    if kind == "reported":
        state = replace(state, analysis_at=at, last_step_at=at)
        return _with_clocks(state, report=_stop(state.clock("report"), at))
    if kind == "closed":
        report = state.clock("report")
        if report.live:  # a level 4 ticket closes without its report: the clock no longer applies
            report = Clock(done_at=at)
        state = replace(state, status="closed", closed_at=at, crisis=False, last_step_at=at)
        return _with_clocks(state, report=report, update=_stop(state.clock("update"), at))
    if kind == "note":
        state = replace(state, last_step_at=at)
        if not state.crisis:
            return state
        state = replace(state, last_update_at=at)
        return _with_clocks(state, update=_started(cals.wall, at, UPDATE_BUDGET))
    if kind == "crisis_on":
        state = replace(state, crisis=True, last_update_at=at, last_step_at=at)
        return _with_clocks(state, update=_started(cals.wall, at, UPDATE_BUDGET))
    if kind == "crisis_off":
        state = replace(state, crisis=False, last_step_at=at)
        return _with_clocks(state, update=_stop(state.clock("update"), at))
    if kind == "level":
        return _reclassified(state, fact, cal)
    if kind == "escalated":
        return _escalated(state, fact, cal)
    raise ValueError(f"unknown event kind {kind!r}")


def _reclassified(state: TicketState, fact: Fact, cal: Calendar) -> TicketState:
    """The fault was that level from the start: every live clock restarts from reported_at."""
    new = int(fact.data["to_level"])
    changes: dict[str, Clock] = {}
    for name in LEVEL_BUDGETS:  # the clocks whose budget depends on the level
        clock = state.clock(name)
        if clock.live:
            changes[name] = _started(cal, state.reported_at, LEVEL_BUDGETS[name][new])
    escalations = state.escalations
    record = escalation_of(fact)
    if record is not None:
        escalations += (record,)
    state = replace(
        state, level=new, base_level=new, escalations=escalations, management_due=None,
        last_step_at=fact.at,
    )
    return _with_clocks(state, **changes)


def _escalated(state: TicketState, fact: Fact, cal: Calendar) -> TicketState:
    """Automatic escalation at the old due: one level up, the restore clock restarts there."""
    record = escalation_of(fact)
    assert record is not None, "every escalated fact is an escalation"
    state = replace(state, escalations=(*state.escalations, record))
    if record.kind == "management":
        return replace(state, management_due=state.clock("restore").due)
    restore = _started(cal, fact.at, LEVEL_BUDGETS["restore"][record.to_level])
    return _with_clocks(replace(state, level=record.to_level), restore=restore)


def escalation_of(fact: Fact) -> EscalationRecord | None:
    """The escalation a fact makes, if any: the one place that decides what counts as one.

    An automatic or management escalation always is; a re-classification is one (manual) only
    when it raises the urgency, that is lowers the level number. The ticket's escalation rows
    and `dutyboard check` both follow this.
    """
    if fact.kind == "escalated":
        kind = str(fact.data.get("kind", "auto"))
    elif fact.kind == "level" and int(fact.data["to_level"]) < int(fact.data["from_level"]):
        kind = "manual"
    else:
        return None
    return EscalationRecord(
        fact.at, int(fact.data["from_level"]), int(fact.data["to_level"]), kind,
        str(fact.data.get("reason", "")),
    )


def replay(facts: Iterable[Fact], cals: Calendars) -> TicketState:
    """Rebuild a ticket from its audit trail."""
    state: TicketState | None = None
    for fact in facts:
        state = apply(state, fact, cals)
    if state is None:
        raise ValueError("a ticket needs at least its opening event")
    return state


# ---------------------------------------------------------------- commands: validate, make facts


def _not_before(state: TicketState, at: datetime, what: str) -> None:
    floor = state.last_step_at or state.reported_at
    if at < floor:
        raise TransitionError(
            _("Cannot {what} at {at}: the ticket's last step was at {floor}").format(
                what=what, at=at.isoformat(), floor=floor.isoformat()
            )
        )


def _need_status(state: TicketState, allowed: tuple[str, ...], what: str) -> None:
    if state.status not in allowed:
        raise TransitionError(
            _("Cannot {what} a ticket that is {status}").format(
                what=what, status=status_name(state.status)
            )
        )


def open_ticket(level: int, service: str, channel: str, at: datetime) -> Fact:
    check_level(level)
    if service not in SERVICES:
        raise TransitionError(
            _("Service must be hardware or development, not {service!r}").format(service=service)
        )
    if channel not in CHANNELS:
        raise TransitionError(
            _("Channel must be one of {choices}, not {channel!r}").format(
                choices=", ".join(CHANNELS), channel=channel
            )
        )
    return Fact("opened", at, {"level": level, "service": service, "channel": channel})


def acknowledge(state: TicketState, at: datetime) -> Fact:
    _need_status(state, ("open",), _("acknowledge"))
    _not_before(state, at, _("acknowledge"))
    return Fact("acknowledged", at)


def dispatch(state: TicketState, at: datetime, to: str | None) -> Fact:
    _need_status(state, ("acknowledged", "dispatched"), _("dispatch"))
    _not_before(state, at, _("dispatch"))
    return Fact("dispatched", at, {"to": to} if to else {})


def arrive(state: TicketState, at: datetime) -> Fact:
    _need_status(state, ("dispatched",), _("mark on site"))
    _not_before(state, at, _("mark on site"))
    return Fact("arrived", at)


def restore(state: TicketState, at: datetime) -> Fact:
    _need_status(state, ("acknowledged", "dispatched", "on_site"), _("restore"))
    _not_before(state, at, _("restore"))
    return Fact("restored", at)


def submit_report(state: TicketState, at: datetime) -> Fact:
    _need_status(state, ("restored",), _("file the fault analysis report for"))
    if state.analysis_at is not None:
        raise TransitionError(_("The fault analysis report was already submitted"))
    _not_before(state, at, _("file the fault analysis report"))
    return Fact("reported", at)


def close(state: TicketState, at: datetime) -> Fact:
    _need_status(state, ("restored",), _("close"))
    if state.level in REPORT_REQUIRED_LEVELS and state.analysis_at is None:
        raise TransitionError(
            _("A level {level} ticket needs its fault analysis report before it is closed").format(
                level=state.level
            )
        )
    _not_before(state, at, _("close"))
    return Fact("closed", at)


def note(state: TicketState, at: datetime, text: str) -> Fact:
    if not text.strip():
        raise TransitionError(_("A note needs some text"))
    _not_before(state, at, _("add a note"))
    return Fact("note", at, {"text": text})


def reclassify(state: TicketState, at: datetime, level: int, reason: str) -> Fact:
    check_level(level)
    # Once restored the fault's level is history: changing it then would, say, let a level 1
    # ticket close without its fault analysis report.
    _need_status(state, ("open", "acknowledged", "dispatched", "on_site"), _("re-classify"))
    if not reason.strip():
        raise TransitionError(_("Re-classifying needs a reason"))
    if level == state.level:
        raise TransitionError(_("The ticket is already level {level}").format(level=level))
    _not_before(state, at, _("re-classify"))
    return Fact("level", at, {"from_level": state.level, "to_level": level, "reason": reason})


def escalate(state: TicketState, at: datetime, reason: str) -> Fact:
    """One level more urgent, by hand: a re-classification to the next level up.

    Level 1 is as urgent as a ticket gets, so it is refused there (a missed limit at level 1
    goes to management through the sweep instead).
    """
    if state.level == LEVELS[0]:
        raise TransitionError(_("The ticket is already at level 1"))
    return reclassify(state, at, state.level - 1, reason)


def crisis(state: TicketState, at: datetime, on: bool) -> Fact:
    if state.status == "closed":
        raise TransitionError(_("A closed ticket cannot enter or leave crisis mode"))
    if on == state.crisis:
        raise TransitionError(
            _("The ticket is already in crisis mode")
            if on
            else _("The ticket is not in crisis mode")
        )
    _not_before(state, at, _("start or end crisis mode"))
    return Fact("crisis_on" if on else "crisis_off", at)
