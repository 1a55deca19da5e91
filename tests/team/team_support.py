"""Helpers for the team tests: real processes acting on one board, as engineers' SSH sessions do."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TEST_ZONE = "Asia/Shanghai"


def env_for(url: str, **extra: str) -> dict[str, str]:
    """The environment of a process that works on the board at `url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYBOARD_")}
    env.update({"DUTYBOARD_DB": url, "DUTYBOARD_TIMEZONE": TEST_ZONE, "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def spawn(script: str, *args: str, env: dict[str, str], **kwargs: Any) -> subprocess.Popen[str]:
    """Start `python -c script args…` with pipes for its output."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, **kwargs,
    )


def run_py(script: str, *args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `python -c script args…` to the end."""
    return subprocess.run(
        [sys.executable, "-c", script, *args], check=False, env=env, capture_output=True, text=True,
        timeout=timeout,
    )


def cli(args: Sequence[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the `dutyboard` command line in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "dutyboard", *args], check=False, env=env, capture_output=True,
        text=True,
        timeout=timeout,
    )


def read_line(proc: subprocess.Popen[str]) -> str:
    """The next line the process prints (it runs unbuffered); fails if it ends first."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"process ended before printing (rc={proc.wait()}): {err}")
    return line.strip()


def mode(path: str | Path) -> int:
    return os.stat(path).st_mode & 0o777


# ---------------------------------------------------------------- scripts run in other processes

#: Holds the board's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the event table, which
#: every operation appends to) for argv[2] seconds, printing "held" once it has it.
HOLD_LOCK = r"""
import sys, time, sqlite3
url, seconds = sys.argv[1], float(sys.argv[2])
if "://" not in url:
    conn = sqlite3.connect(url, isolation_level=None, timeout=10)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO site (code, name, address) VALUES ('held', 'held', '')")
    print("held", flush=True)
    time.sleep(seconds)
    conn.execute("ROLLBACK")
else:
    import psycopg2
    from playhouse import db_url
    params = db_url.parse(url)
    conn = psycopg2.connect(dbname=params.pop("database"), **params)
    cur = conn.cursor()
    cur.execute("LOCK TABLE event IN EXCLUSIVE MODE")
    print("held", flush=True)
    time.sleep(seconds)
    conn.rollback()
conn.close()
"""

#: A shift's work, forever: argv: progress file, seed. Writes "B" before and "E" after every operation.
SHIFT_WRITER = r"""
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
