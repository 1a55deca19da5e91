"""What the dashboard costs on a slow link: bytes per second, CPU share, memory, first-screen time.

Runs the real `dutyboard` dashboard under a pseudo-terminal, reads everything it writes, and
prints figures:

- steady state on the demo database at 120×40: bytes per second written to the terminal and
  the process's share of one core over `--duration` seconds after `--warmup` seconds, and its
  peak resident memory;
- first screen: seconds from starting the process until the first queue row is drawn, on a
  database holding `--open` open and `--closed` closed tickets (rows copied from two real
  tickets with bulk inserts, since this is about reading).

Targets: <= 1.5 KB/s and <= 1.5 % of a core in steady state, first screen < 1 s with 10,000
open and 1,000,000 closed tickets, < 150 MB resident.

Run: python benchmarks/bench_dashboard.py [--duration 30] [--warmup 5] [--size 120x40]
                                           [--open 10000] [--closed 1000000] [--skip-big]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import sqlite3
import struct
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

INSTANT = "2026-11-25T14:00:00+08:00"
MARK = "bulk fault #"
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """What one dashboard process did under the pseudo-terminal."""

    pid: int
    fd: int
    started: float
    total: int = 0
    first_row_at: float | None = None


def spawn(db: str, size: tuple[int, int], extra_env: dict[str, str] | None = None) -> Run:
    """Start `dutyboard --db DB` on a new pseudo-terminal of the given size."""
    columns, lines = size
    env = dict(os.environ)
    env.update(
        {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "DUTYBOARD_NOW": INSTANT,
            "DUTYBOARD_USER": "zhangwei",
            "DUTYBOARD_TIMEZONE": "Asia/Shanghai",
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }
    )
    env.pop("NO_COLOR", None)
    env.update(extra_env or {})
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the dashboard, on the pty's slave side
        os.execve(sys.executable, [sys.executable, "-m", "dutyboard", "--db", db], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    return Run(pid, fd, started)


def pump(run: Run, seconds: float, mark: bytes | None = None) -> int:
    """Read what the dashboard writes for `seconds`; returns the bytes read in that time."""
    got = 0
    end = time.monotonic() + seconds
    tail = b""
    while (left := end - time.monotonic()) > 0:
        ready, _w, _x = select.select([run.fd], [], [], min(left, 0.2))
        if not ready:
            continue
        try:
            data = os.read(run.fd, 65536)
        except OSError:
            break
        if not data:
            break
        got += len(data)
        if mark is not None and run.first_row_at is None:
            if mark in tail + data:
                run.first_row_at = time.monotonic()
            tail = data[-len(mark) :]
    run.total += got
    return got


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def stop(run: Run) -> None:
    try:
        os.kill(run.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.close(run.fd)
    os.waitpid(run.pid, 0)


# ---------------------------------------------------------------- databases


def demo_database(folder: str) -> str:
    """The demo database as of INSTANT (what `dutyboard --demo` shows)."""
    os.environ["DUTYBOARD_NOW"] = INSTANT
    from dutyboard.config import Config
    from dutyboard.service.demo import make_demo
    from dutyboard.service.board import Board

    path = os.path.join(folder, "demo.db")
    board = Board.open(path, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    make_demo(board, seed=7)
    board.close()
    return path


def big_database(folder: str, open_count: int, closed_count: int) -> str:
    """A database with many tickets: two real ones made by the service, copied in bulk."""
    os.environ["DUTYBOARD_NOW"] = INSTANT
    from dutyboard.config import Config
    from dutyboard.service import tickets
    from dutyboard.service.board import Board

    path = os.path.join(folder, "big.db")
    board = Board.open(path, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    now = board.now()
    live = tickets.open_ticket(board, level=3, title=MARK + "0", at=now - timedelta(minutes=20))
    done = tickets.open_ticket(board, level=4, title="closed", at=now - timedelta(days=400))
    tickets.acknowledge(board, done, at=now - timedelta(days=400) + timedelta(minutes=5))
    tickets.restore(board, done, at=now - timedelta(days=399))
    tickets.close(board, done, at=now - timedelta(days=398))
    board.close()

    raw = sqlite3.connect(path)
    columns = [row[1] for row in raw.execute("PRAGMA table_info(ticket)")]
    id_at, title_at = columns.index("id"), columns.index("title")
    templates = {
        tid: list(raw.execute("SELECT * FROM ticket WHERE id = ?", (tid,)).fetchone())
        for tid in (live, done)
    }
    placeholders = ", ".join("?" * len(columns))
    insert = f"INSERT INTO ticket ({', '.join(columns)}) VALUES ({placeholders})"

    def copies(template: list[object], first_id: int, count: int, title: str):
        row = list(template)
        for n in range(count):
            row[id_at] = first_id + n
            row[title_at] = f"{title}{first_id + n}"
            yield tuple(row)

    with raw:
        raw.executemany(insert, copies(templates[done], 10, closed_count, "closed fault #"))
        raw.executemany(insert, copies(templates[live], 10 + closed_count, open_count - 1, MARK))
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    return path


# ---------------------------------------------------------------- the runs


def steady_state(db: str, size: tuple[int, int], warmup: float, duration: float) -> None:
    run = spawn(db, size)
    try:
        pump(run, warmup)
        cpu_before = cpu_seconds(run.pid)
        wall_before = time.monotonic()
        written = pump(run, duration)
        wall = time.monotonic() - wall_before
        cpu = cpu_seconds(run.pid) - cpu_before
        rss = peak_rss_mb(run.pid)
    finally:
        stop(run)
    print(f"steady state, demo database, {size[0]}x{size[1]}, {duration:g} s after {warmup:g} s warm-up:")
    print(f"  output     {written / wall / 1024:.2f} KB/s  ({written} bytes; target <= 1.5 KB/s)")
    print(f"  CPU        {cpu / wall * 100:.2f} % of a core  (target <= 1.5 %)")
    print(f"  peak RSS   {rss:.1f} MB  (target < 150 MB)")


def first_screen(db: str, size: tuple[int, int], label: str, limit: float = 30.0) -> None:
    run = spawn(db, size)
    try:
        end = time.monotonic() + limit
        while run.first_row_at is None and time.monotonic() < end:
            pump(run, 0.1, MARK.encode())
        pump(run, 1.0)
        rss = peak_rss_mb(run.pid)
    finally:
        stop(run)
    if run.first_row_at is None:
        print(f"first screen, {label}: no queue row within {limit:g} s")
        return
    print(f"first screen, {label}: {run.first_row_at - run.started:.2f} s  (target < 1 s); "
          f"peak RSS {rss:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds measured (default 30)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring (default 5)")
    parser.add_argument("--size", default="120x40", help="terminal size COLUMNSxLINES (default 120x40)")
    parser.add_argument("--open", type=int, default=10_000, help="open tickets for the first screen")
    parser.add_argument("--closed", type=int, default=1_000_000, help="closed tickets for the first screen")
    parser.add_argument("--skip-big", action="store_true", help="skip the first-screen run on the big database")
    parser.add_argument("--skip-steady", action="store_true", help="skip the steady-state run")
    parser.add_argument("--big-db", help="an existing big database (made by an earlier run) instead of a new one")
    args = parser.parse_args()
    columns, lines = (int(n) for n in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="dutyboard-bench-") as folder:
        if not args.skip_steady:
            demo = demo_database(folder)
            steady_state(demo, (columns, lines), args.warmup, args.duration)
        if args.big_db:
            first_screen(args.big_db, (columns, lines), f"database {args.big_db}")
        elif not args.skip_big:
            made = time.monotonic()
            big = big_database(folder, args.open, args.closed)
            print(f"(generated {args.open:,} open and {args.closed:,} closed tickets in "
                  f"{time.monotonic() - made:.1f} s)")
            first_screen(big, (columns, lines), f"{args.open:,} open, {args.closed:,} closed")


if __name__ == "__main__":
    main()
