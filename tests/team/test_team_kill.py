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
from team_support import env_for

from dutyboard.config import Config
from dutyboard.service import admin
from dutyboard.service.board import Board
from dutyboard.store.models import Escalation, Event, Ticket

ROUNDS = 20
WRITERS = 3

#: argv: progress file, seed. Writes "B" before and "E" after every operation.
WRITER = r"""
import os, random, sys
from datetime import timedelta
from dutyboard.service.board import Board
from dutyboard.service import tickets
from dutyboard.service.errors import ServiceError
progress, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
mark = os.open(progress, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
board = Board.open(None, actor=f"w{seed}")
REPORT = {"cause": "disk", "response": "phone", "process": "swap", "result": "ok", "precautions": "spares"}

def step():
    now = board.now()
    roll = rng.random()
    if roll < 0.22:
        back = timedelta(hours=rng.choice([0, 0, 30, 60]))
        tickets.open_ticket(board, level=rng.randint(1, 4), title=f"w{seed} fault", at=now - back)
        return
    if roll < 0.30:
        tickets.sweep(board)
        return
    rows = tickets.open_rows()
    if not rows:
        return
    row = rng.choice(rows)
    if roll < 0.45:
        tickets.add_note(board, row.id, "still looking", expected_version=row.version)
    elif roll < 0.52 and row.level > 1:
        tickets.set_level(board, row.id, row.level - 1, "worse than reported")
    elif row.status == "open":
        tickets.acknowledge(board, row.id)
    elif row.status == "acknowledged":
        tickets.dispatch(board, row.id, to="zhoujie")
    elif row.status == "dispatched":
        tickets.arrive(board, row.id)
    elif row.status == "on_site":
        tickets.restore(board, row.id)
    elif row.status == "restored":
        try:
            tickets.submit_report(board, row.id, REPORT)
        except ServiceError:
            tickets.close(board, row.id)
    else:
        tickets.close(board, row.id)

while True:
    os.write(mark, b"B")
    try:
        step()
    except ServiceError:
        pass
    os.write(mark, b"E")
"""


def _start(url: str, folder: Path, n: int) -> tuple[subprocess.Popen[bytes], Path]:
    progress = folder / f"writer{n}.progress"
    errors = (folder / f"writer{n}.err").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(progress), str(n)], env=env_for(url),
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
