"""The team's figures: stress throughput with many writers, and how fast a change reaches other sessions.

Run: python benchmarks/bench_team.py [--backend sqlite|postgres|both] [--procs 8] [--ops 200]
     [--writes 60] [--pg postgresql://postgres@127.0.0.1:5432/test]

(a) Stress: N processes each do M mixed operations (open, ack, note, restore, sweep) on one
    board; prints operations per second and checks that every operation is in the audit trail
    exactly once (events per kind and per person against what each process reports), then
    runs `check` over the result.
(b) Propagation: a ChangeWatcher in another process waits while this one commits; prints the
    median and 95th percentile from the writer's commit returning to the watcher waking.
    Target: every screen shows another session's change within 1 s.
PostgreSQL runs in a throwaway schema of the given database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"

#: One engineer's session: argv: ops, seed, go file. Prints a JSON summary at the end.
STRESS_WORKER = r"""
import json, os, random, sys, time
from datetime import timedelta
from dutyboard.service.board import Board
from dutyboard.service import tickets
from dutyboard.service.errors import ServiceError
ops, seed, go = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
who = f"eng{seed}"
board = Board.open(None, actor=who)
mine_open, mine_acked = [], []
done = {"opened": 0, "acknowledged": 0, "note": 0, "restored": 0, "sweep": 0, "escalated": 0,
        "refused": 0}
while not os.path.exists(go):
    time.sleep(0.001)
started = time.perf_counter()
for _ in range(ops):
    roll = rng.random()
    try:
        if roll < 0.15 and mine_acked:
            tickets.restore(board, mine_acked.pop(rng.randrange(len(mine_acked))))
            done["restored"] += 1
        elif roll < 0.35 and mine_open:
            tid = mine_open.pop(rng.randrange(len(mine_open)))
            tickets.acknowledge(board, tid)
            mine_acked.append(tid)
            done["acknowledged"] += 1
        elif roll < 0.60:
            rows = tickets.open_rows()
            if rows:
                tickets.add_note(board, rng.choice(rows).id, f"{who} looked")
                done["note"] += 1
            else:
                raise LookupError
        elif roll < 0.75:
            done["escalated"] += len(tickets.sweep(board))
            done["sweep"] += 1
        else:
            raise LookupError
    except LookupError:
        back = timedelta(hours=rng.choice([0, 0, 0, 40]))
        mine_open.append(tickets.open_ticket(board, level=rng.randint(1, 4), title=f"{who} fault",
                                             at=board.now() - back))
        done["opened"] += 1
    except ServiceError as error:
        done["refused"] += 1
        done.setdefault("refusals", []).append(type(error).__name__ + ": " + error.message)
done["seconds"] = time.perf_counter() - started
done["who"] = who
board.close()
print(json.dumps(done))
"""

#: Waits on a ChangeWatcher and prints "<wall time> <marker>" at every wake, until stdin closes.
WATCHER = r"""
import sys, threading, time
from dutyboard.store.watch import ChangeWatcher
watcher = ChangeWatcher(sys.argv[1])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
print("ready", flush=True)
while not stop.is_set():
    if watcher.wait(0.5):
        woke = time.time()
        print(f"{woke} {watcher.marker()}", flush=True)
