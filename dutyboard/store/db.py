"""The connection: which database, opened how, migrated, and written one operation at a time.

Several engineers' sessions (SSH logins on one host, each its own process) share one SQLite
file, or a PostgreSQL server. So every connection gets the pragmas that make sharing work
(WAL, a busy timeout), every write runs in a transaction that takes the write lock up front
(`BEGIN IMMEDIATE` on SQLite: a deferred one fails with "database is locked" at once), short
waits are retried, and migrations are serialised across processes by a lock.
"""

from __future__ import annotations

import fcntl
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from peewee import Database, DatabaseError, DatabaseProxy, SqliteDatabase
from playhouse import db_url  # type: ignore[import-untyped]
from playhouse.pool import (  # type: ignore[import-untyped]
    PooledDatabase,
    PooledPostgresqlDatabase,
)

from dutyboard import locations
from dutyboard.i18n import _

T = TypeVar("T")

#: Every model binds to this; `open_database` points it at the real database.
database = DatabaseProxy()

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
#: Applied to every new SQLite connection: WAL so readers never block the writer and a crash
#: loses no committed write, foreign keys enforced, a page cache of about 64 MB, and
#: synchronous=NORMAL (safe with WAL: a power cut may lose the last commits, never the database).
SQLITE_PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "cache_size": -64000,
    "synchronous": 1,
}
#: Seconds SQLite waits for another process's write lock before reporting "database is locked".
BUSY_TIMEOUT = 10.0
#: Seconds `run_write` keeps retrying a busy database before giving up with StoreBusy.
WRITE_BOUND = 30.0
#: Overrides WRITE_BOUND (seconds) for one process: impatient scripts and the locking tests.
BOUND_VARIABLE = "DUTYBOARD_BUSY_TIMEOUT"
#: The PostgreSQL channel every committed write notifies (payload: the schema); ChangeWatcher
#: (dutyboard.store.watch) listens on it.
NOTIFY_CHANNEL = "dutyboard"
#: Seconds a process waits for another one's migration before giving up.
MIGRATE_BOUND = 120.0
#: Database, WAL and lock files: read and write for the owner and the duty group, none for others.
FILE_MODE = 0o660
DIR_MODE = 0o770
#: The PostgreSQL pool: connections per process, seconds before an idle one is recycled,
#: seconds to wait for a free one.
PG_POOL: dict[str, Any] = {"max_connections": 32, "stale_timeout": 300, "timeout": 10}
PG_CONNECT_TIMEOUT = 10
PG_SCHEMES = ("postgres", "postgresql", "postgres+pool", "postgresql+pool")
#: SQLSTATEs worth retrying: serialization failure, deadlock, lock not available.
PG_RETRY_CODES = ("40001", "40P01", "55P03")
_SQLITE_BUSY_TEXT = ("database is locked", "database table is locked", "database is busy")


class StoreError(Exception):
    """The database cannot do what was asked; `message` says what and where, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(StoreError):
    """The database cannot be opened or reached (a directory, not SQLite, the server refuses)."""


class StoreBusy(StoreError):
    """Other sessions held the database longer than we are willing to wait; nothing was changed."""


class SchemaTooNew(StoreError):
    """The database was migrated by a newer dutyboard than this one."""


class BadTarget(StoreError):
    """A file or database the user named cannot serve what was asked; nothing was changed."""


class CopyFailed(StoreError):
    """A copy of the board did not come out whole, so it was not kept."""


# ---------------------------------------------------------------- PostgreSQL pool


class _ThreadAwarePool(PooledPostgresqlDatabase):  # type: ignore[misc]
    """A pool that takes back connections whose thread ended without closing them.

    Peewee keeps one connection per thread until that thread calls close(); the dashboard runs
    its database work in short-lived thread workers, which would otherwise exhaust the pool.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._owners: dict[int, weakref.ref[threading.Thread]] = {}
        super().__init__(*args, **kwargs)

    def _connect(self) -> Any:
        with self._pool_lock:
            self._reclaim_orphans()
            conn = super()._connect()
            self._owners[self.conn_key(conn)] = weakref.ref(threading.current_thread())
            return conn

    def _reclaim_orphans(self) -> None:
        for key, owner in list(self._owners.items()):
            in_use = self._in_use.get(key)
            if in_use is None:
                del self._owners[key]
                continue
            thread = owner()
            if thread is None or not thread.is_alive():
                del self._in_use[key]
                del self._owners[key]
                self._close_raw(in_use.connection)


