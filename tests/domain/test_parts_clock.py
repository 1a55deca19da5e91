"""The parts clock (48 h on the wall clock for a replacement part), backup units, billable."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dutyboard.domain import ticket as t
from dutyboard.domain.calendar import BusinessCalendar, TwentyFourSeven
from dutyboard.domain.queue import next_clock

SH = ZoneInfo("Asia/Shanghai")
CALS = t.Calendars(wall=TwentyFourSeven(), business=BusinessCalendar(SH))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def opened(service: str = "development") -> t.TicketState:
    return t.replay([t.open_ticket(3, service, "phone", at("2026-11-27T16:00"))], CALS)


def step(state: t.TicketState, fact: t.Fact) -> t.TicketState:
    return t.apply(state, fact, CALS)


def test_waiting_for_a_part_starts_48_hours_on_the_wall_clock_even_for_development() -> None:
    s = step(opened(), t.wait_part(opened(), at("2026-11-27T17:00"), "PSU-550"))
    parts = s.clock("parts")
    assert parts.start == at("2026-11-27T17:00")
    assert parts.due == at("2026-11-29T17:00")  # through the weekend
    assert parts.warn_at == at("2026-11-28T17:00")
    assert parts.state(at("2026-11-29T17:00:01")) == "breached"


def test_a_second_wait_keeps_the_first_due_and_using_a_part_stops_it() -> None:
    s = opened()
    s = step(s, t.wait_part(s, at("2026-11-27T17:00"), "PSU-550"))
    s = step(s, t.wait_part(s, at("2026-11-28T09:00"), "FAN-01", "second part"))
    assert s.clock("parts").due == at("2026-11-29T17:00")
    s = step(s, t.use_part(s, at("2026-11-29T16:00"), "PSU-550", 1))
    assert s.clock("parts").state(at("2026-12-01T00:00")) == "met"
    s = step(s, t.wait_part(s, at("2026-11-30T10:00"), "FAN-01"))
    assert s.clock("parts").due == at("2026-12-02T10:00")  # a new wait after the first was met


def test_using_a_part_without_waiting_changes_no_clock() -> None:
    s = opened()
    after = step(s, t.use_part(s, at("2026-11-27T17:00"), "PSU-550", 2))
    assert after.clocks == s.clocks


def test_parts_clock_takes_part_in_the_queue_order() -> None:
    s = opened("hardware")  # Friday 16:00
    s = step(s, t.acknowledge(s, at("2026-11-27T16:05")))
    s = step(s, t.restore(s, at("2026-11-27T18:00")))  # the report is due Monday 17:00
    s = step(s, t.wait_part(s, at("2026-11-27T18:10"), "DISK"))  # the part Sunday 18:10
    nxt = next_clock(s.clocks, at("2026-11-28T09:00"))
    assert nxt is not None and nxt.name == "parts"
    nxt = next_clock(s.clocks, at("2026-11-30T10:00"))
    assert nxt is not None and nxt.name == "parts" and nxt.seconds_left < 0  # breached first
    s = step(s, t.use_part(s, at("2026-11-30T10:00"), "DISK", 1))
    nxt = next_clock(s.clocks, at("2026-11-30T10:00"))
    assert nxt is not None and nxt.name == "report"


def test_closing_stops_a_parts_clock() -> None:
    s = opened()
    s = step(s, t.wait_part(s, at("2026-11-27T17:00"), "PSU-550"))
    s = step(s, t.acknowledge(s, at("2026-11-27T17:10")))
    s = step(s, t.restore(s, at("2026-11-27T17:20")))
    s = step(s, t.submit_report(s, at("2026-11-27T17:30")))
    s = step(s, t.close(s, at("2026-11-27T17:40")))
    assert s.clock("parts").done_at == at("2026-11-27T17:40")


def test_steps_that_do_not_fit_are_refused() -> None:
    s = opened()
    with pytest.raises(t.TransitionError):
        t.wait_part(s, at("2026-11-27T15:00"), "PSU-550")  # before it was reported
    with pytest.raises(t.TransitionError):
        t.use_part(s, at("2026-11-27T17:00"), "PSU-550", 0)
    with pytest.raises(t.TransitionError):
        t.backup_unit(s, at("2026-11-27T17:00"), "shanghai")
    waiting = step(s, t.wait_part(s, at("2026-11-27T18:00"), "PSU-550"))
    with pytest.raises(t.TransitionError, match="last step"):
        t.use_part(waiting, at("2026-11-27T17:00"), "PSU-550", 1)
    with pytest.raises(t.TransitionError, match="not marked billable"):
        t.clear_billable(s, at("2026-11-27T17:00"))
    with pytest.raises(t.TransitionError):
        t.mark_billable(s, at("2026-11-27T17:00"), "because")


def test_billable_marks_replace_each_other_and_clear_and_change_no_clock() -> None:
    s = opened()
    s1 = step(s, t.mark_billable(s, at("2026-11-27T17:00"), "untrained_use", "manual ignored"))
    assert (s1.billable, s1.billable_note) == ("untrained_use", "manual ignored")
    assert s1.clocks == s.clocks
    s2 = step(s1, t.mark_billable(s1, at("2026-11-27T17:05"), "force_majeure"))
    assert (s2.billable, s2.billable_note) == ("force_majeure", "")
    s3 = step(s2, t.clear_billable(s2, at("2026-11-27T17:10")))
    assert s3.billable is None


def test_a_backup_unit_is_recorded_without_touching_a_clock() -> None:
    s = opened()
    fact = t.backup_unit(s, at("2026-11-27T17:00"), "local", "same model from the store")
    assert fact.data == {"from": "local", "note": "same model from the store"}
    assert step(s, fact).clocks == s.clocks


def test_a_closed_ticket_waits_for_no_part() -> None:
    s = opened()
    s = step(s, t.acknowledge(s, at("2026-11-27T16:05")))
    s = step(s, t.restore(s, at("2026-11-27T16:10")))
    s = step(s, t.submit_report(s, at("2026-11-27T16:20")))
    s = step(s, t.close(s, at("2026-11-27T16:30")))
    for make in (
        lambda: t.wait_part(s, at("2026-11-27T17:00"), "X"),
        lambda: t.use_part(s, at("2026-11-27T17:00"), "X", 1),
        lambda: t.backup_unit(s, at("2026-11-27T17:00"), "local"),
    ):
        with pytest.raises(t.TransitionError):
            make()
    # billing is decided after the work: a closed ticket may still be marked
    assert (
        step(s, t.mark_billable(s, at("2026-11-28T10:00"), "force_majeure")).billable
        == "force_majeure"
    )
