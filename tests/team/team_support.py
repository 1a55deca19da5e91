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