# ---------------------------------------------------------------- where


def resolve_target(target: str | None) -> tuple[str, str]:
    """("sqlite", path) or ("postgres", url): --db, else DUTYBOARD_DB, else the XDG default."""
    text = (target or "").strip() or os.environ.get("DUTYBOARD_DB", "").strip()
    if not text:
        return "sqlite", str(locations.default_db_path())
    if "://" not in text:
        return "sqlite", os.path.expanduser(text)
    scheme, rest = text.split("://", 1)
    scheme = scheme.lower()
    if scheme in PG_SCHEMES:
        return "postgres", text
    if scheme == "sqlite":
        path = rest.split("?", 1)[0]
        path = path.removeprefix("/")
        if path:
            return "sqlite", os.path.expanduser(path)
    raise StoreUnavailable(
        _(
            "{target} is not a database dutyboard can use: give a file path, "
            "sqlite:///path/to/file.db or postgresql://user@host/dbname"
        ).format(target=text)
    )


def describe(db: Database | None = None) -> str:
    """Where a database is, for messages: its file, or its server without any password."""
    db = db if db is not None else database.obj
    if db is None:
        return "?"
    if isinstance(db, SqliteDatabase):
        return str(db.database)
    params = getattr(db, "connect_params", {})
    host = params.get("host") or "localhost"
    port = params.get("port") or 5432
    user = params.get("user")
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{db.database}"


def is_sqlite(db: Database | None = None) -> bool:
    """Whether the (open) database is SQLite rather than PostgreSQL."""
    return isinstance(db if db is not None else database.obj, SqliteDatabase)


# ---------------------------------------------------------------- errors


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error peewee wrapped, and their causes."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo.extend(a for a in item.args if isinstance(a, BaseException))
        todo.extend([item.__cause__, item.__context__])


def is_busy_error(error: BaseException) -> bool:
    """Whether an error means "someone else holds the lock; try again shortly"."""
    for item in _chain(error):
        if getattr(item, "pgcode", None) in PG_RETRY_CODES:
            return True
        if isinstance(item, (sqlite3.OperationalError, DatabaseError)):
            text = str(item).lower()
            if any(busy in text for busy in _SQLITE_BUSY_TEXT):
                return True
    return False


def _reason(error: BaseException) -> str:
    """The first line of the driver's message."""
    text = str(error).strip()
    return text.splitlines()[0].strip() if text else type(error).__name__


def _unavailable(error: BaseException, where: str) -> StoreError:
    """The StoreError that says in plain words why a database cannot be used."""
    if is_busy_error(error):
        return StoreBusy(
            _("The database {where} is busy (another session holds it); try again").format(
                where=where
            )
        )
    text = str(error).lower()
    if "not a database" in text or "file is encrypted" in text:
        return StoreUnavailable(
            _("Cannot open the database {where}: the file is not a SQLite database").format(
                where=where
            )
        )
    if "readonly database" in text or "read-only" in text:
        return StoreUnavailable(
            _(
                "The database {where} is read-only for you: ask for write access to the file "
                "and its directory"
            ).format(where=where)
        )
    return StoreUnavailable(
        _("Cannot open the database {where}: {reason}").format(where=where, reason=_reason(error))
    )


# ---------------------------------------------------------------- opening


