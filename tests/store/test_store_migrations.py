"""Migrations: applied once, idempotent, serialised between processes, and true to the models."""

from __future__ import annotations

import importlib.util
import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from peewee import Database

from dutyboard.store import db as store
from dutyboard.store.models import MODELS

TABLES = {m._meta.table_name for m in MODELS}
#: Every migration the package ships, in order.
SHIPPED = [p.stem for p in sorted(store.MIGRATIONS_DIR.glob("[0-9]*.py"))]


def _history(db: Database) -> list[str]:
    return [name for (name,) in db.execute_sql("SELECT name FROM schema_migration ORDER BY id")]


def _schema(db: Database) -> str | None:
    if isinstance(db, store.SqliteDatabase):
        return None
    (name,) = db.execute_sql("SELECT current_schema()").fetchone()
    return str(name)


def _shape(db: Database) -> dict[str, Any]:
    """Columns, indexes and foreign keys of every model table, as the database reports them."""
    schema = _schema(db)
    shape: dict[str, Any] = {}
    for table in sorted(TABLES):
        shape[table] = {
            "columns": sorted(
                (c.name, c.data_type.lower(), c.null, c.primary_key)
                for c in db.get_columns(table, schema)
            ),
            "indexes": sorted(
                (i.name, tuple(i.columns), i.unique) for i in db.get_indexes(table, schema)
            ),
            "foreign_keys": sorted(
                (f.column, f.dest_table, f.dest_column) for f in db.get_foreign_keys(table, schema)
            ),
        }
    return shape


def test_a_new_database_gets_every_table_and_one_history_row(db: Database) -> None:
    assert TABLES <= set(db.get_tables(schema=_schema(db)))
    assert _history(db) == SHIPPED


def test_migrating_again_does_nothing(db: Database, db_url: str) -> None:
    assert store.migrate(db) == []
    assert store.migrate() == []
    store.close_database()
    again = store.open_database(db_url)
    assert _history(again) == SHIPPED


def test_the_migrations_make_exactly_the_models_schema(
    db: Database, make_db_url: Callable[[str], str]
) -> None:
    migrated = _shape(db)
    store.close_database()
    # A second database whose tables come straight from the models.
    url = make_db_url("models")
    if url.startswith("postgres"):
        scratch: Database = store._postgres_database(url)
    else:
        scratch = store._sqlite_database(url)
    try:
        with scratch.bind_ctx(MODELS):
            scratch.create_tables(MODELS)
        from_models = _shape(scratch)
    finally:
        scratch.close_all() if hasattr(scratch, "close_all") else scratch.close()
    assert migrated == from_models


def test_every_migration_file_is_numbered_and_defines_up() -> None:
    files = sorted(store.MIGRATIONS_DIR.glob("[0-9]*.py"))
    assert files and files[0].name == "0001_initial.py"
    numbers = [int(f.name.split("_", 1)[0]) for f in files]
    # Numbers are handed out per piece of work ahead of time, so one may land before a lower one.
    assert numbers == sorted(set(numbers)) and numbers[0] == 1
    for path in files:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert callable(module.up)


def test_a_database_from_a_newer_dutyboard_is_refused(db: Database, db_url: str) -> None:
    db.execute_sql(
        f"INSERT INTO schema_migration (name, applied) VALUES ({db.param}, {db.param})",
        ("0042_from_the_future", "2030-01-01 00:00:00"),
    )
    store.close_database()
    with pytest.raises(store.SchemaTooNew) as caught:
        store.open_database(db_url)
    assert "0042_from_the_future" in caught.value.message
    assert "upgrade" in caught.value.message
    assert store.database.obj is None


# ---------------------------------------------------------------- several processes


def _open_at_once(url: str, barrier: Any, results: Any) -> None:
    """In a child process: wait for the others, then open (and so migrate) the database."""
    try:
        barrier.wait(timeout=60)
        db = store.open_database(url)
        results.put(("ok", _history(db)))
        store.close_database()
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        results.put(("error", repr(error)))


@pytest.mark.slow
def test_processes_opening_a_new_database_at_once_all_succeed(db_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    count = 4
    barrier = context.Barrier(count)
    results = context.Queue()
    children = [
        context.Process(target=_open_at_once, args=(db_url, barrier, results)) for _ in range(count)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert outcomes == [("ok", SHIPPED)] * count
    db = store.open_database(db_url)
    assert _history(db) == SHIPPED


def _hold_migration_lock(db_url: str, db_backend: str) -> Callable[[], None]:
    """Take the migration lock as another process would; returns its release."""
    if db_backend == "sqlite":
        lock = store._file_lock(Path(db_url))
        lock.__enter__()

        def release_file() -> None:
            lock.__exit__(None, None, None)

        return release_file
    import psycopg2  # type: ignore[import-untyped]

    url_db = store._postgres_database(db_url)
    conn = psycopg2.connect(**url_db.connect_params, dbname=url_db.database)
    cursor = conn.cursor()
    cursor.execute("SELECT current_schema()")
    (schema,) = cursor.fetchone()
    cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", ("dutyboard.migrate." + schema,))

    def release() -> None:
        cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", ("dutyboard.migrate." + schema,))
        conn.close()

    return release


def test_a_migration_waits_for_the_one_in_progress(db_url: str, db_backend: str) -> None:
    release = _hold_migration_lock(db_url, db_backend)
    opened: list[Any] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(store.open_database(db_url))
        except BaseException as error:  # noqa: BLE001 - checked below
            failed.append(error)

    worker = threading.Thread(target=open_it)
    worker.start()
    try:
        worker.join(timeout=0.5)
        assert worker.is_alive() and not opened  # waiting for the lock, not migrating
    finally:
        release()
    worker.join(timeout=60)
    assert not failed and len(opened) == 1
    assert _history(opened[0]) == SHIPPED


def test_waiting_too_long_for_a_migration_is_store_busy(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MIGRATE_BOUND", 0.2)
    release = _hold_migration_lock(sqlite_url, "sqlite")
    try:
        with pytest.raises(store.StoreBusy, match="try again"):
            store.open_database(sqlite_url)
    finally:
        release()
