"""Which facts are escalations, and escalating by hand: decided once, in the domain."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dutyboard.domain import ticket as t
from dutyboard.domain.calendar import BusinessCalendar, TwentyFourSeven
from dutyboard.domain.escalation import escalations_due

SH = ZoneInfo("Asia/Shanghai")
CALS = t.Calendars(wall=TwentyFourSeven(), business=BusinessCalendar(SH))
REPORTED = datetime(2026, 11, 25, 10, 0, tzinfo=SH)


def opened(level: int) -> t.TicketState:
    return t.replay([t.open_ticket(level, "hardware", "phone", REPORTED)], CALS)


def test_escalating_by_hand_is_one_level_up_and_recorded_as_manual() -> None:
    state = opened(3)
    fact = t.escalate(state, datetime(2026, 11, 25, 10, 5, tzinfo=SH), "wider impact")
    assert (fact.kind, fact.data["from_level"], fact.data["to_level"]) == ("level", 3, 2)
    record = t.escalation_of(fact)
    assert record is not None
    assert (record.from_level, record.to_level, record.kind) == (3, 2, "manual")
    assert t.apply(state, fact, CALS).escalations == (record,)


def test_level_1_cannot_be_escalated_by_hand() -> None:
    with pytest.raises(t.TransitionError, match="already at level 1"):
        t.escalate(opened(1), datetime(2026, 11, 25, 10, 5, tzinfo=SH), "worse")


def test_a_re_classification_downwards_is_no_escalation() -> None:
    state = opened(2)
    fact = t.reclassify(state, datetime(2026, 11, 25, 10, 5, tzinfo=SH), 3, "only one user")
    assert t.escalation_of(fact) is None
    assert t.apply(state, fact, CALS).escalations == ()


@pytest.mark.parametrize(("level", "kinds"), [(2, ["auto"]), (1, ["management"])])
def test_every_sweep_escalation_is_one_of_its_kind(level: int, kinds: list[str]) -> None:
    state = opened(level)
    late = datetime(2026, 11, 25, 14, 30, tzinfo=SH)  # the 4 h restore limit missed
    facts = escalations_due(state, late, CALS)
    assert [record.kind for record in map(t.escalation_of, facts) if record] == kinds
    assert all(t.escalation_of(f) is not None for f in facts)


def test_a_step_is_no_escalation() -> None:
    assert t.escalation_of(t.acknowledge(opened(2), REPORTED)) is None
