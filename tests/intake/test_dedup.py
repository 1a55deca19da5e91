"""`ticket open --dedup-key`: an alert that comes again repeats its open ticket, exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dutyboard.service import admin, tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.store.models import Event, Ticket

T0 = "2026-11-25T10:00:00+08:00"


def _open(board: Board, key: str | None, at: str = T0, level: int = 2) -> tickets.Intake:
    return tickets.open_or_repeat(
        board, level=level, title="core switch down", channel="monitoring", dedup_key=key,
        at=board.at(at),
    )


def test_a_repeat_adds_a_counted_event_to_the_open_ticket(board: Board) -> None:
    first = _open(board, "fp-1")
    second = _open(board, "fp-1", "2026-11-25T10:05:00+08:00")
    third = _open(board, "fp-1", "2026-11-25T10:10:00+08:00")
    assert (first.deduplicated, second.deduplicated, third.deduplicated) == (False, True, True)
    assert first.id == second.id == third.id
    assert (first.count, second.count, third.count) == (1, 2, 3)
    assert Ticket.select().count() == 1
    repeated = [e.details_dict for e in Event.select().where(Event.kind == "repeated").order_by(Event.id)]
    assert repeated == [{"count": 2}, {"count": 3}]
    view = tickets.view(board, first.id, board.at("2026-11-25T10:11:00+08:00"))
    assert view.repeats == 2
    assert view.last_repeat_at == board.at("2026-11-25T10:10:00+08:00")
    assert view.to_json(board.zone)["dedup_key"] == "fp-1"


def test_a_repeat_changes_no_clock_nor_the_version(board: Board) -> None:
    first = _open(board, "fp-2")
    before = tickets.view(board, first.id, board.at("2026-11-25T11:00:00+08:00"))
    for minute in range(1, 6):
        _open(board, "fp-2", f"2026-11-25T10:{minute:02d}:00+08:00", level=1)
    after = tickets.view(board, first.id, board.at("2026-11-25T11:00:00+08:00"))
    assert after.clocks == before.clocks
    assert (after.level, after.version) == (before.level, before.version)
    assert tickets.replay_ticket(board, first.id) == tickets.replay_ticket(board, first.id)
    report = admin.check(board)
    assert report.ok, report.problems


def test_check_finds_a_repeat_count_that_does_not_match_the_audit_trail(board: Board) -> None:
    first = _open(board, "fp-3")
    _open(board, "fp-3", "2026-11-25T10:01:00+08:00")
    Ticket.update(repeats=5).where(Ticket.id == first.id).execute()
    report = admin.check(board)
    assert [p.kind for p in report.problems] == ["mismatch"]
    assert "repeats" in report.problems[0].message


def test_a_closed_ticket_lets_the_key_open_a_new_one(board: Board) -> None:
    first = _open(board, "fp-4", level=4)
    tickets.acknowledge(board, first.id, board.at("2026-11-25T10:01:00+08:00"))
    tickets.restore(board, first.id, board.at("2026-11-25T10:02:00+08:00"))
    restored_repeat = _open(board, "fp-4", "2026-11-25T10:03:00+08:00")
    assert restored_repeat.id == first.id and restored_repeat.deduplicated
    tickets.close(board, first.id, board.at("2026-11-25T10:04:00+08:00"))
    again = _open(board, "fp-4", "2026-11-25T10:05:00+08:00")
    assert again.id != first.id and not again.deduplicated and again.count == 1
    assert _open(board, "fp-4", "2026-11-25T10:06:00+08:00").id == again.id
    assert admin.check(board).ok


def test_tickets_without_a_key_never_repeat(board: Board) -> None:
    assert _open(board, None).id != _open(board, None).id


@pytest.mark.parametrize("key", ["", "   ", "k" * 201])
def test_a_blank_or_overlong_key_is_refused(board: Board, key: str) -> None:
    with pytest.raises(BadInput):
        _open(board, key)
    assert Ticket.select().count() == 0


def test_a_repeat_dated_before_the_ticket_was_reported_is_refused(board: Board) -> None:
    first = _open(board, "fp-5")
    with pytest.raises(BadInput):
        _open(board, "fp-5", "2026-11-25T09:00:00+08:00")
    assert tickets.view(board, first.id).repeats == 0


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dutyboard", *args], env=env, capture_output=True, text=True,
        timeout=120,
    )


def test_the_command_line_prints_the_ticket_with_deduplicated(db_env: dict[str, str]) -> None:
    args = ("ticket", "open", "--level", "2", "--title", "disk full", "--channel", "monitoring",
            "--dedup-key", "zabbix:4711", "--json")
    first = _cli(db_env, *args)
    assert first.returncode == 0, first.stderr
    second = _cli(db_env, *args)
    assert second.returncode == 0, second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["deduplicated"] is False and two["deduplicated"] is True
    assert one["id"] == two["id"] and two["repeats"] == 1
    assert two["events"][-1]["kind"] == "repeated" and two["events"][-1]["count"] == 2
    blank = _cli(db_env, *args[:-3], "--dedup-key", " ")
    assert blank.returncode == 2 and "Traceback" not in blank.stderr
    shown = _cli(db_env, "ticket", "show", str(one["id"]))
    assert "came 2 times from monitoring (key zabbix:4711)" in shown.stdout
    checked = _cli(db_env, "check", "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"]


RACER = r"""
import os, sys, time
from dutyboard.service.board import Board
from dutyboard.service import tickets
go, n = sys.argv[1], int(sys.argv[2])
board = Board.open(None, actor=sys.argv[3])
open(go + "." + sys.argv[3], "w").close()  # ready
deadline = time.monotonic() + 60
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.002)
for i in range(n):
    r = tickets.open_or_repeat(board, level=2, title="racing alert", dedup_key=f"race-{i}",
                               channel="monitoring")
    print(i, r.id, r.count, r.deduplicated, flush=True)
board.close()
"""
RACERS, KEYS = 3, 25


@pytest.mark.slow
def test_racing_processes_open_one_ticket_per_key_and_count_every_occurrence(
    db_url: str, tmp_path: Path
) -> None:
    """Each key is contested by every process at about the same moment: one ticket each."""
    go = tmp_path / "go"
    env = {**os.environ, "DUTYBOARD_DB": db_url, "DUTYBOARD_TIMEZONE": "Asia/Shanghai"}
    Board.open(db_url).close()  # migrated before the race, so only the intakes compete
    procs = [
        subprocess.Popen([sys.executable, "-c", RACER, str(go), str(KEYS), f"r{k}"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for k in range(RACERS)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.*"))) < RACERS and time.monotonic() < deadline:
        time.sleep(0.01)  # every racer has opened the board: start them together
    go.touch()
    by_key: dict[str, list[list[str]]] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            key, *rest = line.split()
            by_key.setdefault(key, []).append(rest)
    assert len(by_key) == KEYS
    for results in by_key.values():
        assert len({r[0] for r in results}) == 1
        assert sorted(int(r[1]) for r in results) == list(range(1, RACERS + 1))
        assert [r[2] for r in results].count("False") == 1
    board = Board.open(db_url)
    try:
        assert Ticket.select().count() == KEYS
        assert {t.repeats for t in Ticket.select()} == {RACERS - 1}
        assert admin.check(board).ok
    finally:
        board.close()
