"""Everything the program does by itself is recorded as `system`, whoever ran it."""

from __future__ import annotations

import os
import subprocess
import sys

from notify_support import at

from dutyboard.domain.notices import SYSTEM
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import Conflict
from dutyboard.store.models import Event, Ticket


def test_the_sweep_escalates_as_system_not_as_whoever_ran_it(board: Board) -> None:
    tid = tickets.open_ticket(board, level=2, title="存储宕机", at=at("2026-11-25T10:00"))
    board.actor = "root"
    tickets.sweep(board, at("2026-11-25T14:00:01"))
    kinds = {e["kind"]: e["by"] for e in tickets.view(board, tid).events}
    assert kinds["opened"] == "zhangwei"
    assert kinds["escalated"] == SYSTEM == "system"


def test_a_conflict_after_the_sweep_names_system(board: Board) -> None:
    tid = tickets.open_ticket(board, level=2, title="存储宕机", at=at("2026-11-25T10:00"))
    version = Ticket.get_by_id(tid).version
    tickets.sweep(board, at("2026-11-25T14:00:01"))
    try:
        tickets.acknowledge(board, tid, at("2026-11-25T14:01"), expected_version=version)
    except Conflict as error:
        assert "system" in error.message
    else:
        raise AssertionError("acting on a stale version must be refused")


def test_the_command_line_sweep_records_system(db_url: str) -> None:
    env = {**os.environ, "DUTYBOARD_DB": db_url, "DUTYBOARD_TIMEZONE": "Asia/Shanghai"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "dutyboard", *args], env=env,
                              capture_output=True, text=True, timeout=60, check=False)

    assert cli("--by", "lina", "ticket", "open", "--level", "3", "--title", "UPS alarm",
               "--at", "2026-11-25T10:00").returncode == 0
    done = cli("--by", "root", "sweep", "--at", "2026-11-26T10:00:01", "--json")
    assert done.returncode == 0, done.stderr
    board = Board.open(db_url)
    try:
        escalated = Event.select().where(Event.kind == "escalated")
        assert [e.by for e in escalated] == ["system"]
    finally:
        board.close()
