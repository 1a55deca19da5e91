"""Backups taken while others work, restores that check first, `check`, and file modes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from team_support import SHIFT_WRITER, cli, env_for, mode, read_line, spawn

from dutyboard.config import Config
from dutyboard.service import admin, team, tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Forbidden, NotFound
from dutyboard.store import copying
from dutyboard.store.models import Escalation, Event, Ticket
from dutyboard.store.watch import ChangeWatcher

CONFIG = Config(timezone="Asia/Shanghai")


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _open(url: str, actor: str = "zhangwei") -> Board:
    return Board.open(url, actor=actor, config=CONFIG)


def _fill(url: str, n: int = 6) -> None:
    """A few tickets at different steps, one escalated, one with its report."""
    board = _open(url)
    try:
        at = board.at("2026-11-23T10:00+08:00")
        for i in range(n):
            tid = tickets.open_ticket(board, level=1 + i % 4, title=f"fault {i}", at=at)
            if i % 2:
                tickets.acknowledge(board, tid, at=board.at("2026-11-23T10:05+08:00"))
        tickets.acknowledge(board, 1, at=board.at("2026-11-23T10:06+08:00"))
        tickets.restore(board, 1, at=board.at("2026-11-23T11:00+08:00"))
        tickets.submit_report(board, 1, {"cause": "disk"}, at=board.at("2026-11-23T12:00+08:00"))
        tickets.sweep(board, board.at("2026-11-26T10:00+08:00"))
    finally:
        board.close()


def _counts(url: str) -> tuple[int, int]:
    board = _open(url)
    try:
        return Ticket.select().count(), Event.select().count()
    finally:
        board.close()


def _scratch_left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ---------------------------------------------------------------- backup and restore


@pytest.mark.slow
def test_a_backup_taken_while_others_write_checks_out_and_can_be_restored(
    db_url: str, db_backend: str, tmp_path: Path
) -> None:
    _fill(db_url)
    writer = subprocess.Popen(
        [sys.executable, "-c", SHIFT_WRITER, str(tmp_path / "w.progress"), "1"],
        env=env_for(db_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    backups = tmp_path / "backups"
    backups.mkdir()
    copy = backups / "board-backup.db"
    try:
        progress = tmp_path / "w.progress"
        while not progress.exists() or progress.stat().st_size < 20:  # ten operations in
            assert writer.poll() is None, "the writer stopped"
            time.sleep(0.01)
        with umask(0o022):
            done = cli(["backup", str(copy), "--json"], env_for(db_url))
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    assert done.returncode == 0, done.stderr
    written = json.loads(done.stdout)
    assert written["file"] == str(copy) and written["tickets"] >= 6
    assert mode(copy) == 0o660
    assert _scratch_left(backups) == []

    checked = cli(["--db", str(copy), "check", "--json"], env_for(str(copy)))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["tickets"] == written["tickets"]

    # Put it back: into the board itself on SQLite, into a new SQLite board from PostgreSQL.
    home = tmp_path / "board-home"
    home.mkdir()
    target = db_url if db_backend == "sqlite" else str(home / "restored.db")
    restored = cli(["--db", target, "restore", str(copy), "--json"], env_for(target))
    assert restored.returncode == 0, restored.stderr
    result = json.loads(restored.stdout)
    assert result["tickets"] == written["tickets"]
    assert result["events"] == written["events"] + 1  # and the restore itself, in the trail
    assert _counts(target) == (written["tickets"], written["events"] + 1)
    assert cli(["--db", target, "check"], env_for(target)).returncode == 0
    if db_backend == "sqlite":
        kept = Path(result["previous_kept_as"])
        assert kept.name.startswith("board.db.before-restore-") and mode(kept) == 0o660
        assert _counts(str(kept))[0] >= written["tickets"]
    else:
        assert result["previous_kept_as"] is None or Path(result["previous_kept_as"]).exists()


@pytest.mark.postgres
@pytest.mark.parametrize("db_backend", ["postgres"])
def test_a_postgresql_board_is_not_restored_over(db_url: str, tmp_path: Path) -> None:
    _fill(db_url, 2)
    copy = tmp_path / "b.db"
    assert cli(["backup", str(copy)], env_for(db_url)).returncode == 0
    done = cli(["restore", str(copy)], env_for(db_url))
    assert done.returncode == 2
    assert "migrate --to" in done.stderr and "Traceback" not in done.stderr


def test_backup_refuses_to_overwrite_unless_asked(sqlite_url: str, tmp_path: Path) -> None:
    _fill(sqlite_url, 2)
    copy = tmp_path / "copy.db"
    copy.write_text("keep me")
    board = _open(sqlite_url)
    try:
        with pytest.raises(BadInput, match="exists already"):
            admin.backup(board, str(copy))
        assert copy.read_text() == "keep me"
        with pytest.raises(BadInput, match="the board itself"):
            admin.backup(board, sqlite_url, replace=True)
        with pytest.raises(BadInput, match="does not exist"):
            admin.backup(board, str(tmp_path / "no-such-dir" / "b.db"))
        result = admin.backup(board, str(copy), replace=True)
        assert result.tickets == 2 and mode(copy) == 0o660
    finally:
        board.close()


def _corrupt_pages(path: Path) -> None:
    with path.open("r+b") as handle:
        size = path.stat().st_size
        for page in range(2, size // 4096, 2):
            handle.seek(page * 4096)
            handle.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff")


def _tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "spoil, says",
    [
        ("garbage", "not a SQLite database"),
        ("missing", "There is no backup file"),
        ("damaged", "damaged"),
        ("inconsistent", "not consistent"),
        ("foreign", "not a dutyboard backup"),
        ("newer", "newer dutyboard"),
    ],
)
def test_a_bad_backup_is_refused_and_the_board_is_left_alone(
    sqlite_url: str, tmp_path: Path, spoil: str, says: str
) -> None:
    _fill(sqlite_url, 4)
    board = Path(sqlite_url)
    folder = tmp_path / "backups"
    folder.mkdir()
    bad = folder / "bad.db"
    assert cli(["backup", str(bad)], env_for(sqlite_url)).returncode == 0
    board_now = _open(sqlite_url)
    tickets.open_ticket(board_now, level=2, title="after the backup")
    board_now.close()
    before = _counts(sqlite_url)
    if spoil == "garbage":
        bad.write_text("this is a shopping list\n")
    elif spoil == "missing":
        bad.unlink()
    elif spoil == "damaged":
        _corrupt_pages(bad)
    elif spoil == "inconsistent":
        _tamper(bad, "UPDATE ticket SET status = 'closed' WHERE id = 2")
    elif spoil == "foreign":
        bad.unlink()
        _tamper(bad, "CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT)")
    elif spoil == "newer":
        _tamper(bad, "INSERT INTO schema_migration (name, applied) VALUES ('0999_future', '2030-01-01')")
    done = cli(["restore", str(bad)], env_for(sqlite_url))
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert _counts(sqlite_url) == before
    assert not list(board.parent.glob("*.before-restore-*"))
    assert _scratch_left(board.parent) == []


def test_restore_needs_a_manager(sqlite_url: str, tmp_path: Path) -> None:
    _fill(sqlite_url, 2)
    board = _open(sqlite_url, actor="wangqiang")
    team.add_person(board, "wangqiang", "王强", "local_manager", "manager")
    team.add_person(board, "zhangwei", "张伟", "dedicated_engineer", "engineer")
    copy = tmp_path / "copy.db"
    admin.backup(board, str(copy))
    tickets.open_ticket(board, level=3, title="after", at=None)
    board.close()
    before = _counts(sqlite_url)
    with pytest.raises(Forbidden, match="manager"):
        admin.restore(sqlite_url, str(copy), CONFIG, actor="zhangwei")
    assert _counts(sqlite_url) == before
    result = admin.restore(sqlite_url, str(copy), CONFIG, actor="wangqiang")
    assert result.tickets == 2
    with pytest.raises(NotFound):
        admin.restore(sqlite_url, str(tmp_path / "nothing.db"), CONFIG, actor="wangqiang")


#: Keeps a board open; prints the ticket count whenever a line arrives on stdin.
KEEP_OPEN = r"""
import sys
from dutyboard.service.board import Board
from dutyboard.store.models import Ticket
board = Board.open(None, actor="lina")
print(Ticket.select().count(), flush=True)
for _line in sys.stdin:
    print(Ticket.select().count(), flush=True)
