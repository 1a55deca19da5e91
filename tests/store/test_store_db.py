"""Opening the database: pragmas, file modes, targets, clear errors, and writing under contention."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dutyboard.store import db as store
from dutyboard.store.models import Event, Site, Ticket

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def _event(kind: str = "note") -> Event:
    return Event.create(ticket=None, at=NOW, recorded_at=NOW, by="t", kind=kind)


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


# ---------------------------------------------------------------- SQLite settings


def test_sqlite_pragmas_apply_to_every_connection(sqlite_db: Any) -> None:
    def pragmas() -> tuple[Any, ...]:
        return tuple(
            sqlite_db.pragma(name)
            for name in (
                "journal_mode",
                "foreign_keys",
                "cache_size",
                "synchronous",
                "busy_timeout",
            )
        )

    expected = ("wal", 1, -64000, 1, 10000)
    assert pragmas() == expected
    seen: list[tuple[Any, ...]] = []
    worker = threading.Thread(target=lambda: seen.append(pragmas()))
    worker.start()
    worker.join()
    assert seen == [expected]  # a worker thread's own connection gets them too


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_new_database_files_are_for_owner_and_group_only(tmp_path: Path, mask: int) -> None:
    path = tmp_path / "shared" / "duty.db"
    with _umask(mask):
        store.open_database(str(path))
        store.run_write(_event)
        names = [path.name + suffix for suffix in ("", "-wal", "-shm", ".lock")]
        modes = {name: stat.S_IMODE(os.stat(path.parent / name).st_mode) for name in names}
    assert modes == dict.fromkeys(names, 0o660)


def test_an_existing_files_mode_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "duty.db"
    store.open_database(str(path))
    store.close_database()
    os.chmod(path, 0o600)
    store.open_database(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_write_transaction_takes_the_write_lock_before_writing(sqlite_db: Any) -> None:
    other = sqlite3.connect(sqlite_db.database, timeout=0, isolation_level=None)
    try:
        with store.write_transaction():
            Site.select().count()  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ends
        other.execute("ROLLBACK")
    finally:
        other.close()


# ---------------------------------------------------------------- which database


def test_a_plain_path_and_a_sqlite_url_name_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.db"
    store.open_database(str(path))
    store.run_write(_event)
    store.open_database(f"sqlite:///{path}")
    assert Event.select().count() == 1
    monkeypatch.chdir(tmp_path)
    store.open_database("sqlite:///a.db")  # three slashes: relative to the working directory
    assert Event.select().count() == 1


def test_without_a_target_dutyboard_db_then_the_xdg_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = Path(os.environ["XDG_DATA_HOME"]) / "dutyboard" / "dutyboard.db"
    db = store.open_database(None)
    assert Path(db.database) == default and default.exists()
    monkeypatch.setenv("DUTYBOARD_DB", str(tmp_path / "env.db"))
    assert store.open_database(None).database == str(tmp_path / "env.db")
    assert store.open_database("").database == str(tmp_path / "env.db")
    assert store.open_database(str(tmp_path / "arg.db")).database == str(tmp_path / "arg.db")


def test_opening_another_database_closes_the_first(tmp_path: Path) -> None:
    first = store.open_database(str(tmp_path / "1.db"))
    second = store.open_database(str(tmp_path / "2.db"))
    assert first.is_closed()
    assert store.database.obj is second


def test_close_database_unbinds_the_models(sqlite_db: Any) -> None:
    store.close_database()
    assert store.database.obj is None
    with pytest.raises(AttributeError):
        Site.select().count()
    store.close_database()  # twice is fine


# ---------------------------------------------------------------- clear errors


def test_a_directory_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    with pytest.raises(store.StoreUnavailable) as caught:
        store.open_database(str(folder))
    assert str(folder) in caught.value.message and "directory" in caught.value.message
    assert store.database.obj is None


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"These are my notes, not a database.\n" * 200
    path.write_bytes(content)
    with pytest.raises(store.StoreUnavailable) as caught:
        store.open_database(str(path))
    message = caught.value.message
    assert str(path) in message and "not a SQLite database" in message
    assert "Traceback" not in message
    assert path.read_bytes() == content
    assert store.database.obj is None


def test_a_directory_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(store.StoreUnavailable) as caught:
        store.open_database(str(blocker / "sub" / "duty.db"))
    assert "Cannot create the directory" in caught.value.message


def test_an_unknown_url_scheme_is_refused() -> None:
    with pytest.raises(store.StoreUnavailable, match="postgresql://"):
        store.open_database("mysql://root@localhost/duty")


def test_an_unreachable_postgresql_server_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(store.StoreUnavailable) as caught:
        store.open_database("postgresql://duty:s3cret@127.0.0.1:1/duty")
    message = caught.value.message
    assert "127.0.0.1:1/duty" in message and "s3cret" not in message
    assert "\n" not in message
    assert store.database.obj is None


@pytest.mark.postgres
def test_a_missing_postgresql_database_is_a_clear_error(postgres_url: str) -> None:
    url = postgres_url.replace("/test?", "/no_such_database_here?")
    with pytest.raises(store.StoreUnavailable, match="no_such_database_here"):
        store.open_database(url)


def test_a_read_only_database_is_a_clear_error_on_write(sqlite_db: Any) -> None:
    # What a session without write permission on the file meets (root ignores file modes,
    # so the refusal is made by SQLite itself here).
    store.run_write(_event)
    sqlite_db.execute_sql("PRAGMA query_only = 1")
    with pytest.raises(store.StoreUnavailable) as caught:
        store.run_write(_event)
    assert "read-only" in caught.value.message and sqlite_db.database in caught.value.message
    sqlite_db.execute_sql("PRAGMA query_only = 0")
    assert Event.select().count() == 1


# ---------------------------------------------------------------- writing under contention


class _Holder:
    """Another session holding the write lock until released."""

    def __init__(self, backend: str, url: str, db: Any) -> None:
        self.backend = backend
        if backend == "sqlite":
            self.conn: Any = sqlite3.connect(
                url, timeout=0, isolation_level=None, check_same_thread=False
            )
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            import psycopg2  # type: ignore[import-untyped]

            self.conn = psycopg2.connect(**db.connect_params, dbname=db.database)
            cursor = self.conn.cursor()
            cursor.execute("LOCK TABLE site IN ACCESS EXCLUSIVE MODE")

    def release(self) -> None:
        if self.backend == "sqlite":
            self.conn.execute("ROLLBACK")
        else:
            self.conn.rollback()
        self.conn.close()


def _write_site(code: str, attempts: list[int]) -> Callable[[], int]:
    def write() -> int:
        attempts.append(1)
        if not store.is_sqlite():
            store.database.execute_sql("SET LOCAL lock_timeout = '50ms'")
        return int(Site.create(code=code, name=code).id)

    return write


@pytest.fixture()
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite gives up on a lock after 50 ms, so retries happen quickly."""
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.05)


