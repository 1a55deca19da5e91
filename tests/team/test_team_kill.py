"""Writers killed with SIGKILL in the middle of their work leave a board that checks out.

Three processes keep doing what a shift does (open, acknowledge, dispatch, arrive, restore,
report, notes, re-classification, sweeps); every round one of them is killed at a random
moment of its work and a fresh one takes its place, until the board holds a shift's work. Afterwards `check` must find every ticket row equal
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
#: The shift's worth of work the board must hold before the last writers are killed.
TICKETS = 20
#: Generous bound on any wait for the writers (a loaded machine is slow, never this slow).
PATIENCE = 120.0


def _start(url: str, folder: Path, n: int) -> tuple[subprocess.Popen[bytes], Path]:
    progress = folder / f"writer{n}.progress"
    errors = (folder / f"writer{n}.err").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", SHIFT_WRITER, str(progress), str(n)], env=env_for(url),
        stdout=subprocess.DEVNULL, stderr=errors,
    )
    errors.close()
    return proc, progress


def _marks(progress: Path) -> int:
    """How many marks the writer has made: a "B" before and an "E" after every operation."""
    return progress.stat().st_size if progress.exists() else 0


def _wait_for_a_start(running: dict[int, tuple[subprocess.Popen[bytes], Path]]) -> None:
    """Until one of the writers has begun its work (a fresh one takes a while to start)."""
    deadline = time.monotonic() + PATIENCE
    while not any(_marks(progress) for _proc, progress in running.values()):
        assert time.monotonic() < deadline, f"no writer got going in {PATIENCE:.0f} s"
        time.sleep(0.005)


def _wait_for_marks(proc: subprocess.Popen[bytes], progress: Path, target: int) -> None:
    """Until the writer has made `target` marks (or ended, which _kill then reports)."""
    deadline = time.monotonic() + PATIENCE
    while _marks(progress) < target and proc.poll() is None:
        assert time.monotonic() < deadline, f"waited {PATIENCE:.0f} s for {target} marks"
        time.sleep(0.005)


def _kill(proc: subprocess.Popen[bytes], folder: Path, n: int) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    err = (folder / f"writer{n}.err").read_text(errors="replace")
    assert proc.returncode == -signal.SIGKILL, f"writer {n} ended by itself: {err}"


def _shift_done() -> bool:
    """The board holds a shift's work: enough tickets, acknowledged, noted and escalated."""
    kinds = {e.kind for e in Event.select(Event.kind).distinct()}
    return (
        Ticket.select().count() >= TICKETS
        and {"opened", "acknowledged", "note"} <= kinds
        and Escalation.select().exists()
    )


@pytest.mark.slow
def test_writers_killed_mid_write_leave_the_board_consistent(db_url: str, tmp_path: Path) -> None:
    """Each victim is killed after a random number of its own marks, so the moment of every kill
    is random within its work whatever the machine's speed; the writers go on (and are killed)
    until the board holds a shift's work and ROUNDS kills are done."""
    watcher = Board.open(db_url, actor="duty", config=Config(timezone="Asia/Shanghai"))
    rng = random.Random(20261127)
    running: dict[int, tuple[subprocess.Popen[bytes], Path]] = {}
    made = kills = mid_operation = 0
    for _ in range(WRITERS):
        running[made] = _start(db_url, tmp_path, made)
        made += 1
    try:
        while kills < ROUNDS or not _shift_done():
            _wait_for_a_start(running)
            started = [n for n, (_p, progress) in sorted(running.items()) if _marks(progress)]
            victim = rng.choice(started)
            proc, progress = running.pop(victim)
            target = _marks(progress) + rng.randint(1, 24)
            _wait_for_marks(proc, progress, target)
            _kill(proc, tmp_path, victim)
            kills += 1
            if progress.read_bytes().endswith(b"B"):
                mid_operation += 1
            running[made] = _start(db_url, tmp_path, made)
            made += 1
    finally:
        watcher.close()
        for n, (proc, _progress) in list(running.items()):
            _kill(proc, tmp_path, n)

    board = Board.open(db_url, actor="duty", config=Config(timezone="Asia/Shanghai"))
    try:
        report = admin.check(board)
        assert report.ok, [p.message for p in report.problems]
        assert report.tickets == Ticket.select().count() and report.tickets >= TICKETS
        assert Event.select().count() > report.tickets  # more than just the openings
        assert Event.select().where(Event.kind == "acknowledged").count() > 0
        assert Escalation.select().count() > 0
        kinds = {e.kind for e in Event.select(Event.kind).distinct()}
        assert {"opened", "acknowledged", "note"} <= kinds
    finally:
        board.close()
    # Most kills landed while an operation was under way, not between operations.
    print(f"{mid_operation} of {kills} kills mid-operation; {report.tickets} tickets, {report.events} events, {report.escalations} escalations")
    assert mid_operation >= kills // 2, (mid_operation, kills)