def _prepare_sqlite_file(path: Path) -> None:
    """Make the directory, refuse a directory, and create a new file for owner and group only."""
    if path.is_dir():
        raise StoreUnavailable(
            _("Cannot open the database {where}: it is a directory, not a database file").format(
                where=path
            )
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    except OSError as error:
        raise StoreUnavailable(
            _("Cannot create the directory {dir} for the database: {reason}").format(
                dir=path.parent, reason=error.strerror or error
            )
        ) from None
    if path.exists():
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    except OSError as error:
        raise StoreUnavailable(
            _("Cannot create the database {where}: {reason}").format(
                where=path, reason=error.strerror or error
            )
        ) from None
    try:
        # The mode given to open() is cut by the umask; SQLite gives -wal and -shm this mode.
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


@contextmanager
def _file_lock(path: Path, bound: float | None = None) -> Iterator[None]:
    """Hold `<db>.lock` exclusively (flock), so one process at a time creates or migrates."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except PermissionError:
        try:
            fd = os.open(lock_path, os.O_RDONLY)
        except OSError as error:
            raise StoreUnavailable(
                _("Cannot use the lock file {path}: {reason}").format(
                    path=lock_path, reason=error.strerror or error
                )
            ) from None
    except OSError as error:
        raise StoreUnavailable(
            _("Cannot use the lock file {path}: {reason}").format(
                path=lock_path, reason=error.strerror or error
            )
        ) from None
    try:
        with suppress(OSError):  # someone else's file: its mode is theirs to set
            os.fchmod(fd, FILE_MODE)
        deadline = time.monotonic() + (MIGRATE_BOUND if bound is None else bound)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        _(
                            "Another dutyboard is still preparing the database {where}; try again"
                        ).format(where=path)
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _sqlite_database(path: str) -> SqliteDatabase:
    # A shorter write bound (DUTYBOARD_BUSY_TIMEOUT) also shortens SQLite's own wait.
    return SqliteDatabase(
        path,
        pragmas=dict(SQLITE_PRAGMAS),
        timeout=min(BUSY_TIMEOUT, write_bound()),
        lock_type="IMMEDIATE",
    )


def _postgres_database(url: str) -> PooledPostgresqlDatabase:
    params = db_url.parse(url, unquote_password=True, unquote_user=True)
    if not params.get("database"):
        raise StoreUnavailable(
            _("{target} names no database (postgresql://user@host/dbname)").format(
                target=url.split("@")[-1]
            )
        )
    params.setdefault("connect_timeout", PG_CONNECT_TIMEOUT)
    for key, value in PG_POOL.items():
        params.setdefault(key, value)
    name = params.pop("database")
    return _ThreadAwarePool(name, **params)


def _connect(db: Database) -> None:
    """Open this thread's connection now, so a bad target fails here with a clear message."""
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchone()
    except StoreError:
        raise
    except Exception as error:  # noqa: BLE001 - any driver failure becomes a plain message
        _discard(db)
        raise _unavailable(error, describe(db)) from None


def _discard(db: Database) -> None:
    """Close a database without minding an open transaction or a broken connection."""
    try:
        if db.in_transaction():
            with suppress(Exception):  # the connection may be gone already
                db.rollback()
            while db.transaction_depth():
                db.pop_transaction()
        if isinstance(db, PooledDatabase):
            db.close_all()
        elif not db.is_closed():
            db.close()
    except Exception:  # noqa: BLE001 - closing must never fail the caller
        db.dispose()


def open_database(target: str | None = None) -> Database:
    """Open the database named by --db (a path, sqlite:///path or postgresql://...), migrate it.

    Without a target: DUTYBOARD_DB, else ~/.local/share/dutyboard/dutyboard.db. The models'
    proxy points at the result, which is also returned.
    """
    close_database()
    kind, where = resolve_target(target)
    if kind == "postgres":
        db: Database = _postgres_database(where)
        _connect(db)
        database.initialize(db)
        try:
            migrate(db)
        except BaseException:
            close_database()
            raise
        return db
    if where == ":memory:":
        db = _sqlite_database(where)
        _connect(db)
        database.initialize(db)
        _migrate_locked(db, None)
        return db
    path = Path(where)
    _prepare_sqlite_file(path)
    if path.exists() and path.stat().st_size > 0:
        db = _sqlite_database(str(path))
        try:
            _connect(db)
            current = _schema_current(db)
        except BaseException:
            _discard(db)
            raise
        if current:
            database.initialize(db)
            return db
        _discard(db)
    with _file_lock(path):
        db = _sqlite_database(str(path))
        _connect(db)
        database.initialize(db)
        try:
            _migrate_guarded(db, None)
        except BaseException:
            close_database()
            raise
    return db


def close_database() -> None:
    """Close this thread's connection (the whole pool on PostgreSQL) and unbind the models."""
    db = database.obj
    if db is None:
        return
    _discard(db)
    database.initialize(None)


# ---------------------------------------------------------------- migrations


def _migration_files() -> set[str]:
    return {
        name[:-3]
        for name in os.listdir(MIGRATIONS_DIR)
        if name.endswith(".py") and name[:4].isdigit()
    }


def _schema_current(db: Database) -> bool:
    """True when every migration is recorded and no other: the common start needs no lock.

    This keeps `dutyboard ticket show` fast; anything unusual goes the locked way.
    """
    try:
        rows = db.execute_sql("SELECT name FROM schema_migration").fetchall()
    except DatabaseError:  # no history table yet: a new board, or one being made right now
        return False
    return {row[0] for row in rows} == _migration_files()


def _migrate_locked(db: Database, schema: str | None) -> list[str]:
    """Apply pending migrations; the caller holds the migration lock."""
    from playhouse.migrations import Runner  # type: ignore[import-untyped]  # only when needed

    runner = Runner(db, str(MIGRATIONS_DIR), schema=schema)
    unknown = sorted(m.name for m in runner.status() if m.path is None)
    if unknown:
        raise SchemaTooNew(
            _(
                "The database {where} was prepared by a newer dutyboard (it has migrations this "
                "version does not know: {names}); upgrade dutyboard"
            ).format(where=describe(db), names=", ".join(unknown))
        )
    applied: list[str] = runner.up()
    return applied


def _migrate_guarded(db: Database, schema: str | None) -> list[str]:
    """`_migrate_locked` with driver errors turned into plain StoreErrors."""
    try:
        return _migrate_locked(db, schema)
    except StoreError:
        raise
    except DatabaseError as error:
        raise _unavailable(error, describe(db)) from None


def migrate(db: Database | None = None) -> list[str]:
    """Bring the schema up to date, once even when several processes start together.

    SQLite: under an exclusive lock on `<db>.lock`; PostgreSQL: under a transaction-scoped
    advisory lock named after the schema. Returns the names of the migrations applied now.
    """
    db = db if db is not None else database.obj
    if db is None:
        raise StoreUnavailable(_("No database is open"))
    if isinstance(db, SqliteDatabase):
        if db.database == ":memory:":
            return _migrate_guarded(db, None)
        with _file_lock(Path(db.database)):
            return _migrate_guarded(db, None)
    try:
        with db.atomic():
            row = db.execute_sql("SELECT current_schema()").fetchone()
            schema = row[0] if row else None
            if schema is None:
                raise StoreUnavailable(
                    _("The database {where} has no schema to work in (check search_path)").format(
                        where=describe(db)
                    )
                )
            db.execute_sql(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", ("dutyboard.migrate." + schema,)
            )
            return _migrate_locked(db, schema)
    except StoreError:
        raise
    except DatabaseError as error:
        raise _unavailable(error, describe(db)) from None


# ---------------------------------------------------------------- writing


def write_bound() -> float:
    """Seconds to keep retrying a busy database: DUTYBOARD_BUSY_TIMEOUT if set, else WRITE_BOUND."""
    text = os.environ.get(BOUND_VARIABLE, "").strip()
    if not text:
        return WRITE_BOUND
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 86400:
        raise StoreError(
            _("{name} must be a number of seconds, not {value!r}").format(
                name=BOUND_VARIABLE, value=text
            )
        )
    return value


@contextmanager
def _postgres_write() -> Iterator[Any]:
    """A PostgreSQL write transaction whose lock waits end within the bound, and that notifies."""
    with database.atomic() as transaction:
        # A lock wait ends with SQLSTATE 55P03 at the bound, which run_write treats as busy.
        database.execute_sql(f"SET LOCAL lock_timeout = '{int(write_bound() * 1000)}ms'")
        yield transaction
        # Wake every ChangeWatcher (LISTEN dutyboard), so other screens show the change at once.
        # PostgreSQL holds a NOTIFY sent inside a transaction until the commit, and drops it on
        # a rollback.
        database.execute_sql("SELECT pg_notify(%s, current_schema())", (NOTIFY_CHANNEL,))


def write_transaction() -> AbstractContextManager[Any]:
    """One user operation's transaction, holding the write lock from its first statement."""
    if is_sqlite():
        return database.atomic("IMMEDIATE")
    return _postgres_write()


def run_write(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call fn in a write transaction; retry while others hold the lock, up to WRITE_BOUND s.

    fn must only touch the database (it may run more than once). Inside an open transaction
    it runs in a savepoint instead, and the outer transaction owns the retrying.
    """
    if database.in_transaction():
        with database.atomic():
            return fn(*args, **kwargs)
    bound = write_bound()
    deadline = time.monotonic() + bound
    pause = 0.02
    while True:
        try:
            with write_transaction():
                return fn(*args, **kwargs)
        except StoreError:
            raise
        except Exception as error:
            if not is_busy_error(error):
                if isinstance(error, DatabaseError) and "readonly database" in str(error).lower():
                    raise _unavailable(error, describe()) from None
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreBusy(
                    _(
                        "The database {where} is busy: other sessions kept it locked for more "
                        "than {seconds:g} seconds. Nothing was changed; try again."
                    ).format(where=describe(), seconds=bound)
                ) from None
            time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
            pause = min(pause * 2, 1.0)


# ---------------------------------------------------------------- watching and upkeep


def change_marker() -> int:
    """A number that grows whenever anyone wrote anything (every write appends an event)."""
    row = database.execute_sql("SELECT max(id) FROM event").fetchone()
    return int(row[0] or 0) if row else 0


def data_version() -> int | None:
    """SQLite's PRAGMA data_version: changes when another connection commits (None on PG).

    Compare values read on the same connection (the same thread) only.
    """
    db = database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    return int(db.pragma("data_version"))


def checkpoint() -> tuple[int, int, int] | None:
    """Fold the WAL back into the database and truncate it (SQLite); None on PostgreSQL.

    Returns SQLite's (busy, wal pages, pages checkpointed). Long-lived readers keep the WAL
    growing, so a writer calls this now and then; it waits only briefly for readers, since
    while it waits it holds the write lock.
    """
    db = database.obj
    if not isinstance(db, SqliteDatabase) or db.database == ":memory:":
        return None
    db.execute_sql("PRAGMA busy_timeout = 100")
    try:
        row = db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    return (int(row[0]), int(row[1]), int(row[2])) if row else None


def backend() -> str:
    """The backend's name, sqlite or postgres, for the few places that must tell them apart."""
    return "sqlite" if is_sqlite() else "postgres"


__all__ = [
    "BUSY_TIMEOUT",
    "NOTIFY_CHANNEL",
    "WRITE_BOUND",
    "BadTarget",
    "CopyFailed",
    "SchemaTooNew",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "backend",
    "change_marker",
    "checkpoint",
    "close_database",
    "data_version",
    "database",
    "describe",
    "is_busy_error",
    "is_sqlite",
    "migrate",
    "open_database",
    "resolve_target",
    "run_write",
    "write_bound",
    "write_transaction",
]
