"""Several real processes writing one board at once lose nothing and never see "locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WRITER = r"""
import sys
from dutyboard.service.board import Board
from dutyboard.service import tickets
n, who = int(sys.argv[1]), sys.argv[2]
board = Board.open(None, actor=who)
for i in range(n):
    tid = tickets.open_ticket(board, level=1 + i % 4, title=f"{who} {i}")
    tickets.acknowledge(board, tid)
    tickets.add_note(board, tid, "checked")
    tickets.sweep(board)
board.close()
"""

SWEEPER = r"""
import sys, json
from dutyboard.service.board import Board
from dutyboard.service import tickets
board = Board.open(None, actor=sys.argv[2])
done = tickets.sweep(board, board.at(sys.argv[1]))
print(json.dumps([[r.id, r.from_level, r.to_level, r.kind] for r in done]))
board.close()
"""


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DUTYBOARD_DB": url, "DUTYBOARD_TIMEZONE": "Asia/Shanghai"}


@pytest.mark.slow
def test_six_writers_lose_nothing(board_url: str) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, "15", f"w{k}"], env=_env(board_url),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for k in range(6)
    ]
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
    from dutyboard.service.board import Board
    from dutyboard.store.models import Event, Ticket

    board = Board.open(board_url)
    try:
        assert Ticket.select().count() == 90
        assert Event.select().where(Event.kind == "opened").count() == 90
        assert Event.select().where(Event.kind == "acknowledged").count() == 90
        assert Event.select().where(Event.kind == "note").count() == 90
        assert all(t.version == 3 for t in Ticket.select())
    finally:
        board.close()


@pytest.mark.slow
def test_racing_sweeps_escalate_exactly_once(board_url: str) -> None:
    from dutyboard.service import tickets
    from dutyboard.service.board import Board
    from dutyboard.store.models import Escalation

    board = Board.open(board_url)
    for i in range(10):
        tickets.open_ticket(board, level=4, title=f"t{i}", at=board.at("2026-11-25T10:00+08:00"))
    board.close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SWEEPER, "2026-11-27T20:00:01+08:00", f"s{k}"],
            env=_env(board_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for k in range(6)
    ]
    total = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        total.extend(json.loads(out))
    assert len(total) == 40  # 4 escalations per ticket, each reported by exactly one sweeper
    board = Board.open(board_url)
    try:
        assert Escalation.select().count() == 40
    finally:
        board.close()
