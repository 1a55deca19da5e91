"""A person's late step and the automatic escalations dated after it, and the instants people
may name."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from dutyboard.domain import ticket as t
from dutyboard.domain.calendar import BusinessCalendar, TwentyFourSeven
from dutyboard.domain.escalation import escalations_due, still_holds, voided_by
from dutyboard.domain.instants import InstantError, parse_instant

SH = ZoneInfo("Asia/Shanghai")
CALS = t.Calendars(wall=TwentyFourSeven(), business=BusinessCalendar(SH))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def opened(level: int, when: str = "2026-11-26T05:50") -> t.TicketState:
    return t.replay([t.open_ticket(level, "hardware", "phone", at(when))], CALS)


def test_a_late_restore_voids_every_escalation_after_it() -> None:
    state = opened(3)  # restore due 11-27 05:50 (24 h), then 09:50 and 13:50 (4 h each)
    state = t.apply(state, t.acknowledge(state, at("2026-11-26T06:00")), CALS)
    later = escalations_due(state, at("2026-11-28T12:00"), CALS)
    assert [(f.data["from_level"], f.data["to_level"]) for f in later] == [(3, 2), (2, 1), (1, 1)]
    restored = t.restore(state, at("2026-11-27T05:00"))
    assert voided_by(state, restored, later, CALS) == [0, 1, 2]


def test_a_restore_at_the_due_itself_voids_the_escalation_at_that_due() -> None:
    state = t.apply(opened(2), t.acknowledge(opened(2), at("2026-11-26T06:00")), CALS)
    later = escalations_due(state, at("2026-11-26T10:00"), CALS)
    assert [f.at for f in later] == [at("2026-11-26T09:50")]
    assert voided_by(state, t.restore(state, at("2026-11-26T09:50")), later, CALS) == [0]


def test_a_restore_between_two_escalations_keeps_the_first() -> None:
    state = t.apply(opened(3), t.acknowledge(opened(3), at("2026-11-26T06:00")), CALS)
    later = escalations_due(state, at("2026-11-28T12:00"), CALS)  # 11-27 05:50, 09:50, 13:50
    first = t.apply(state, later[0], CALS)
    # The restore at 08:00 on the 27th comes after the first escalation: only those after it are void.
    assert voided_by(first, t.restore(first, at("2026-11-27T08:00")), later[1:], CALS) == [0, 1]


def test_steps_that_leave_the_restore_clock_running_keep_the_escalations() -> None:
    state = opened(2)
    later = escalations_due(state, at("2026-11-26T10:00"), CALS)
    for step in (
        t.acknowledge(state, at("2026-11-26T09:45")),
        t.note(state, at("2026-11-26T09:45"), "vendor called"),
        t.crisis(state, at("2026-11-26T09:45"), True),
    ):
        assert voided_by(state, step, later, CALS) == []


def test_a_late_reclassification_voids_the_escalations_after_it() -> None:
    state = opened(3)
    later = escalations_due(state, at("2026-11-27T06:00"), CALS)
    assert voided_by(state, t.reclassify(state, at("2026-11-27T05:00"), 4, "minor"), later, CALS) == [0]


def test_an_escalation_holds_only_on_the_state_it_was_made_for() -> None:
    state = opened(2)
    [escalation] = escalations_due(state, at("2026-11-26T10:00"), CALS)
    assert still_holds(state, escalation)
    assert not still_holds(t.apply(state, escalation, CALS), escalation)  # already applied
    assert not still_holds(opened(3), escalation)


def test_every_step_by_a_person_moves_the_floor_for_the_next() -> None:
    state = opened(3)
    state = t.apply(state, t.note(state, at("2026-11-26T07:00"), "called back"), CALS)
    with pytest.raises(t.TransitionError):
        t.acknowledge(state, at("2026-11-26T06:59"))
    state = t.apply(state, t.crisis(state, at("2026-11-26T08:00"), True), CALS)
    with pytest.raises(t.TransitionError):
        t.note(state, at("2026-11-26T07:30"), "too early")
    state = t.apply(state, t.reclassify(state, at("2026-11-26T09:00"), 2, "wider"), CALS)
    with pytest.raises(t.TransitionError):
        t.crisis(state, at("2026-11-26T08:30"), False)
    assert t.note(state, at("2026-11-26T09:00"), "same instant").at == at("2026-11-26T09:00")


def test_an_automatic_escalation_is_not_a_step() -> None:
    state = opened(2)
    [escalation] = escalations_due(state, at("2026-11-26T10:00"), CALS)
    escalated = t.apply(state, escalation, CALS)
    assert escalated.last_step_at == state.last_step_at
    assert t.acknowledge(escalated, at("2026-11-26T09:00")).at == at("2026-11-26T09:00")


def test_a_restored_ticket_keeps_its_level() -> None:
    state = opened(1)
    state = t.apply(state, t.acknowledge(state, at("2026-11-26T06:00")), CALS)
    state = t.apply(state, t.restore(state, at("2026-11-26T07:00")), CALS)
    with pytest.raises(t.TransitionError):
        t.reclassify(state, at("2026-11-26T08:00"), 4, "not that bad")


@pytest.mark.parametrize(
    "text",
    ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-31T23:59:59-12:00",
     "0001-01-01T00:00:00+14:00", "1969-12-31T23:59:59", "2100-01-01T00:00:00"],
)
def test_instants_outside_1970_to_2100_are_refused(text: str) -> None:
    with pytest.raises(InstantError, match="out of range"):
        parse_instant(text, SH)


def test_instants_at_the_edges_are_read() -> None:
    assert parse_instant("1970-01-01T00:00:00", UTC) == datetime(1970, 1, 1, tzinfo=UTC)
    assert parse_instant("2099-12-31T23:59:59-12:00", UTC).year == 2100
