"""The core's figures: queue computation for 10,000 open tickets and `ticket show` wall time.

Run: python benchmarks/bench_core.py [--tickets 10000] [--runs 10]
Targets: queue under 100 ms; `dutyboard ticket show N --json` under 120 ms.
Deadline computations per second are printed by benchmarks/bench_calendar.py.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.1f} ms, best {min(samples) * 1000:.1f} ms"


def bench_queue(n: int, runs: int) -> None:
    from dutyboard.domain import ticket as rules
    from dutyboard.domain.calendar import BusinessCalendar, TwentyFourSeven
    from dutyboard.domain.queue import order_queue

    zone = ZoneInfo("Asia/Shanghai")
    cals = rules.Calendars(TwentyFourSeven(), BusinessCalendar(zone))
    rng = random.Random(1)
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    rows = []
    started = time.perf_counter()
    for i in range(n):
        reported = now - timedelta(minutes=rng.randint(1, 3000))
        service = "hardware" if rng.random() < 0.7 else "development"
        state = rules.replay([rules.open_ticket(rng.randint(1, 4), service, "phone", reported)], cals)
        if rng.random() < 0.5:
            state = rules.apply(state, rules.acknowledge(state, reported + timedelta(minutes=5)), cals)
        rows.append((i + 1, state.level, state.status, f"t{i}", state.clocks))
    build = time.perf_counter() - started
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        entries = order_queue(rows, now)
        samples.append(time.perf_counter() - t0)
    assert len(entries) == n
    print(f"queue of {n} open tickets (all clocks, ordered): {_ms(samples)}  [target < 100 ms]")
    print(f"  (building {n} ticket states through the rules took {build:.2f} s)")


def bench_queue_from_db(n: int, runs: int) -> None:
    """The same, read from a SQLite board (what the dashboard and `dutyboard queue` do)."""
    from dutyboard.domain.policy import CLOCKS
    from dutyboard.service import tickets
    from dutyboard.service.board import Board
    from dutyboard.store.db import database
    from dutyboard.store.models import Ticket

    folder = tempfile.mkdtemp(prefix="dutyboard-bench-")
    board = Board.open(os.path.join(folder, "bench.db"), actor="bench")
    tid = tickets.open_ticket(board, level=2, title="template")
    template = {f.name: getattr(Ticket.get_by_id(tid), f.name) for f in Ticket._meta.sorted_fields}
    template.pop("id")
    rng = random.Random(2)
    now = board.now()
    batch = []
    for i in range(n - 1):
        row = dict(template)
        shift = timedelta(minutes=rng.randint(0, 3000))
        for c in CLOCKS:
            for part in ("start", "due", "warn"):
                if row[f"{c}_{part}"] is not None:
                    row[f"{c}_{part}"] = row[f"{c}_{part}"] - shift
        row["level"] = rng.randint(1, 4)
        row["title"] = f"ticket {i}"
        batch.append(row)
    with database.atomic():
        for k in range(0, len(batch), 500):
            Ticket.insert_many(batch[k : k + 500]).execute()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        items = tickets.queue(board, now)
        samples.append(time.perf_counter() - t0)
    assert len(items) == n
    print(f"queue of {n} open tickets read from SQLite and ordered: {_ms(samples)}")
    board.close()


def bench_show(runs: int) -> None:
    folder = tempfile.mkdtemp(prefix="dutyboard-bench-")
    env = {**os.environ, "DUTYBOARD_DB": os.path.join(folder, "show.db")}
    # An installed package has its bytecode compiled by pip; let a source checkout cache it too.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "dutyboard", "demo"], env=env, check=True, capture_output=True
    )
    samples = []
    for _ in range(runs + 1):  # the first run writes the bytecode and the catalogue caches
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "dutyboard", "ticket", "show", "12", "--json"],
            env=env, check=True, capture_output=True,
        )
        samples.append(time.perf_counter() - t0)
    samples = samples[1:]
    t0 = time.perf_counter()
    for _ in range(runs):
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = (time.perf_counter() - t0) / runs
    print(f"`dutyboard ticket show 12 --json` wall time: {_ms(samples)}  [target < 120 ms]")
    print(f"  (bare python start here: {bare * 1000:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    bench_queue(args.tickets, args.runs)
    bench_queue_from_db(args.tickets, max(3, args.runs // 3))
    bench_show(args.runs)


if __name__ == "__main__":
    main()
