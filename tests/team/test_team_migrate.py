"""`dutyboard migrate --to URL`: a SQLite board copied whole into an empty PostgreSQL database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from peewee import OperationalError
from team_support import cli, env_for

from dutyboard.config import Config
from dutyboard.service.demo import make_demo
from dutyboard.service.demo_inspections import make_demo_inspections
from dutyboard.service import admin, calendar, tickets
from dutyboard.service.board import Board
from dutyboard.store import copying
from dutyboard.store import db as store
from dutyboard.store.models import Event, Ticket

pytestmark = pytest.mark.postgres
CONFIG = Config(timezone="Asia/Shanghai")


def _rows(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read from `db` (values as the models give them back)."""
    return {
        m._meta.table_name: list(
            m.select(*m._meta.sorted_fields).order_by(m._meta.primary_key).tuples().execute(db)
        )
        for m in copying.all_models()
    }


def _demo_board(path: str) -> None:
    """A demo board with inspections, a calendar day and a fault report, on SQLite."""
    board = Board.open(path, actor="zhangwei", config=CONFIG)
    try:
        now = board.at("2026-11-27T10:00")
        make_demo(board, at=now, count=12)
        make_demo_inspections(board, now)
        fixed = tickets.open_ticket(board, level=1, title="core switch down", at=board.at("2026-11-26T08:00"))
        tickets.acknowledge(board, fixed, at=board.at("2026-11-26T08:03"))
        tickets.restore(board, fixed, at=board.at("2026-11-26T09:30"))
        tickets.submit_report(board, fixed, {"cause": "power supply", "result": "replaced"},
                              at=board.at("2026-11-26T15:00"))
        tickets.sweep(board, now)
        board.actor = "wangqiang"
        calendar.set_day(board, calendar.parse_day("2026-12-31"), False, "year end")
        board.actor = "zhangwei"
    finally:
        board.close()


@pytest.fixture()
def sqlite_board(sqlite_copy: Callable[[str, Callable[[str], None]], str]) -> str:
    """This test's copy of the demo board (built once per session: it takes seconds)."""
    return sqlite_copy("migrate-demo", _demo_board)


def test_every_table_is_copied_with_its_ids_and_new_rows_get_fresh_ids(
    sqlite_board: str, postgres_url: str
) -> None:
    source = Board.open(sqlite_board, actor="wangqiang", config=CONFIG)
    try:
        before = _rows(source.db)
    finally:
        source.close()
    done = cli(["--db", sqlite_board, "--by", "wangqiang", "migrate", "--to", postgres_url, "--json"],
               env_for(sqlite_board))
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["counts"]
    assert counts == {table: len(rows) for table, rows in before.items()}
    assert counts["inspection"] and counts["inspection_value"] and counts["inspection_finding"]
    assert counts["fault_report"] and counts["escalation"] and counts["calendar_override"]

    target = Board.open(postgres_url, actor="zhangwei", config=CONFIG)
    try:
        assert _rows(target.db) == before
        assert admin.check(target).ok
        newest_ticket = max(r[0] for r in before["ticket"])
        newest_event = max(r[0] for r in before["event"])
        made = tickets.open_ticket(target, level=2, title="first ticket on PostgreSQL")
        assert made == newest_ticket + 1
        assert Event.select().order_by(Event.id.desc()).first().id == newest_event + 1
    finally:
        target.close()
    checked = cli(["check"], env_for(postgres_url))
    assert checked.returncode == 0, checked.stdout


def test_a_database_that_is_not_empty_is_refused_and_left_alone(
    sqlite_board: str, postgres_url: str
) -> None:
    target = Board.open(postgres_url, actor="lina", config=CONFIG)
    tickets.open_ticket(target, level=3, title="already here")
    target.close()
    done = cli(["--db", sqlite_board, "--by", "wangqiang", "migrate", "--to", postgres_url],
               env_for(sqlite_board))
    assert done.returncode == 2
    assert "not empty" in done.stderr and "1 tickets" in done.stderr
    assert "Traceback" not in done.stderr
    target = Board.open(postgres_url, actor="lina", config=CONFIG)
    try:
        assert [t.title for t in Ticket.select()] == ["already here"]
    finally:
        target.close()


def test_a_failure_halfway_leaves_the_target_empty(
    sqlite_board: str, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = copying.copy_tables

    def breaks_after_copying(source: Any, target: Any) -> dict[str, int]:
        real(source, target)
        raise OperationalError("the cable was pulled")

    monkeypatch.setattr(copying, "copy_tables", breaks_after_copying)
    board = Board.open(sqlite_board, actor="wangqiang", config=CONFIG)
    try:
        with pytest.raises(store.StoreUnavailable, match="cable"):
            admin.migrate_to(board, postgres_url)
    finally:
        board.close()
    target = Board.open(postgres_url, actor="lina", config=CONFIG)
    try:
        assert all(n == 0 for n in copying.row_counts(target.db).values())
    finally:
        target.close()


def test_only_a_sqlite_board_goes_only_to_postgresql(
    sqlite_board: str, postgres_url: str, tmp_path: Path
) -> None:
    to_file = cli(["--db", sqlite_board, "migrate", "--to", str(tmp_path / "x.db")], env_for(sqlite_board))
    assert to_file.returncode == 2 and "PostgreSQL URL" in to_file.stderr
    from_pg = cli(["migrate", "--to", postgres_url], env_for(postgres_url))
    assert from_pg.returncode == 2 and "already on PostgreSQL" in from_pg.stderr
    assert not (tmp_path / "x.db").exists()


def test_migrating_needs_a_manager(sqlite_board: str, postgres_url: str) -> None:
    done = cli(["--db", sqlite_board, "--by", "lina", "migrate", "--to", postgres_url],
               env_for(sqlite_board))
    assert done.returncode == 2 and "manager" in done.stderr
    store.open_database(postgres_url)
    try:
        assert Ticket.select().count() == 0
    finally:
        store.close_database()


def test_a_postgresql_board_backs_up_to_a_sqlite_file_with_everything(
    sqlite_board: str, postgres_url: str, tmp_path: Path
) -> None:
    assert cli(["--db", sqlite_board, "--by", "wangqiang", "migrate", "--to", postgres_url],
               env_for(sqlite_board)).returncode == 0
    source = Board.open(sqlite_board, actor="wangqiang", config=CONFIG)
    try:
        original = _rows(source.db)
    finally:
        source.close()
    copy = tmp_path / "from-pg.db"
    done = cli(["backup", str(copy)], env_for(postgres_url))
    assert done.returncode == 0, done.stderr
    back = Board.open(str(copy), actor="wangqiang", config=CONFIG)
    try:
        assert _rows(back.db) == original
    finally:
        back.close()