"""


@pytest.mark.slow
def test_sessions_that_have_the_board_open_see_the_restored_board(sqlite_url: str, tmp_path: Path) -> None:
    _fill(sqlite_url, 3)
    copy = tmp_path / "three.db"
    board = _open(sqlite_url)
    admin.backup(board, str(copy))
    for i in range(4):
        tickets.open_ticket(board, level=4, title=f"later {i}")
    board.close()
    session = spawn(KEEP_OPEN, env=env_for(sqlite_url), stdin=subprocess.PIPE)
    try:
        assert read_line(session) == "7"
        with ChangeWatcher(sqlite_url) as watcher:
            admin.restore(sqlite_url, str(copy), CONFIG, actor="zhangwei")
            assert watcher.wait(2.0) is True
        assert session.stdin is not None
        session.stdin.write("again\n")
        session.stdin.flush()
        assert read_line(session) == "3"
    finally:
        session.kill()
        session.wait()


def test_an_unreadable_board_is_set_aside_and_replaced(sqlite_url: str, tmp_path: Path) -> None:
    _fill(sqlite_url, 3)
    copy = tmp_path / "copy.db"
    board = _open(sqlite_url)
    admin.backup(board, str(copy))
    board.close()
    Path(sqlite_url).write_bytes(b"overwritten by mistake" * 100)
    for suffix in ("-wal", "-shm"):
        Path(sqlite_url + suffix).unlink(missing_ok=True)
    result = admin.restore(sqlite_url, str(copy), CONFIG, actor="zhangwei")
    assert result.tickets == 3
    assert result.kept is not None
    assert Path(result.kept).read_bytes().startswith(b"overwritten")
    assert mode(sqlite_url) == 0o660
    assert _counts(sqlite_url)[0] == 3


# ---------------------------------------------------------------- check


def test_check_says_all_is_well_in_plain_words(db_url: str) -> None:
    _fill(db_url)
    done = cli(["check"], env_for(db_url))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All is well" in done.stdout and "6 tickets" in done.stdout
    data = json.loads(cli(["check", "--json"], env_for(db_url)).stdout)
    assert data["ok"] is True and data["problems"] == [] and data["escalations"] >= 1


def _spoil_board(board: Board) -> None:
    """Three kinds of damage made behind the service layer's back."""
    Ticket.update(status="closed").where(Ticket.id == 2).execute()
    Event.delete().where((Event.ticket == 3) & (Event.kind == "opened")).execute()
    Escalation.create(ticket=4, at=board.at("2026-11-24T10:17:13+08:00"), from_level=2,
                      to_level=1, kind="manual", reason="made up")


