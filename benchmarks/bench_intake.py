"""Intake figures: POST /v1/alertmanager with repeats, and how fast the browser board updates.

Run: python benchmarks/bench_intake.py [--backend sqlite|postgres] [--posts 3000] [--alerts 20]
     [--clients 16] [--updates 20] [--pg postgresql://postgres@127.0.0.1:5432/test]

The board serves HTTP from a process of its own (as `dutyboard serve --http` does); the load
generator runs beside it on the same machine, `--clients` connections posting one alert each
time, round-robin over `--alerts` fingerprints.
(a) Throughput: requests per second; then every repeat is checked to be counted exactly once
    (one ticket per fingerprint, repeats = posts - fingerprints, each ticket's `repeated`
    counts 2..n without a gap) and `check` runs over the board. Goal: 300/s.
(b) Page update latency: a page's event stream is open while a ticket is opened through the
    API; the time from sending the POST to the snapshot holding the new ticket. Goal: < 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import operator
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"

#: The board's HTTP process: argv db; prints {"url", "engineer", "viewer"} once it answers.
SERVER = r"""
import json, os, sys
from dutyboard.service.board import Board
from dutyboard.service import tokens
from dutyboard.web.server import HttpServer
board = Board.open(sys.argv[1], actor="bench")
_i, engineer = tokens.add_token(board, "bench-am", "engineer")
_i, viewer = tokens.add_token(board, "bench-tv", "viewer")
server = HttpServer(board, "127.0.0.1:0")
server.start()
print(json.dumps({"url": server.url, "engineer": engineer, "viewer": viewer}), flush=True)
sys.stdin.read()
server.stop()
board.close()
"""


def payload(fingerprint: str) -> dict[str, Any]:
    return {
        "version": "4", "status": "firing", "receiver": "dutyboard", "groupKey": "{}:{}",
        "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {}, "externalURL": "",
        "truncatedAlerts": 0,
        "alerts": [{
            "status": "firing", "fingerprint": fingerprint,
            "labels": {"alertname": "DiskFull", "severity": "warning", "instance": fingerprint},
            "annotations": {"summary": f"Disk full on {fingerprint}"},
            "startsAt": "2026-11-25T02:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "",
        }],
    }


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes,
                body: bytes) -> int:
    """One POST on a kept-alive connection; its status (the body is read and dropped)."""
    writer.write(head + str(len(body)).encode() + b"\r\n\r\n" + body)
    await writer.drain()
    headers = await reader.readuntil(b"\r\n\r\n")
    status = int(headers.split(b" ", 2)[1])
    length = 0
    for line in headers.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def load(
    url: str, token: str, posts: int, alerts: int, clients: int
) -> tuple[float, list[int]]:
    """Post `posts` alerts over `clients` kept-alive connections; (seconds, statuses).

    A plain HTTP/1.1 writer, so the generator beside the server takes as little of the
    machine as it can.
    """
    host, port = url.removeprefix("http://").rsplit(":", 1)
    head = (
        f"POST /v1/alertmanager HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: "
    ).encode()
    bodies = [json.dumps(payload(f"fp{n:04d}")).encode() for n in range(alerts)]
    counter = iter(range(posts))
    statuses: list[int] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for n in counter:
                statuses.append(await _post(reader, writer, head, bodies[n % alerts]))
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, statuses


def verify(db: str, posts: int, alerts: int) -> dict[str, Any]:
    """Every repeat counted exactly once, and the board's own check."""
    from dutyboard.service import admin
    from dutyboard.service.board import Board
    from dutyboard.store.models import Event, Ticket

    board = Board.open(db, actor="bench")
    try:
        rows = list(Ticket.select().where(Ticket.dedup_key.is_null(False)))
        counts: dict[int, list[int]] = {}
        for event in Event.select().where(Event.kind == "repeated").order_by(Event.id):
            counts.setdefault(event.ticket_id, []).append(event.details_dict["count"])
        gapless = all(c == list(range(2, len(c) + 2)) for c in counts.values())
        return {
            "tickets": len(rows),
            "repeats": sum(r.repeats for r in rows),
            "repeat_events": sum(len(c) for c in counts.values()),
            "expected_repeats": posts - alerts,
            "counts_gapless": gapless,
            "exactly_once": len(rows) == alerts and sum(r.repeats for r in rows) == posts - alerts
            and gapless,
            "check_ok": admin.check(board).ok,
        }
    finally:
        board.close()


