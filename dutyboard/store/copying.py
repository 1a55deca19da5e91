"""Copying a whole board, every table with its ids, from one database into another.

A PostgreSQL board is backed up by copying it into a SQLite file, and a SQLite board moves
onto PostgreSQL by copying it into an empty database. Rows go in parent-first order, so the
foreign keys hold at every insert; the counts are checked afterwards, so a copy is whole or
not kept at all.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import peewee
from peewee import AutoField, Database, Model, SqliteDatabase

from dutyboard.i18n import _
from dutyboard.store import db as store
from dutyboard.store.models import BaseModel, Ticket

#: Tables the store keeps for itself, not copied row by row.
BOOKKEEPING_TABLES = frozenset(
    {"schema_migration", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}
)
#: Values per INSERT statement: well under SQLite's limit on bound parameters.
VALUES_PER_INSERT = 4000


def all_models() -> list[type[Model]]:
    """Every table's model, parents before children (the order rows can be inserted in).

    Models are found by subclassing BaseModel in any `dutyboard.store.*models` module, so a
    new table is carried by backup, restore, migrate and check without being listed here.
    """
    package = importlib.import_module("dutyboard.store")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.endswith("models"):
            importlib.import_module(f"dutyboard.store.{info.name}")
    found: dict[str, type[Model]] = {}
    todo: list[type[Model]] = [BaseModel]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls is not BaseModel and cls.__module__.startswith("dutyboard.store"):
            found[cls._meta.table_name] = cls
    return list(peewee.sort_models(list(found.values())))  # type: ignore[attr-defined]


def table_names(db: Database) -> set[str]:
    """The board's own tables in `db` (the store's bookkeeping left out)."""
    return {name for name in db.get_tables() if name not in BOOKKEEPING_TABLES}


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """A read transaction that sees one moment of the board while others keep writing."""
    if isinstance(db, SqliteDatabase):
        with db.atomic("DEFERRED"):
            yield
    else:
        with db.atomic(isolation_level="REPEATABLE READ"):
            yield


def copy_tables(source: Database, target: Database) -> dict[str, int]:
    """Copy every row of every table, ids kept, from source into an empty target.

    The caller holds a snapshot on the source and one transaction on the target; returns the
    number of rows copied per table. A table this version does not know stops the copy when
    it has rows, since they would be lost.
    """
    models = all_models()
    known = {m._meta.table_name for m in models}
    for name in sorted(table_names(source) - known):
        rows = source.execute_sql(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        if rows:
            raise store.CopyFailed(
                _(
                    "The board has a table {table} this version of dutyboard does not know; "
                    "upgrade dutyboard before copying the board"
                ).format(table=name)
            )
    copied: dict[str, int] = {}
    for model in models:
        fields = list(model._meta.sorted_fields)
        batch_rows = max(1, VALUES_PER_INSERT // len(fields))
        query = model.select(*fields).order_by(model._meta.primary_key).tuples()
        batch: list[tuple[Any, ...]] = []
        count = 0
        for row in query.execute(source):
            batch.append(row)
            if len(batch) >= batch_rows:
                model.insert_many(batch, fields=fields).as_rowcount().execute(target)
                count += len(batch)
                batch = []
        if batch:
            model.insert_many(batch, fields=fields).as_rowcount().execute(target)
            count += len(batch)
        copied[model._meta.table_name] = count
    return copied


def row_counts(db: Database) -> dict[str, int]:
    """Rows per table of the board in `db`."""
    return {m._meta.table_name: m.select().count(db) for m in all_models()}


def verify_counts(expected: dict[str, int], db: Database) -> None:
    """Raise CopyFailed unless `db` holds exactly the rows a copy reported."""
    found = row_counts(db)
    wrong = {t: (n, found.get(t)) for t, n in expected.items() if found.get(t) != n}
    if wrong:
        raise store.CopyFailed(
            _("The copy is incomplete ({tables}); nothing was kept").format(
                tables=", ".join(f"{t}: {a} → {b}" for t, (a, b) in sorted(wrong.items()))
            )
        )


def _fix_sequences(db: Database) -> None:
    """After explicit ids, PostgreSQL's sequences must continue past the largest one."""
    for model in all_models():
        pk = model._meta.primary_key
        if not isinstance(pk, AutoField):
            continue
        table, column = model._meta.table_name, pk.column_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
            (table, column),
        )


def copy_to_postgres(source: Database, url: str) -> tuple[str, dict[str, int]]:
    """Copy the board in `source` into the empty PostgreSQL database at `url`, in one transaction.

    Returns where it went (no password) and the rows per table. Raises BadTarget when the
    database has rows already; a failure part-way leaves it as empty as it was.
    """
    target = store._postgres_database(url)
    try:
        store._connect(target)
        store.migrate(target)
        with target.atomic():
            busy = [m._meta.table_name for m in all_models() if m.select().exists(target)]
            if busy:
                raise store.BadTarget(
                    _(
                        "The database {where} is not empty (it has {tickets} tickets, and rows in "
                        "{tables}); migrate only into an empty database"
                    ).format(
                        where=store.describe(target), tickets=Ticket.select().count(target),
                        tables=", ".join(busy),
                    )
                )
            with snapshot(source):
                counts = copy_tables(source, target)
            _fix_sequences(target)
            verify_counts(counts, target)
        verify_counts(counts, target)
        return store.describe(target), counts
    except store.StoreError:
        raise
    except Exception as error:  # noqa: BLE001 - a driver failure becomes a plain message
        raise store._unavailable(error, store.describe(target)) from None
    finally:
        store._discard(target)


__all__ = [
    "BOOKKEEPING_TABLES",
    "all_models",
    "copy_tables",
    "copy_to_postgres",
    "row_counts",
    "snapshot",
    "table_names",
    "verify_counts",
]
