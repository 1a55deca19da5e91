"""Two engineers in their own sessions act on one ticket: the second is refused, naming the first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from team_support import env_for, read_line, run_py, spawn

from dutyboard.config import Config
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.store.models import Event, Ticket

#: argv: ticket id, expected version, action ("note" or "ack"); exit 3 with the message on Conflict.
ACT = r"""
import sys
from dutyboard.service.board import Board
from dutyboard.service import tickets
from dutyboard.service.errors import Conflict
ticket, version, action = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
board = Board.open(None)
try:
    if action == "note":
        tickets.add_note(board, ticket, "checked the array", expected_version=version)
    else:
        tickets.acknowledge(board, ticket, expected_version=version)
except Conflict as error:
    print(error.message)
    sys.exit(3)
finally:
    board.close()
print("done")
"""

#: Reads the ticket's version, says "ready", waits for the go file, then acknowledges with it.
RACER = r"""
import os, sys, time
from dutyboard.service.board import Board
from dutyboard.service import tickets
from dutyboard.service.errors import BadInput, Conflict
ticket, go = int(sys.argv[1]), sys.argv[2]
board = Board.open(None)
version = tickets.view(board, ticket).version
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
try:
    tickets.acknowledge(board, ticket, expected_version=version)
    print("won", flush=True)
except Conflict as error:
    print("lost " + error.message, flush=True)
except BadInput as error:
    print("refused " + error.message, flush=True)
finally:
    board.close()
"""


@pytest.fixture()
def ticket(db_url: str) -> Iterator[int]:
    board = Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    try:
        yield tickets.open_ticket(board, level=2, title="Storage array degraded")
    finally:
        board.close()


def _state(db_url: str, ticket_id: int) -> tuple[int, list[tuple[str, str]]]:
    board = Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    try:
        row = Ticket.get_by_id(ticket_id)
        events = [(e.kind, e.by) for e in Event.select().where(Event.ticket == ticket_id).order_by(Event.id)]
        return row.version, events
    finally:
        board.close()


@pytest.mark.slow
def test_a_stale_action_from_another_session_is_refused_naming_who_changed_it(
    db_url: str, ticket: int
) -> None:
    first = run_py(ACT, str(ticket), "1", "ack", env=env_for(db_url, DUTYBOARD_USER="lina"))
    assert first.returncode == 0 and first.stdout.strip() == "done", first.stderr
    second = run_py(ACT, str(ticket), "1", "note", env=env_for(db_url, DUTYBOARD_USER="zhoujie"))
    assert second.returncode == 3, second.stderr
    assert "lina" in second.stdout and f"Ticket {ticket}" in second.stdout
    assert "Traceback" not in second.stderr
    version, events = _state(db_url, ticket)
    assert version == 2  # the refused action wrote nothing
    assert events == [("opened", "zhangwei"), ("acknowledged", "lina")]


@pytest.mark.slow
def test_a_note_from_another_session_does_not_make_a_reading_stale(db_url: str, ticket: int) -> None:
    first = run_py(ACT, str(ticket), "1", "note", env=env_for(db_url, DUTYBOARD_USER="lina"))
    assert first.returncode == 0, first.stderr
    second = run_py(ACT, str(ticket), "1", "ack", env=env_for(db_url, DUTYBOARD_USER="zhoujie"))
    assert second.returncode == 0 and second.stdout.strip() == "done", second.stderr
    version, events = _state(db_url, ticket)
    assert version == 3
    assert events == [("opened", "zhangwei"), ("note", "lina"), ("acknowledged", "zhoujie")]


@pytest.mark.slow
def test_two_sessions_racing_on_one_ticket_one_wins_and_the_other_learns_who(
    db_url: str, ticket: int, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    racers = {
        who: spawn(RACER, str(ticket), str(go), env=env_for(db_url, DUTYBOARD_USER=who))
        for who in ("lina", "zhoujie")
    }
    for proc in racers.values():
        assert read_line(proc) == "ready"
    go.write_text("go")
    outcome = {}
    for who, proc in racers.items():
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0 and "Traceback" not in err, err
        outcome[who] = out.strip()
    winners = [who for who, said in outcome.items() if said == "won"]
    assert len(winners) == 1, outcome
    winner = winners[0]
    loser = next(who for who in outcome if who != winner)
    version, events = _state(db_url, ticket)
    assert version == 2
    assert events == [("opened", "zhangwei"), ("acknowledged", winner)]
    assert outcome[loser].startswith("lost "), outcome[loser]
    assert f"changed by {winner}" in outcome[loser], outcome[loser]

