"""Writers killed with SIGKILL in the middle of their work leave a board that checks out.

Three processes keep doing what a shift does (open, acknowledge, dispatch, arrive, restore,
report, notes, re-classification, sweeps); every round one of them is killed at a random
moment and a fresh one takes its place. Afterwards `check` must find every ticket row equal
to the replay of its events, every event's ticket present, every escalation and report with
its event, and (on SQLite) the file intact.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from team_support import SHIFT_WRITER, env_for

from dutyboard.config import Config
from dutyboard.service import admin
from dutyboard.service.board import Board
from dutyboard.store.models import Escalation, Event, Ticket

ROUNDS = 20
WRITERS = 3


def _start(url: str, folder: Path, n: int) -> tuple[subprocess.Popen[bytes], Path]:
    progress = folder / f"writer{n}.progress"
    errors = (folder / f"writer{n}.err").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", SHIFT_WRITER, str(progress), str(n)], env=env_for(url),
        stdout=subprocess.DEVNULL, stderr=errors,
    )
    errors.close()
    return proc, progress


def _started(progress: Path) -> bool:
    return progress.exists() and progress.stat().st_size > 0


def _kill(proc: subprocess.Popen[bytes], folder: Path, n: int) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    err = (folder / f"writer{n}.err").read_text(errors="replace")
    assert proc.returncode == -signal.SIGKILL, f"writer {n} ended by itself: {err}"


@pytest.mark.slow
def test_writers_killed_mid_write_leave_the_board_consistent(db_url: str, tmp_path: Path) -> None:
    Board.open(db_url, actor="duty", config=Config(timezone="Asia/Shanghai")).close()
    rng = random.Random(20261127)
    running: dict[int, tuple[subprocess.Popen[bytes], Path]] = {}
    made = 0
    for _ in range(WRITERS):
        running[made] = _start(db_url, tmp_path, made)
        made += 1
    mid_operation = 0
    try:
        for _round in range(ROUNDS):
            time.sleep(rng.uniform(0.1, 0.4))
            deadline = time.monotonic() + 20
            while not any(_started(progress) for _proc, progress in running.values()):
                assert time.monotonic() < deadline, "no writer got going"
                time.sleep(0.02)
            victim = rng.choice([n for n, (_p, progress) in running.items() if _started(progress)])
            proc, progress = running.pop(victim)
            _kill(proc, tmp_path, victim)
            if progress.read_bytes().endswith(b"B"):
                mid_operation += 1
            running[made] = _start(db_url, tmp_path, made)
            made += 1
    finally:
        for n, (proc, _progress) in list(running.items()):
            _kill(proc, tmp_path, n)

    board = Board.open(db_url, actor="duty", config=Config(timezone="Asia/Shanghai"))
    try:
        report = admin.check(board)
        assert report.ok, [p.message for p in report.problems]
        assert report.tickets == Ticket.select().count() and report.tickets >= 20
        assert Event.select().count() > report.tickets  # more than just the openings
        assert Event.select().where(Event.kind == "acknowledged").count() > 0
        assert Escalation.select().count() > 0
        kinds = {e.kind for e in Event.select(Event.kind).distinct()}
        assert {"opened", "acknowledged", "note"} <= kinds
    finally:
        board.close()
    # Most kills landed while an operation was under way, not between operations.
    print(f"{mid_operation} of {ROUNDS} kills mid-operation; {report.tickets} tickets, {report.events} events, {report.escalations} escalations")
    assert mid_operation >= ROUNDS // 2, mid_operation
