"""Knowing, within a second, that another session changed the board, without re-reading it.

A dashboard keeps a `ChangeWatcher` on its own connection and reloads only when `wait()`
says someone committed. On SQLite it polls `PRAGMA data_version` (which moves when any other
connection commits) every POLL_SECONDS; on PostgreSQL it LISTENs on the channel every write
transaction notifies at commit (`dutyboard.store.db.write_transaction`), and sleeps in
select() on the connection's socket until a notification arrives.
"""

from __future__ import annotations

import select
import sqlite3
import time
from contextlib import suppress
from pathlib import Path
from typing import Any, Self

from playhouse import db_url  # type: ignore[import-untyped]

from dutyboard.i18n import _
from dutyboard.store import db as store

#: How often the SQLite watcher looks at data_version: cheap (no table is read), and well
#: inside the one second within which a change must reach every screen.
POLL_SECONDS = 0.15
#: URL parameters that configure our pool, not the PostgreSQL connection itself.
_POOL_KEYS = ("max_connections", "stale_timeout", "timeout", "timeout_seconds")


class ChangeWatcher:
    """Wakes when anyone commits a change to the board at `db_target` (a path or a URL).

    Not thread-safe: keep one per thread (the dashboard's polling worker).
    """

    def __init__(self, db_target: str | None = None, poll_seconds: float = POLL_SECONDS) -> None:
        self.kind, self.where = store.resolve_target(db_target)
        self.poll_seconds = poll_seconds
        self._conn: Any = None
        self._version: int | None = None
        self._schema: str | None = None
        self._connect()

    # ------------------------------------------------------------ public

    def wait(self, timeout: float) -> bool:
        """True as soon as anyone committed since the last call (or creation); False at timeout."""
        deadline = time.monotonic() + max(0.0, timeout)
        if self.kind == "sqlite":
            return self._wait_sqlite(deadline)
        return self._wait_postgres(deadline)

    def marker(self) -> int:
        """The board's change marker (the newest event id), read on the watcher's connection."""
        if self._conn is None:
            self._connect()
        if self.kind == "sqlite":
            row = self._conn.execute("SELECT max(id) FROM event").fetchone()
        else:
            with self._conn.cursor() as cursor:
                cursor.execute("SELECT max(id) FROM event")
                row = cursor.fetchone()
        return int(row[0] or 0) if row else 0

    def close(self) -> None:
        """Let go of the connection."""
        if self._conn is not None:
            with suppress(Exception):  # closing a broken connection must not fail
                self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ connecting

    def _connect(self) -> None:
        try:
            if self.kind == "sqlite":
                self._connect_sqlite()
            else:
                self._connect_postgres()
        except store.StoreError:
            raise
        except Exception as error:  # noqa: BLE001 - any driver failure becomes a plain message
            self.close()
            raise store._unavailable(error, self._describe()) from None

    def _describe(self) -> str:
        if self.kind == "sqlite":
            return self.where
        return self.where.split("@")[-1].split("?")[0]

    def _connect_sqlite(self) -> None:
        path = Path(self.where)
        if not path.is_file():
            raise store.StoreUnavailable(
                _("Cannot watch the database {where}: there is no such file").format(where=path)
            )
        # mode=rw: never create a file here (its mode would not be ours to choose).
        uri = "file:" + str(path.resolve()) + "?mode=rw"
        conn = sqlite3.connect(
            uri, uri=True, timeout=1.0, isolation_level=None, check_same_thread=False
        )
        self._conn = conn
        self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _connect_postgres(self) -> None:
        import psycopg2

        params = db_url.parse(self.where, unquote_password=True, unquote_user=True)
        for key in _POOL_KEYS:
            params.pop(key, None)
        params.setdefault("connect_timeout", store.PG_CONNECT_TIMEOUT)
        dbname = params.pop("database", None)
        conn = psycopg2.connect(dbname=dbname, **params)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            row = cursor.fetchone()
            self._schema = row[0] if row else None
            cursor.execute(f"LISTEN {store.NOTIFY_CHANNEL}")
        self._conn = conn

    # ------------------------------------------------------------ waiting

    def _wait_sqlite(self, deadline: float) -> bool:
        while True:
            try:
                if self._conn is None:
                    self._connect()
                    return True  # we were away: anything may have changed meanwhile
                version = self._data_version()
            except sqlite3.Error:
                self.close()  # the file went away or was replaced: reconnect next time round
                version = None
            if version is not None and version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.poll_seconds, left))

    def _wait_postgres(self, deadline: float) -> bool:
        while True:
            if self._conn is None:
                try:
                    self._connect()
                except store.StoreError:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    time.sleep(min(1.0, left))
                    continue
                return True  # we were away: anything may have changed meanwhile
            if self._drain():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                select.select([self._conn], [], [], left)
            except (OSError, ValueError):
                self.close()

    def _drain(self) -> bool:
        """Read what the server sent; True when a notification for our schema came."""
        import psycopg2

        try:
            self._conn.poll()
        except psycopg2.Error:
            self.close()
            return False
        found = False
        while self._conn.notifies:
            note = self._conn.notifies.pop(0)
            # Boards in other schemas of the same database notify on the same channel.
            if not note.payload or self._schema is None or note.payload == self._schema:
                found = True
        return found


__all__ = ["POLL_SECONDS", "ChangeWatcher"]
