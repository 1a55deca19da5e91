"""A board locked by another session: operations wait and succeed, or give up plainly within the bound."""

from __future__ import annotations

import time

import pytest
from team_support import HOLD_LOCK, cli, env_for, read_line, spawn

from dutyboard.config import Config
from dutyboard.service.board import Board
from dutyboard.store import db as store
from dutyboard.store.models import Event, Ticket


def _prepared(db_url: str) -> None:
    Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai")).close()


def _count(db_url: str) -> tuple[int, int]:
    board = Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    try:
        return Ticket.select().count(), Event.select().count()
    finally:
        board.close()


@pytest.mark.slow
def test_an_operation_waits_for_another_sessions_lock_and_then_succeeds(db_url: str) -> None:
    _prepared(db_url)
    holder = spawn(HOLD_LOCK, db_url, "2.0", env=env_for(db_url))
    try:
        assert read_line(holder) == "held"
        started = time.monotonic()
        done = cli(["ticket", "open", "--level", "2", "--title", "waited", "--json"], env_for(db_url))
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert waited > 1.0  # it really was held up, and did not give up
    assert '"title": "waited"' in done.stdout
    assert _count(db_url) == (1, 1)


@pytest.mark.slow
def test_a_lock_held_past_the_bound_is_a_plain_store_busy_and_nothing_is_written(db_url: str) -> None:
    _prepared(db_url)
    holder = spawn(HOLD_LOCK, db_url, "600", env=env_for(db_url))  # held until killed below
    try:
        assert read_line(holder) == "held"
        started = time.monotonic()
        done = cli(
            ["ticket", "open", "--level", "2", "--title", "given up"],
            env_for(db_url, DUTYBOARD_BUSY_TIMEOUT="1.0"),
        )
        gave_up_after = time.monotonic() - started
        assert holder.poll() is None  # it gave up while the lock was still held
    finally:
        holder.kill()  # the holder's session ends; its transaction is rolled back
        holder.wait(timeout=30)
    assert done.returncode == 1
    assert "busy" in done.stderr and "Nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert gave_up_after < store.WRITE_BOUND  # the bound given, not the default one
    assert _count(db_url) == (0, 0)


def test_a_bad_bound_is_refused_plainly(db_url: str) -> None:
    _prepared(db_url)
    done = cli(
        ["ticket", "open", "--level", "2", "--title", "t"],
        env_for(db_url, DUTYBOARD_BUSY_TIMEOUT="soon"),
    )
    assert done.returncode == 1
    assert "DUTYBOARD_BUSY_TIMEOUT" in done.stderr and "Traceback" not in done.stderr
    assert _count(db_url) == (0, 0)