def test_run_write_waits_out_another_sessions_lock(
    short_waits: None, db_backend: str, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store.open_database(db_url)
    transactions: list[int] = []
    real = store.write_transaction

    def counted() -> Any:
        transactions.append(1)
        return real()

    monkeypatch.setattr(store, "write_transaction", counted)
    holder = _Holder(db_backend, db_url, db)
    timer = threading.Timer(0.4, holder.release)
    timer.start()
    try:
        site_id = store.run_write(_write_site("HQ-DC", []))
    finally:
        timer.join()
    assert len(transactions) > 1  # refused while held, retried, then done
    assert Site.get_by_id(site_id).code == "HQ-DC"


def test_run_write_gives_up_with_store_busy_and_changes_nothing(
    short_waits: None, db_backend: str, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store.open_database(db_url)
    monkeypatch.setattr(store, "WRITE_BOUND", 0.3)
    holder = _Holder(db_backend, db_url, db)
    try:
        with pytest.raises(store.StoreBusy) as caught:
            store.run_write(_write_site("HQ-DC", []))
    finally:
        holder.release()
    assert "busy" in caught.value.message and "try again" in caught.value.message
    assert Site.select().count() == 0


def test_run_write_rolls_back_when_the_operation_fails(db: Any) -> None:
    def write() -> None:
        _event()
        raise LookupError("no such ticket")

    with pytest.raises(LookupError):
        store.run_write(write)
    assert Event.select().count() == 0


def test_run_write_inside_a_transaction_is_a_savepoint(db: Any) -> None:
    def fails() -> None:
        _event("lost")
        raise LookupError("undone, but the outer transaction goes on")

    with store.write_transaction():
        store.run_write(_event)
        with pytest.raises(LookupError):
            store.run_write(fails)
    assert [e.kind for e in Event.select()] == ["note"]


def test_busy_errors_are_recognised() -> None:
    class PgError(Exception):
        def __init__(self, pgcode: str) -> None:
            super().__init__("pg")
            self.pgcode = pgcode

    assert store.is_busy_error(sqlite3.OperationalError("database is locked"))
    assert store.is_busy_error(PgError("40001")) and store.is_busy_error(PgError("40P01"))
    wrapped = RuntimeError(PgError("40P01"))
    assert store.is_busy_error(wrapped)
    assert not store.is_busy_error(sqlite3.OperationalError("no such table: x"))
    assert not store.is_busy_error(PgError("23505"))


# ---------------------------------------------------------------- watching


def test_change_marker_moves_with_every_write_by_anyone(db: Any) -> None:
    assert store.change_marker() == 0
    store.run_write(_event)
    first = store.change_marker()
    assert first > 0
    worker = threading.Thread(target=lambda: store.run_write(_event))  # its own connection
    worker.start()
    worker.join()
    assert store.change_marker() > first


def test_data_version_sees_other_connections_commits(sqlite_db: Any) -> None:
    before = store.data_version()
    store.run_write(_event)
    assert store.data_version() == before  # our own commit does not count
    worker = threading.Thread(target=lambda: store.run_write(_event))
    worker.start()
    worker.join()
    assert store.data_version() != before


def test_data_version_is_none_on_postgresql(db: Any, db_backend: str) -> None:
    if db_backend == "sqlite":
        assert isinstance(store.data_version(), int)
    else:
        assert store.data_version() is None


def test_checkpoint_truncates_the_wal(sqlite_db: Any) -> None:
    for i in range(50):
        store.run_write(_event)
    wal = Path(sqlite_db.database + "-wal")
    assert wal.stat().st_size > 0
    busy, _log, _done = store.checkpoint() or (1, 0, 0)
    assert busy == 0
    assert wal.stat().st_size == 0
    assert sqlite_db.pragma("busy_timeout") == 10000
    assert Event.select().count() == 50


@pytest.mark.postgres
def test_checkpoint_is_a_no_op_on_postgresql(postgres_url: str) -> None:
    store.open_database(postgres_url)
    assert store.checkpoint() is None
    assert store.backend() == "postgres"


@pytest.mark.postgres
def test_threads_that_end_give_their_postgresql_connection_back(postgres_url: str) -> None:
    db: Any = store.open_database(postgres_url)
    for _ in range(3 * store.PG_POOL["max_connections"]):
        worker = threading.Thread(target=lambda: Ticket.select().count())
        worker.start()
        worker.join()
    assert len(db._in_use) <= 2  # this thread's, and at most one not yet reclaimed