watcher.close()
"""


# ---------------------------------------------------------------- databases


def _pg_admin(server: str) -> Any:
    import psycopg2
    from playhouse import db_url

    params = db_url.parse(server)
    conn = psycopg2.connect(dbname=params.pop("database"), **params)
    conn.autocommit = True
    return conn


class Target:
    """A fresh board on one backend, removed afterwards."""

    def __init__(self, backend: str, pg_server: str, folder: Path) -> None:
        self.backend = backend
        self.pg_server = pg_server
        if backend == "sqlite":
            self.url = str(folder / "bench.db")
            self.schema = None
        else:
            self.schema = f"dutyboard_bench_{os.getpid()}"
            with _pg_admin(pg_server).cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
                cursor.execute(f'CREATE SCHEMA "{self.schema}"')
            sep = "&" if "?" in pg_server else "?"
            self.url = f"{pg_server}{sep}options={quote('-csearch_path=' + self.schema, safe='')}"
        from dutyboard.config import Config
        from dutyboard.service.board import Board

        Board.open(self.url, actor="bench", config=Config(timezone="Asia/Shanghai")).close()

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYBOARD_")}
        env.update({"DUTYBOARD_DB": self.url, "DUTYBOARD_TIMEZONE": "Asia/Shanghai"})
        return env

    def drop(self) -> None:
        if self.schema:
            with _pg_admin(self.pg_server).cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


# ---------------------------------------------------------------- (a) stress


def bench_stress(target: Target, procs: int, ops: int, folder: Path) -> None:
    from dutyboard.config import Config
    from dutyboard.service import admin
    from dutyboard.service.board import Board
    from dutyboard.store.models import Event

    go = folder / f"go-{target.backend}"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", STRESS_WORKER, str(ops), str(n), str(go)],
            env=target.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(procs)
    ]
    time.sleep(1.0 + 0.2 * procs)  # let every process import and open the board first
    started = time.perf_counter()
    go.write_text("go")
    reports = []
    for proc in workers:
        out, err = proc.communicate(timeout=900)
        if proc.returncode != 0:
            raise SystemExit(f"a worker failed:\n{err}")
        reports.append(json.loads(out))
    wall = time.perf_counter() - started

    total = sum(ops for _ in reports)
    print(f"[{target.backend}] stress: {procs} processes × {ops} operations = {total} in {wall:.1f} s: "
          f"{total / wall:.0f} operations/s overall "
          f"(slowest process {max(r['seconds'] for r in reports):.1f} s)")
    mix = Counter()
    for r in reports:
        mix.update({k: r[k] for k in ("opened", "acknowledged", "note", "restored", "sweep", "refused")})
    print(f"  mix: {dict(mix)}; escalations made by sweeps: {sum(r['escalated'] for r in reports)}")
    refusals = Counter(text.split(":")[0] for r in reports for text in r.get("refusals", []))
    if refusals:
        sample = next(text for r in reports for text in r.get("refusals", []))
        print(f"  refused: {dict(refusals)}, e.g. {sample!r}")

    board = Board.open(target.url, actor="bench", config=Config(timezone="Asia/Shanghai"))
    try:
        trail = Counter((e.by, e.kind) for e in Event.select(Event.by, Event.kind))
        wrong = []
        for r in reports:
            for kind in ("opened", "acknowledged", "note", "restored", "escalated"):
                if trail[(r["who"], kind)] != r[kind]:
                    wrong.append(f"{r['who']} {kind}: did {r[kind]}, trail has {trail[(r['who'], kind)]}")
        extra = {k: n for k, n in trail.items() if k[0] not in {r["who"] for r in reports}}
        if wrong or extra:
            print("  AUDIT TRAIL MISMATCH: " + "; ".join(wrong) + (f" extra {extra}" if extra else ""))
        else:
            print("  audit trail: every operation recorded exactly once "
                  f"({sum(trail.values())} events, per person and kind)")
        report = admin.check(board)
        print(f"  check: {'ok' if report.ok else 'PROBLEMS: ' + str(len(report.problems))} "
              f"({report.tickets} tickets, {report.events} events, {report.escalations} escalations)")
    finally:
        board.close()


# ---------------------------------------------------------------- (b) propagation


def bench_propagation(target: Target, writes: int) -> None:
    import random

    from dutyboard.config import Config
    from dutyboard.service import tickets
    from dutyboard.service.board import Board
    from dutyboard.store.db import change_marker

    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER, target.url], env=target.env(), stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert watcher.stdout is not None and watcher.stdin is not None
    if watcher.stdout.readline().strip() != "ready":
        raise SystemExit(f"the watcher did not start: {watcher.stderr.read() if watcher.stderr else ''}")
    board = Board.open(target.url, actor="writer", config=Config(timezone="Asia/Shanghai"))
    rng = random.Random(5)
    commits: list[tuple[float, float, int]] = []
    try:
        tid = tickets.open_ticket(board, level=3, title="propagation")
        time.sleep(0.5)
        for i in range(writes):
            time.sleep(rng.uniform(0.05, 0.3))
            called = time.time()
            tickets.add_note(board, tid, f"note {i}")
            commits.append((called, time.time(), change_marker()))
        time.sleep(1.0)
    except BaseException:
        watcher.kill()
        raise
    finally:
        board.close()
    out, _err = watcher.communicate(input="", timeout=30)  # closing stdin stops it
    wakes = [(float(t), int(m)) for t, m in (line.split() for line in out.split("\n") if line.strip())]
    from_call, from_return = [], []
    for called, returned, marker in commits:
        seen = [woke for woke, seen_marker in wakes if seen_marker >= marker and woke >= called]
        if seen:
            from_call.append(min(seen) - called)
            from_return.append(min(seen) - returned)
    missed = len(commits) - len(from_call)

    def figures(samples: list[float]) -> str:
        samples = sorted(samples)
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        return (f"median {statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
                f"max {samples[-1] * 1000:.1f} ms")

    print(f"[{target.backend}] propagation over {len(from_call)} commits"
          f"{f' ({missed} never seen)' if missed else ''}  [target < 1000 ms]")
    print(f"  from the writer's commit returning to the watcher waking: {figures(from_return)}")
    print(f"  from the writer's call (includes the write itself):       {figures(from_call)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--procs", type=int, default=8)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--writes", type=int, default=60)
    parser.add_argument("--pg", default=os.environ.get("DUTYBOARD_TEST_PG") or PG_DEFAULT)
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    with tempfile.TemporaryDirectory(prefix="dutyboard-bench-") as folder:
        for backend in backends:
            for part in ("stress", "propagation"):
                target = Target(backend, args.pg, Path(folder) / f"{backend}-{part}")
                try:
                    if part == "stress":
                        bench_stress(target, args.procs, args.ops, Path(folder))
                    else:
                        bench_propagation(target, args.writes)
                finally:
                    target.drop()


if __name__ == "__main__":
    main()
