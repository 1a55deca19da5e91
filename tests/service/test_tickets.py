"""The service layer on a real database (SQLite and PostgreSQL): one transaction per operation."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Conflict, NotFound
from dutyboard.store.models import Escalation, Event, Ticket

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def open_l2(board: Board, when: str = "2026-11-25T10:00") -> int:
    return tickets.open_ticket(board, level=2, title="存储宕机", site="HQ-DC", at=at(when))


def test_open_stores_clocks_and_the_opening_event(board: Board) -> None:
    tid = open_l2(board)
    view = tickets.view(board, tid, at("2026-11-25T10:05"))
    assert view.level == view.initial_level == 2
    assert view.clocks["respond"].due == at("2026-11-25T10:15")
    assert view.clocks["restore"].due == at("2026-11-25T14:00")
    assert view.clocks["arrive"].state == "pending"
    assert [e["kind"] for e in view.events] == ["opened"]
    assert view.events[0]["by"] == board.actor


def test_full_lifecycle(board: Board) -> None:
    tid = open_l2(board)
    tickets.acknowledge(board, tid, at("2026-11-25T10:10"))
    tickets.dispatch(board, tid, "zhangwei", at("2026-11-25T10:20"))
    tickets.arrive(board, tid, at("2026-11-25T11:30"))
    tickets.restore(board, tid, at("2026-11-25T13:00"))
    tickets.submit_report(board, tid, tickets.parse_report("起因：电源\n响应：电话\n过程：更换\n结果：恢复\n今后注意事项：巡检"), at("2026-11-26T09:30"))
    tickets.close(board, tid, at("2026-11-26T10:00"))
    view = tickets.view(board, tid, at("2026-11-26T10:00"))
    assert view.status == "closed"
    assert {n: c.state for n, c in view.clocks.items()} == {
        "respond": "met", "arrive": "met", "restore": "met", "report": "met", "update": "pending",
        "parts": "pending",
    }
    assert view.report is not None and view.report["cause"] == "电源"
    assert view.owner == "zhangwei"
    assert Ticket.get_by_id(tid).version == 7


def test_bad_transition_changes_nothing(board: Board) -> None:
    tid = open_l2(board)
    before = Event.select().count()
    with pytest.raises(BadInput):
        tickets.close(board, tid, at("2026-11-25T10:30"))
    with pytest.raises(BadInput):
        tickets.arrive(board, tid, at("2026-11-25T10:30"))
    assert Event.select().count() == before
    assert Ticket.get_by_id(tid).version == 1


def test_unknown_ticket_is_bad_input(board: Board) -> None:
    with pytest.raises(NotFound):
        tickets.acknowledge(board, 999)


def test_bad_open_input_writes_nothing(board: Board) -> None:
    for kwargs in ({"level": 5, "title": "x"}, {"level": 1, "title": "  "},
                   {"level": 1, "title": "x", "service": "coffee"},
                   {"level": 1, "title": "x", "channel": "pigeon"}):
        with pytest.raises(BadInput):
            tickets.open_ticket(board, **kwargs)  # type: ignore[arg-type]
    assert Ticket.select().count() == 0 and Event.select().count() == 0


def test_stale_version_is_a_conflict_and_overwrites_nothing(board: Board) -> None:
    tid = open_l2(board)
    seen = Ticket.get_by_id(tid).version
    board.actor = "lina"
    tickets.acknowledge(board, tid, at("2026-11-25T10:05"))
    board.actor = "zhangwei"
    with pytest.raises(Conflict) as raised:
        tickets.add_note(board, tid, "my note", at("2026-11-25T10:06"), expected_version=seen)
    assert "lina" in raised.value.message
    assert [e["kind"] for e in tickets.view(board, tid).events] == ["opened", "acknowledged"]


def test_reclassify_records_a_manual_escalation(board: Board) -> None:
    tid = tickets.open_ticket(board, level=4, title="question", at=at("2026-11-25T10:00"))
    tickets.set_level(board, tid, 2, "business stopped", at("2026-11-25T11:00"))
    view = tickets.view(board, tid, at("2026-11-25T11:00"))
    assert (view.level, view.initial_level) == (2, 4)
    assert view.clocks["restore"].due == at("2026-11-25T14:00")
    assert view.clocks["respond"].state == "breached"
    assert [(e["from_level"], e["to_level"], e["kind"]) for e in view.escalations] == [(4, 2, "manual")]


def test_sweep_escalates_once_and_is_idempotent(board: Board) -> None:
    tid = tickets.open_ticket(board, level=4, title="slow", at=at("2026-11-25T10:00"))
    results = tickets.sweep(board, at("2026-11-27T20:00:01"))
    assert [(r.from_level, r.to_level, r.at, r.kind) for r in results] == [
        (4, 3, at("2026-11-26T10:00"), "auto"),
        (3, 2, at("2026-11-27T10:00"), "auto"),
        (2, 1, at("2026-11-27T14:00"), "auto"),
        (1, 1, at("2026-11-27T18:00"), "management"),
    ]
    assert tickets.sweep(board, at("2026-11-27T20:00:01")) == []
    assert tickets.sweep(board, at("2026-11-28T20:00:01")) == []
    view = tickets.view(board, tid, at("2026-11-27T20:00:01"))
    assert view.level == 1 and view.initial_level == 4
    assert len(view.escalations) == 4
    assert Escalation.select().count() == 4


def test_queue_order_and_seconds_left(board: Board) -> None:
    a = tickets.open_ticket(board, level=3, title="a", at=at("2026-11-25T09:00"))
    b = tickets.open_ticket(board, level=1, title="b", at=at("2026-11-25T11:50"))
    c = tickets.open_ticket(board, level=1, title="c", at=at("2026-11-25T11:40"))
    items = tickets.queue(board, at("2026-11-25T12:00"))
    assert [row.id for row, _ in items] == [c, b, a]
    row, nxt = items[0]
    assert nxt is not None and nxt.name == "respond" and nxt.seconds_left == -5 * 60


def test_crisis_and_hourly_update(board: Board) -> None:
    tid = open_l2(board)
    tickets.set_crisis(board, tid, True, at("2026-11-25T10:30"))
    tickets.add_note(board, tid, "update 1", at("2026-11-25T11:20"))
    view = tickets.view(board, tid, at("2026-11-25T11:20"))
    assert view.crisis
    assert view.clocks["update"].due == at("2026-11-25T12:20")
    with pytest.raises(BadInput):
        tickets.set_crisis(board, tid, True, at("2026-11-25T11:30"))


def test_report_text_forms() -> None:
    assert tickets.parse_report("disk failed, replaced")["cause"] == "disk failed, replaced"
    parts = tickets.parse_report('{"cause": "c", "result": "r"}')
    assert parts["cause"] == "c" and parts["result"] == "r" and parts["process"] == ""
    with pytest.raises(BadInput):
        tickets.parse_report("   ")
    with pytest.raises(BadInput):
        tickets.parse_report('{"cause": "c", "colour": "blue"}')
    with pytest.raises(BadInput):
        tickets.parse_report("{not json")
