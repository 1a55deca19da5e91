"""Backup files: written while others work, read back with checks, put back under the write lock.

A backup is one self-contained SQLite file (no -wal beside it), readable and writable by the
owner and the duty group only. It is written under a scratch name and renamed into place once
its pages verify, so a backup that exists is whole. Restoring never reads the backup itself:
it works on a private copy, checks it and brings its schema up to date, and only then writes
it into the board through SQLite's backup API, so sessions that have the board open see the
new contents at once.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from pathlib import Path

from peewee import Database, SqliteDatabase

from dutyboard.i18n import _
from dutyboard.store import db as store
from dutyboard.store.copying import copy_tables, snapshot, verify_counts

#: The first bytes of every SQLite file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: Tables without which a file is no dutyboard board.
BOARD_TABLES = frozenset({"schema_migration", "ticket", "event"})


def scratch_path(beside: Path, label: str) -> Path:
    """A hidden name beside `beside` for work in progress, unique to this process."""
    return beside.with_name(f".{beside.name}.{label}-{os.getpid()}")


def discard_files(*paths: Path) -> None:
    """Remove files that may or may not exist (a scratch copy and its journal)."""
    for path in paths:
        with suppress(OSError):
            path.unlink()


def _private_file(path: Path) -> None:
    """Create an empty file readable and writable by the owner and the group only."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, store.FILE_MODE)
    except FileNotFoundError:
        raise store.BadTarget(
            _("Cannot write {file}: the directory {dir} does not exist").format(
                file=path, dir=path.parent
            )
        ) from None
    except OSError as error:
        raise store.BadTarget(
            _("Cannot write {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None
    try:
        os.fchmod(fd, store.FILE_MODE)  # open()'s mode is cut by the umask
    finally:
        os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _online_backup(db: Database, path: Path) -> None:
    """SQLite's online backup of the open board: one step, so one snapshot, while writers go on."""
    copy = sqlite3.connect(str(path))
    try:
        db.connection().backup(copy)
        # A self-contained file: no -wal beside it to lose when it is copied elsewhere.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _copy_into_file(db: Database, path: Path) -> None:
    """Every table of a (PostgreSQL) board copied into a new SQLite file at this schema."""
    target = SqliteDatabase(str(path), pragmas={"foreign_keys": 1, "journal_mode": "delete"})
    try:
        store._connect(target)
        store._migrate_guarded(target, None)
        with target.atomic(), snapshot(db):
            counts = copy_tables(db, target)
        verify_counts(counts, target)
    finally:
        target.close()


def _verify_file(path: Path) -> tuple[int, int]:
    """Pages intact; returns (tickets, events) held."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if rows != ["ok"]:
            raise store.CopyFailed(
                _("The copy written to {file} did not verify ({detail}); it was not kept").format(
                    file=path, detail="; ".join(map(str, rows[:3]))
                )
            )
        tickets = conn.execute("SELECT count(*) FROM ticket").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
        return int(tickets), int(events)
    finally:
        conn.close()


def write_backup(db: Database, dest: Path) -> tuple[int, int]:
    """Write a consistent copy of the board in `db` to `dest` (mode 0660), replacing it.

    Returns (tickets, events) in the copy. Nothing is left behind when it fails.
    """
    scratch = scratch_path(dest, "partial")
    discard_files(scratch)
    _private_file(scratch)
    try:
        if store.is_sqlite(db):
            _online_backup(db, scratch)
        else:
            _copy_into_file(db, scratch)
        held = _verify_file(scratch)
        _fsync(scratch)
        os.replace(scratch, dest)
    except BaseException:
        discard_files(scratch, scratch.with_name(scratch.name + "-journal"))
        raise
    return held


def integrity_problems(db: Database) -> list[str]:
    """What SQLite's integrity check finds wrong with the file's pages (none on PostgreSQL)."""
    if not isinstance(db, SqliteDatabase):
        return []
    rows = [str(r[0]) for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def broken_references(db: Database) -> list[tuple[str, int, str]]:
    """(table, rowid, parent table) of every row pointing at a missing row (SQLite only)."""
    if not isinstance(db, SqliteDatabase):
        return []
    return [
        (str(table), int(rowid), str(parent))
        for table, rowid, parent, _fk in db.execute_sql("PRAGMA foreign_key_check").fetchall()
    ]


def open_backup_copy(source: Path, scratch: Path) -> SqliteDatabase:
    """Copy the backup `source` to `scratch` (mode 0660), check it, bring it up to date, open it.

    Raises BadTarget when it is not a SQLite file, is damaged, is no dutyboard board, or was
    written by a newer dutyboard. The caller closes the database returned.
    """
    try:
        with source.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise store.BadTarget(
            _("Cannot read {file}: {reason}").format(file=source, reason=error.strerror or error)
        ) from None
    if header != SQLITE_HEADER:
        raise store.BadTarget(
            _("{file} is not a dutyboard backup: it is not a SQLite database").format(file=source)
        )
    discard_files(scratch)
    _private_file(scratch)
    try:
        original = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        copy = sqlite3.connect(str(scratch))
        try:
            original.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            original.close()
    except sqlite3.Error as error:
        raise store.BadTarget(
            _("{file} is damaged and cannot be read ({reason}); nothing was restored").format(
                file=source, reason=error
            )
        ) from None
    db = SqliteDatabase(str(scratch), pragmas={"foreign_keys": 1})
    try:
        try:
            damage = integrity_problems(db)
        except Exception as error:  # noqa: BLE001 - a damaged file fails in many ways
            damage = [str(error)]
        if damage:
            raise store.BadTarget(
                _("{file} is damaged ({detail}); nothing was restored").format(
                    file=source, detail="; ".join(damage[:3])
                )
            )
        missing = BOARD_TABLES - set(db.get_tables())
        if missing:
            raise store.BadTarget(
                _("{file} is not a dutyboard backup (it has no {tables} table)").format(
                    file=source, tables=", ".join(sorted(missing))
                )
            )
        try:
            store._migrate_guarded(db, None)
        except store.SchemaTooNew:
            raise store.BadTarget(
                _(
                    "{file} was written by a newer dutyboard (it has migrations this version "
                    "does not know); upgrade dutyboard to restore it"
                ).format(file=source)
            ) from None
    except BaseException:
        db.close()
        raise
    return db


def _free_name(base: Path) -> Path:
    candidate, n = base, 1
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


def _previous_name(path: Path, stamp: str) -> Path:
    return _free_name(path.with_name(f"{path.name}.before-restore-{stamp}"))


def keep_previous(db: Database, path: Path, stamp: str) -> str:
    """A consistent copy of the open board at `path`, beside it (mode 0660); returns its name."""
    kept = _previous_name(path, stamp)
    _private_file(kept)
    try:
        _online_backup(db, kept)
        _fsync(kept)
    except BaseException:
        discard_files(kept)
        raise
    return str(kept)


def replace_unreadable(path: Path, copy: Path, stamp: str) -> str:
    """Set an unreadable board (and its -wal and -shm) aside and move `copy` into its place.

    Nobody can be using a board that is no database any more; returns where it was set aside.
    """
    kept = _previous_name(path, stamp)
    os.replace(path, kept)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, kept.with_name(kept.name + suffix))
    os.replace(copy, path)
    return str(kept)


def write_into(copy: Path, db: Database) -> None:
    """Write a checked copy over the open board with SQLite's backup API, under its write lock."""
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        source.backup(db.connection())
    except sqlite3.Error as error:
        raise store._unavailable(error, str(copy)) from None
    finally:
        source.close()


__all__ = [
    "SQLITE_HEADER",
    "broken_references",
    "discard_files",
    "integrity_problems",
    "keep_previous",
    "open_backup_copy",
    "replace_unreadable",
    "scratch_path",
    "write_backup",
    "write_into",
]
