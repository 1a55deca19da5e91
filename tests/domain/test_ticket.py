"""The contract's clocks, re-classification and escalation, to the second."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dutyboard.domain import ticket as t
from dutyboard.domain.calendar import BusinessCalendar, TwentyFourSeven
from dutyboard.domain.escalation import escalations_due
from dutyboard.domain.queue import next_clock, order_queue

SH = ZoneInfo("Asia/Shanghai")
CALS = t.Calendars(wall=TwentyFourSeven(), business=BusinessCalendar(SH))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH) if "+" not in text else datetime.fromisoformat(text)


def opened(level: int, service: str = "hardware", when: str = "2026-11-25T10:00") -> t.TicketState:
    return t.replay([t.open_ticket(level, service, "phone", at(when))], CALS)


def step(state: t.TicketState, fact: t.Fact) -> t.TicketState:
    return t.apply(state, fact, CALS)


def states(state: t.TicketState, when: datetime) -> dict[str, str]:
    return {name: clock.state(when) for name, clock in state.clocks.items()}


def test_hardware_level_2_dues_from_reported_at() -> None:
    s = opened(2)
    assert s.clock("respond").due == at("2026-11-25T10:15")
    assert s.clock("restore").due == at("2026-11-25T14:00")
    assert states(s, at("2026-11-25T10:05")) == {
        "respond": "running", "arrive": "pending", "restore": "running",
        "report": "pending", "update": "pending", "parts": "pending",
    }


def test_levels_3_and_4_have_longer_budgets() -> None:
    s = opened(4)
    assert s.clock("respond").due == at("2026-11-25T10:30")
    assert s.clock("restore").due == at("2026-11-26T10:00")


def test_arrive_starts_at_reported_at_once_dispatched() -> None:
    s = opened(1)
    s = step(s, t.acknowledge(s, at("2026-11-25T10:10")))
    assert s.clock("respond").state(at("2026-11-25T11:00")) == "met"
    s = step(s, t.dispatch(s, at("2026-11-25T10:20"), "wang"))
    assert s.clock("arrive").due == at("2026-11-25T12:00")
    assert s.owner == "wang"
    s = step(s, t.arrive(s, at("2026-11-25T12:00:01")))
    assert s.clock("arrive").state(at("2026-11-25T13:00")) == "missed"


def test_respond_breached_only_after_its_due() -> None:
    s = opened(1)
    assert s.clock("respond").state(at("2026-11-25T10:15")) == "running"
    assert s.clock("respond").state(at("2026-11-25T10:15:01")) == "breached"


def test_warning_at_half_budget() -> None:
    s = opened(2)
    restore = s.clock("restore")
    assert restore.warn_at == at("2026-11-25T12:00")
    assert not restore.warning(at("2026-11-25T11:59:59"))
    assert restore.warning(at("2026-11-25T12:00"))


def test_development_runs_on_business_time() -> None:
    s = opened(3, "development", "2026-11-19T15:00")  # a Thursday
    assert s.clock("respond").due == at("2026-11-19T15:30")
    assert s.clock("restore").due == at("2026-11-24T15:00")


def test_report_is_one_working_day_after_restoration_even_for_hardware() -> None:
    s = opened(2, when="2026-11-27T13:00")  # a Friday
    s = step(s, t.acknowledge(s, at("2026-11-27T13:05")))
    s = step(s, t.restore(s, at("2026-11-27T16:00")))
    assert s.clock("report").due == at("2026-11-30T16:00")
    assert s.clock("arrive").state(at("2026-11-27T16:00")) == "not_applicable"
    assert s.clock("restore").state(at("2026-11-27T16:00")) == "met"


def test_close_needs_the_report_for_levels_1_to_3() -> None:
    s = opened(3)
    s = step(s, t.acknowledge(s, at("2026-11-25T10:01")))
    s = step(s, t.restore(s, at("2026-11-25T11:00")))
    with pytest.raises(t.TransitionError):
        t.close(s, at("2026-11-25T12:00"))
    s = step(s, t.submit_report(s, at("2026-11-25T12:00")))
    s = step(s, t.close(s, at("2026-11-25T12:30")))
    assert s.status == "closed"
    assert s.clock("report").state(at("2026-11-25T13:00")) == "met"


def test_level_4_closes_without_report_and_the_report_clock_no_longer_applies() -> None:
    s = opened(4)
    s = step(s, t.acknowledge(s, at("2026-11-25T10:01")))
    s = step(s, t.restore(s, at("2026-11-25T11:00")))
    s = step(s, t.close(s, at("2026-11-25T11:30")))
    assert s.clock("report").state(at("2026-12-25T00:00")) == "not_applicable"


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda s, w: t.arrive(s, w), "open"),
        (lambda s, w: t.dispatch(s, w, None), "open"),
        (lambda s, w: t.close(s, w), "open"),
        (lambda s, w: t.submit_report(s, w), "open"),
    ],
)
def test_transitions_that_do_not_fit_are_refused(make, status) -> None:  # type: ignore[no-untyped-def]
    s = opened(2)
    assert s.status == status
    with pytest.raises(t.TransitionError):
        make(s, at("2026-11-25T10:05"))


def test_steps_cannot_go_back_in_time() -> None:
    s = opened(2)
    with pytest.raises(t.TransitionError):
        t.acknowledge(s, at("2026-11-25T09:59"))


def test_reclassification_recomputes_live_clocks_from_reported_at() -> None:
    s = opened(4)
    s = step(s, t.reclassify(s, at("2026-11-25T11:00"), 2, "whole site down"))
    assert s.level == 2 and s.initial_level == 4
    assert s.clock("respond").due == at("2026-11-25T10:15")
    assert s.clock("respond").state(at("2026-11-25T11:00")) == "breached"
    assert s.clock("restore").due == at("2026-11-25T14:00")
    assert [(e.from_level, e.to_level, e.kind) for e in s.escalations] == [(4, 2, "manual")]


def test_reclassification_keeps_stopped_clocks() -> None:
    s = opened(4)
    s = step(s, t.acknowledge(s, at("2026-11-25T10:20")))
    s = step(s, t.reclassify(s, at("2026-11-25T11:00"), 1, "data loss"))
    assert s.clock("respond").due == at("2026-11-25T10:30")
    assert s.clock("respond").state(at("2026-11-25T11:00")) == "met"


def test_reclassify_needs_reason_and_a_real_level() -> None:
    s = opened(3)
    with pytest.raises(t.TransitionError):
        t.reclassify(s, at("2026-11-25T11:00"), 2, "  ")
    with pytest.raises(t.TransitionError):
        t.reclassify(s, at("2026-11-25T11:00"), 5, "x")
    with pytest.raises(t.TransitionError):
        t.reclassify(s, at("2026-11-25T11:00"), 3, "x")


def test_late_sweep_cascades_escalations_from_each_old_due() -> None:
    s = opened(4)  # restore due 2026-11-26T10:00
    facts = escalations_due(s, at("2026-11-27T20:00:01"), CALS)
    got = [(f.at, f.data["from_level"], f.data["to_level"], f.data["kind"]) for f in facts]
    assert got == [
        (at("2026-11-26T10:00"), 4, 3, "auto"),
        (at("2026-11-27T10:00"), 3, 2, "auto"),
        (at("2026-11-27T14:00"), 2, 1, "auto"),
        (at("2026-11-27T18:00"), 1, 1, "management"),
    ]
    for f in facts:
        s = step(s, f)
    assert s.level == 1 and s.initial_level == 4
    assert s.clock("restore").due == at("2026-11-27T18:00")
    assert s.clock("respond").due == at("2026-11-25T10:30")  # respond keeps its due
    assert escalations_due(s, at("2026-11-27T20:00:01"), CALS) == []
    assert escalations_due(s, at("2026-12-27T20:00:01"), CALS) == []


def test_sweep_at_the_due_itself_escalates_nothing() -> None:
    s = opened(2)
    assert escalations_due(s, at("2026-11-25T14:00"), CALS) == []
    assert len(escalations_due(s, at("2026-11-25T14:00:01"), CALS)) == 1


def test_sweep_ignores_restored_and_closed_tickets() -> None:
    s = opened(2)
    s = step(s, t.acknowledge(s, at("2026-11-25T10:01")))
    s = step(s, t.restore(s, at("2026-11-25T15:00")))
    assert escalations_due(s, at("2026-11-26T10:00"), CALS) == []


def test_level_1_breach_is_recorded_once() -> None:
    s = opened(1)
    facts = escalations_due(s, at("2026-11-25T14:30"), CALS)
    assert [(f.at, f.data["kind"]) for f in facts] == [(at("2026-11-25T14:00"), "management")]
    s = step(s, facts[0])
    assert s.level == 1
    assert escalations_due(s, at("2026-11-26T14:30"), CALS) == []


def test_escalated_development_ticket_restarts_on_business_time() -> None:
    s = opened(3, "development", "2026-11-19T15:00")  # restore due Tue 11-24 15:00
    facts = escalations_due(s, at("2026-11-24T15:00:01"), CALS)
    s = step(s, facts[0])
    assert s.level == 2
    assert s.clock("restore").due == at("2026-11-25T11:00")  # 2 h Tue + 2 h Wed


def test_crisis_update_clock_restarts_with_each_note() -> None:
    s = opened(1)
    s = step(s, t.crisis(s, at("2026-11-25T10:30"), True))
    assert s.clock("update").due == at("2026-11-25T11:30")
    s = step(s, t.note(s, at("2026-11-25T11:10"), "vendor on the phone"))
    assert s.clock("update").due == at("2026-11-25T12:10")
    s = step(s, t.crisis(s, at("2026-11-25T12:00"), False))
    assert s.clock("update").state(at("2026-11-25T13:00")) == "met"
    with pytest.raises(t.TransitionError):
        t.crisis(s, at("2026-11-25T12:05"), False)


def test_note_outside_crisis_leaves_clocks_alone() -> None:
    s = opened(3)
    after = step(s, t.note(s, at("2026-11-25T10:10"), "called back"))
    assert after.clocks == s.clocks


def test_queue_order_level_then_nearest_due_then_id() -> None:
    now = at("2026-11-25T12:00")
    l2_late = opened(2, when="2026-11-25T08:00")  # respond breached since 08:15
    l2_fresh = opened(2, when="2026-11-25T11:55")
    l1 = opened(1, when="2026-11-25T11:59")
    l3 = opened(3, when="2026-11-25T11:00")
    restored = opened(1, when="2026-11-25T09:00")
    restored = step(restored, t.acknowledge(restored, at("2026-11-25T09:01")))
    restored = step(restored, t.restore(restored, at("2026-11-25T10:00")))
    rows = [
        (5, 3, l3.status, "l3", l3.clocks),
        (4, 2, l2_fresh.status, "l2 fresh", l2_fresh.clocks),
        (3, 2, l2_late.status, "l2 late", l2_late.clocks),
        (2, 1, l1.status, "l1", l1.clocks),
        (1, 1, restored.status, "restored", restored.clocks),
        (6, 4, "closed", "closed", l3.clocks),
    ]
    entries = order_queue(rows, now)
    assert [e.id for e in entries] == [2, 1, 3, 4, 5]
    assert entries[1].next is not None and entries[1].next.name == "report"
    assert entries[2].next is not None and entries[2].next.seconds_left == -(3 * 3600 + 45 * 60)


def test_next_clock_none_when_nothing_runs() -> None:
    s = opened(4)
    s = step(s, t.acknowledge(s, at("2026-11-25T10:01")))
    s = step(s, t.restore(s, at("2026-11-25T11:00")))
    s = step(s, t.close(s, at("2026-11-25T11:30")))
    assert next_clock(s.clocks, at("2026-11-25T12:00")) is None


def test_replay_equals_step_by_step() -> None:
    facts = [t.open_ticket(3, "hardware", "email", at("2026-11-25T10:00"))]
    s = t.replay(facts, CALS)
    for make in (
        lambda s: t.acknowledge(s, at("2026-11-25T10:10")),
        lambda s: t.dispatch(s, at("2026-11-25T10:20"), "li"),
        lambda s: t.arrive(s, at("2026-11-25T12:20")),
        lambda s: t.restore(s, at("2026-11-25T15:00")),
    ):
        fact = make(s)
        facts.append(fact)
        s = step(s, fact)
    assert t.replay(facts, CALS) == s
    assert s.clock("arrive").due == s.reported_at + timedelta(hours=4)
