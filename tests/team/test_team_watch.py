"""A change committed by any process wakes every other session's ChangeWatcher.

A watcher's wait returns True only when woken by a change (False when its timeout runs out),
so the tests give it a generous timeout and check that it was woken, and by what. How soon
it wakes is a figure of the machine: benchmarks/bench_team.py prints it (target: 1 s).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from team_support import env_for, read_line, spawn

from dutyboard.config import Config
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.store import db as store
from dutyboard.store.models import Event
from dutyboard.store.watch import ChangeWatcher

#: Opens a ticket when told to, then says it has committed.
WRITE_ONE = r"""
import sys
from dutyboard.service.board import Board
from dutyboard.service import tickets
board = Board.open(None, actor="lina")
print("ready", flush=True)
sys.stdin.readline()
tickets.open_ticket(board, level=2, title="from another session")
print("committed", flush=True)
board.close()
"""

#: Longer than any wake-up takes on a loaded machine; a wait that runs out fails the test.
PATIENCE = 60.0


@pytest.fixture()
def board(db_url: str) -> Iterator[Board]:
    opened = Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    yield opened
    opened.close()


def test_a_quiet_board_lets_the_watcher_sleep_to_its_timeout(board: Board, db_url: str) -> None:
    with ChangeWatcher(db_url) as watcher:
        started = time.monotonic()
        assert watcher.wait(0.4) is False
        assert time.monotonic() - started >= 0.35


def test_another_process_commit_wakes_the_watcher(board: Board, db_url: str) -> None:
    writer = spawn(WRITE_ONE, env=env_for(db_url), stdin=subprocess.PIPE)
    try:
        assert read_line(writer) == "ready"
        with ChangeWatcher(db_url) as watcher:
            assert watcher.wait(0.2) is False
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
            assert watcher.wait(PATIENCE) is True
            assert read_line(writer) == "committed"
            newest = Event.select().order_by(Event.id.desc()).first()
            assert watcher.marker() == newest.id and newest.by == "lina"
            assert watcher.wait(0.3) is False  # woken once per change, not again
    finally:
        writer.wait(timeout=30)
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""


def test_a_change_made_before_waiting_is_reported(
    board: Board, db_url: str, db_backend: str
) -> None:
    with ChangeWatcher(db_url) as watcher:
        tickets.open_ticket(board, level=3, title="this process, another connection")
        if db_backend == "sqlite":
            assert watcher.wait(0.0) is True  # seen before any sleep: at once
        else:  # the server's notification comes over the socket after the commit
            assert watcher.wait(PATIENCE) is True
        assert watcher.wait(0.3) is False  # once


@pytest.mark.postgres
def test_a_rolled_back_write_does_not_wake_anyone(postgres_url: str) -> None:
    board = Board.open(postgres_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    try:
        with ChangeWatcher(postgres_url) as watcher:
            def fails() -> None:
                Event.create(ticket=None, at=board.now(), recorded_at=board.now(), by="x", kind="note")
                raise LookupError("undone")

            with pytest.raises(LookupError):
                store.run_write(fails)
            assert watcher.wait(0.5) is False
            tickets.open_ticket(board, level=3, title="committed")
            assert watcher.wait(5.0) is True
    finally:
        board.close()


@pytest.mark.postgres
@pytest.mark.parametrize("db_backend", ["postgres"])
def test_boards_in_other_schemas_do_not_wake_the_watcher(
    postgres_url: str, make_db_url: Callable[[str], str]
) -> None:
    other = make_db_url("other")
    board = Board.open(postgres_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    board.close()
    with ChangeWatcher(postgres_url) as watcher:
        neighbour = Board.open(other, actor="lina", config=Config(timezone="Asia/Shanghai"))
        try:
            tickets.open_ticket(neighbour, level=2, title="next door")
        finally:
            neighbour.close()
        assert watcher.wait(0.5) is False


def test_watching_a_missing_file_is_a_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nobody.db"
    with pytest.raises(store.StoreUnavailable) as caught:
        ChangeWatcher(str(missing))
    assert "no such file" in caught.value.message
    assert not missing.exists()