def test_check_finds_rows_that_differ_from_their_events(db_url: str) -> None:
    _fill(db_url)
    board = _open(db_url)
    try:
        _spoil_board(board)
        report = admin.check(board)
    finally:
        board.close()
    kinds = {(p.kind, p.ticket) for p in report.problems}
    assert ("mismatch", 2) in kinds
    assert ("no_opening", 3) in kinds
    assert ("escalation", 4) in kinds
    assert not report.ok
    done = cli(["check"], env_for(db_url))
    assert done.returncode == 1
    assert "Ticket 2: the stored row does not match its audit trail (status)" in done.stdout
    assert "half-written" in done.stdout and "Traceback" not in done.stderr
    data = json.loads(cli(["check", "--json"], env_for(db_url)).stdout)
    assert data["ok"] is False and len(data["problems"]) == len(report.problems)


def test_check_finds_an_event_whose_ticket_is_gone(sqlite_url: str) -> None:
    _fill(sqlite_url, 2)
    _tamper(Path(sqlite_url), "PRAGMA foreign_keys = OFF",
            "UPDATE event SET ticket_id = 99 WHERE id = (SELECT max(id) FROM event WHERE ticket_id = 2)")
    board = _open(sqlite_url)
    try:
        report = admin.check(board)
    finally:
        board.close()
    kinds = {p.kind for p in report.problems}
    assert {"foreign_key", "orphan_event"} <= kinds


def test_check_reports_a_damaged_file(sqlite_url: str, tmp_path: Path) -> None:
    _fill(sqlite_url, 40)
    board = _open(sqlite_url)
    copy = tmp_path / "c.db"
    admin.backup(board, str(copy))
    board.close()
    _corrupt_pages(copy)
    done = cli(["--db", str(copy), "check"], env_for(str(copy)))
    assert done.returncode == 1
    assert ("damaged" in done.stdout) or ("malformed" in done.stderr)
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------- file modes


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_board_files_and_backups_are_for_owner_and_group_only(tmp_path: Path, mask: int) -> None:
    url = str(tmp_path / "board" / "duty.db")
    with umask(mask):
        board = _open(url)
        try:
            tickets.open_ticket(board, level=2, title="t")
            files = [Path(url + suffix) for suffix in ("", "-wal", "-shm", ".lock")]
            assert {f.name: mode(f) for f in files if f.exists()} == {
                f.name: 0o660 for f in files if f.exists()
            }
            assert Path(url + "-wal").exists()
            result = admin.backup(board, str(tmp_path / "b.db"))
            assert mode(result.path) == 0o660
        finally:
            board.close()
        restored = admin.restore(url, str(tmp_path / "b.db"), CONFIG, actor="zhangwei")
        assert restored.kept is not None and mode(restored.kept) == 0o660
        assert mode(url) == 0o660


def test_every_table_is_copied_parents_first() -> None:
    models = copying.all_models()
    names = [m._meta.table_name for m in models]
    assert set(names) >= {
        "site", "asset", "engineer", "ticket", "event", "escalation", "fault_report",
        "calendar_override", "inspection", "inspection_value", "inspection_finding",
        "site_inspection_settings",
    }
    for n, model in enumerate(models):
        for fk in model._meta.refs:
            assert names.index(fk.rel_model._meta.table_name) < n