def update_latency(url: str, engineer: str, viewer: str, updates: int) -> list[float]:
    """Seconds from sending a POST to the page's stream carrying the ticket it opened."""
    arrived: dict[int, float] = {}
    ready = threading.Event()
    seen = threading.Condition()

    def listen() -> None:
        with contextlib.suppress(httpx.HTTPError), httpx.Client(base_url=url, timeout=None) as http:
            http.cookies.set("dutyboard_token", viewer)
            with http.stream("GET", "/board/events") as stream:
                for line in stream.iter_lines():
                    if not line.startswith("data:") or line == "data: {}":
                        continue
                    ready.set()
                    ids = {t["id"] for t in json.loads(line[5:])["tickets"]}
                    with seen:
                        for ticket in ids - set(arrived):
                            arrived[ticket] = time.perf_counter()
                        seen.notify_all()
                    if len(arrived) >= updates + 1000:
                        return

    threading.Thread(target=listen, daemon=True).start()
    ready.wait(30)
    latencies = []
    auth = {"Authorization": f"Bearer {engineer}"}
    with httpx.Client(base_url=url, headers=auth, timeout=30) as http:
        for n in range(updates):
            posted = time.perf_counter()  # the page may hear of it before the answer returns
            made = http.post("/v1/tickets", json={"level": 2, "title": f"update {n}"})
            ticket = made.json()["id"]
            with seen:
                seen.wait_for(functools.partial(operator.contains, arrived, ticket), timeout=30)
            latencies.append(arrived.get(ticket, float("inf")) - posted)
            time.sleep(0.2)  # let the page settle between changes, as a person's steps would
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--alerts", type=int, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--pg", default=PG_DEFAULT)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dutyboard-bench-intake-"))
    schema = None
    if args.backend == "sqlite":
        db = str(work / "board.db")
    else:
        import psycopg2

        schema = f"bench_intake_{os.getpid()}"
        with psycopg2.connect(args.pg) as conn, conn.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
        db = f"{args.pg}?options={quote('-csearch_path=' + schema, safe='')}"
    env = {**os.environ, "DUTYBOARD_TIMEZONE": "Asia/Shanghai", "XDG_CONFIG_HOME": str(work),
           "DUTYBOARD_HTTP": "{rate_per_minute = 1000000, burst = 100000}"}
    server = subprocess.Popen([sys.executable, "-c", SERVER, db], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        started = json.loads(server.stdout.readline())
        seconds, statuses = asyncio.run(
            load(started["url"], started["engineer"], args.posts, args.alerts, args.clients)
        )
        latencies = update_latency(started["url"], started["engineer"], started["viewer"],
                                   args.updates)
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(30)
    checked = verify(db, args.posts, args.alerts)
    if schema is not None:
        import psycopg2

        with psycopg2.connect(args.pg) as conn, conn.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
    latencies.sort()
    print(json.dumps({
        "backend": args.backend,
        "posts": args.posts, "fingerprints": args.alerts, "clients": args.clients,
        "seconds": round(seconds, 2),
        "requests_per_second": round(args.posts / seconds, 1),
        "goal_requests_per_second": 300,
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        **checked,
        "update_latency_s": {
            "median": round(statistics.median(latencies), 3),
            "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
            "max": round(latencies[-1], 3),
            "goal": 1.0,
        },
    }, indent=2))
    return 0 if checked["exactly_once"] and checked["check_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
