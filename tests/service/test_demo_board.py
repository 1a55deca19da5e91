"""The demo board: deterministic for a seed and an instant, and it covers every state the desk sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dutyboard.config import Config
from dutyboard.service.demo import make_demo
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.store.db import close_database
from dutyboard.store.models import Escalation, Event, Ticket


def _snapshot(path: Path, seed: int) -> tuple[list[Any], list[Any]]:
    board = Board.open(str(path), actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    try:
        make_demo(board, seed=seed, at=board.at("2026-11-25T14:00"))
        rows = [tuple(t.__data__.values()) for t in Ticket.select().order_by(Ticket.id)]
        events = [(e.ticket_id, e.kind, e.at, e.by) for e in Event.select().order_by(Event.id)]
        return rows, events
    finally:
        board.close()
        close_database()


def test_same_seed_and_instant_same_board(tmp_path: Path) -> None:
    first = _snapshot(tmp_path / "a.db", 7)
    assert first == _snapshot(tmp_path / "b.db", 7)
    assert first != _snapshot(tmp_path / "c.db", 8)


def test_demo_covers_every_level_status_and_clock_state(tmp_path: Path) -> None:
    board = Board.open(str(tmp_path / "d.db"), actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    try:
        now = board.at("2026-11-25T14:00")
        make_demo(board, at=now)
        rows = list(Ticket.select())
        assert 40 <= len(rows) <= 90
        assert {r.level for r in rows} == {1, 2, 3, 4}
        assert {r.status for r in rows} == {"open", "acknowledged", "dispatched", "on_site", "restored", "closed"}
        assert sum(r.crisis for r in rows) == 1
        assert Escalation.select().where(Escalation.kind == "auto").exists()
        assert any(r.level != r.initial_level for r in rows)
        assert any(ord(ch) > 0x3000 for r in rows for ch in r.title)  # Chinese titles
        assert any(r.title.isascii() for r in rows)  # and English ones
        closed = [r for r in rows if r.status == "closed"]
        assert closed and all(r.analysis_at is not None for r in closed if r.level <= 3)
        states: set[str] = set()
        warned = False
        for row, _nxt in tickets.queue(board, now):
            for clock in row.clocks.values():
                states.add(clock.state(now))
                warned = warned or clock.warning(now)
        assert {"running", "breached", "met", "pending", "not_applicable"} <= states
        assert warned
        with pytest.raises(BadInput):
            make_demo(board, at=now)
    finally:
        board.close()
