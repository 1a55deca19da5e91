"""Keeping the board safe: backups while others work, checked restores, checks, and the move to PostgreSQL.

- `backup` copies a consistent snapshot while others keep writing: SQLite's online backup, or,
  from a PostgreSQL board, every table into a new SQLite file (the same copy as `migrate_to`).
- `restore` copies the file aside, checks the copy (a dutyboard database, pages intact, known
  migrations, every ticket matching its events) and only then writes it into the board through
  SQLite's backup API, so sessions that have the board open see the new contents at once.
- `check` verifies pages and foreign keys, and that every ticket row is the replay of its
  events and every escalation has its event.
- `migrate_to` copies a SQLite board into an empty PostgreSQL database in one transaction.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee
from peewee import AutoField, Database, Model, SqliteDatabase

from dutyboard.config import Config
from dutyboard.domain import ticket as rules
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board, program_clock
from dutyboard.service.errors import BadInput, NotFound, ServiceError
from dutyboard.service.tickets import fact_of, lifecycle_events, repeat_count, state_columns
from dutyboard.store import db as store
from dutyboard.store.models import (
    BaseModel,
    CalendarOverride,
    Escalation,
    Event,
    FaultReport,
    Ticket,
)

SQLITE_HEADER = b"SQLite format 3\x00"
#: Tables the store keeps for itself, not copied row by row.
BOOKKEEPING_TABLES = frozenset({"schema_migration", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})
#: Columns the calendar decides: a calendar set after a ticket closed may move them on replay.
CALENDAR_COLUMNS = frozenset(
    f"{clock}_{part}" for clock in ("respond", "arrive", "restore", "report", "update")
    for part in ("start", "due", "warn")
)
#: Problems listed in a refusal message before "and N more".
SHOWN_PROBLEMS = 5


class AdminError(ServiceError):
    """The board or a file is in a state the operation cannot work with (exit status 1)."""


# ---------------------------------------------------------------- models and tables


def all_models() -> list[type[Model]]:
    """Every table's model, parents before children (the order rows can be inserted in)."""
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


def _table_names(db: Database) -> set[str]:
    return {name for name in db.get_tables() if name not in BOOKKEEPING_TABLES}


@contextmanager
def _snapshot(db: Database) -> Iterator[None]:
    """A read transaction that sees one moment of the board while others keep writing."""
    if isinstance(db, SqliteDatabase):
        with db.atomic("DEFERRED"):
            yield
    else:
        with db.atomic(isolation_level="REPEATABLE READ"):
            yield


def _private_file(path: Path) -> None:
    """Create an empty file readable and writable by the owner and the group only."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, store.FILE_MODE)
    except FileNotFoundError:
        raise BadInput(
            _("Cannot write {file}: the directory {dir} does not exist").format(
                file=path, dir=path.parent
            )
        ) from None
    except OSError as error:
        raise BadInput(
            _("Cannot write {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None
    try:
        os.fchmod(fd, store.FILE_MODE)  # open()'s mode is cut by the umask
    finally:
        os.close(fd)


def _unlink_quietly(*paths: Path) -> None:
    for path in paths:
        with suppress(OSError):
            path.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _scratch(beside: Path, label: str) -> Path:
    return beside.with_name(f".{beside.name}.{label}-{os.getpid()}")


def _sqlite_file_target(path: Path) -> SqliteDatabase:
    """A peewee database on a private scratch file, migrated to this version's schema."""
    db = SqliteDatabase(str(path), pragmas={"foreign_keys": 1, "journal_mode": "delete"})
    store._connect(db)
    store._migrate_guarded(db, None)
    return db


# ---------------------------------------------------------------- copying every table


def copy_tables(source: Database, target: Database) -> dict[str, int]:
    """Copy every row of every table, ids kept, from source into an empty target.

    The caller holds a snapshot on the source and one transaction on the target; returns the
    number of rows copied per table.
    """
    models = all_models()
    known = {m._meta.table_name for m in models}
    for name in sorted(_table_names(source) - known):
        rows = source.execute_sql(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        if rows:
            raise AdminError(
                _(
                    "The board has a table {table} this version of dutyboard does not know; "
                    "upgrade dutyboard before copying the board"
                ).format(table=name)
            )
    copied: dict[str, int] = {}
    for model in models:
        fields = list(model._meta.sorted_fields)
        batch_rows = max(1, 4000 // len(fields))
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


def _row_counts(db: Database) -> dict[str, int]:
    return {m._meta.table_name: m.select().count(db) for m in all_models()}


def _fix_sequences(db: Database) -> None:
    """After explicit ids, PostgreSQL's sequences must continue past the largest one."""
    for model in all_models():
        pk = model._meta.primary_key
        if not isinstance(pk, AutoField):
            continue
        table, column = model._meta.table_name, pk.column_name
        db.execute_sql(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), '
            f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
            (table, column),
        )


def _verify_counts(expected: dict[str, int], db: Database) -> None:
    found = _row_counts(db)
    wrong = {t: (n, found.get(t)) for t, n in expected.items() if found.get(t) != n}
    if wrong:
        raise AdminError(
            _("The copy is incomplete ({tables}); nothing was kept").format(
                tables=", ".join(f"{t}: {a} → {b}" for t, (a, b) in sorted(wrong.items()))
            )
        )


# ---------------------------------------------------------------- migrate to PostgreSQL


@dataclass(frozen=True)
class CopyResult:
    """Where a board was copied to and how many rows of each table."""

    where: str
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"to": self.where, "counts": dict(self.counts)}


def migrate_to(board: Board, url: str) -> CopyResult:
    """Copy this SQLite board into an empty PostgreSQL database, ids kept, in one transaction."""
    if not store.is_sqlite(board.db):
        raise BadInput(
            _("This board is already on PostgreSQL ({where}); migrate copies a SQLite board").format(
                where=store.describe(board.db)
            )
        )
    try:
        kind, where = store._resolve_target(url)
    except store.StoreUnavailable as error:
        raise BadInput(error.message) from None
    if kind != "postgres":
        raise BadInput(
            _("migrate --to needs a PostgreSQL URL (postgresql://user@host/dbname), not {target}").format(
                target=url
            )
        )
    require(board, "manager")
    target = store._postgres_database(where)
    try:
        store._connect(target)
        store.migrate(target)
        with target.atomic():
            tickets = Ticket.select().count(target)
            busy = [m._meta.table_name for m in all_models() if m.select().exists(target)]
            if busy:
                raise BadInput(
                    _(
                        "The database {where} is not empty (it has {tickets} tickets, and rows in "
                        "{tables}); migrate only into an empty database"
                    ).format(where=store.describe(target), tickets=tickets, tables=", ".join(busy))
                )
            with _snapshot(board.db):
                counts = copy_tables(board.db, target)
            _fix_sequences(target)
            _verify_counts(counts, target)
        _verify_counts(counts, target)
        return CopyResult(store.describe(target), counts)
    except store.StoreError:
        raise
    except ServiceError:
        raise
    except Exception as error:  # noqa: BLE001 - a driver failure becomes a plain message
        raise store._unavailable(error, store.describe(target)) from None
    finally:
        store._discard(target)


# ---------------------------------------------------------------- backup


@dataclass(frozen=True)
class BackupResult:
    """The backup file written and what it holds."""

    path: str
    tickets: int
    events: int
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.path, "tickets": self.tickets, "events": self.events, "bytes": self.size}


def _board_path(board: Board) -> Path | None:
    db = board.db
    if isinstance(db, SqliteDatabase) and db.database != ":memory:":
        return Path(db.database).resolve()
    return None


def backup(board: Board, file: str, replace: bool = False) -> BackupResult:
    """Write a consistent copy of the board to `file` (mode 0660) while others keep working."""
    dest = Path(file).expanduser().absolute()
    if dest.is_dir():
        raise BadInput(_("{file} is a directory; name the backup file").format(file=dest))
    if dest.exists() and not replace:
        raise BadInput(
            _("{file} exists already; name a new file (or give --replace)").format(file=dest)
        )
    if _board_path(board) == dest.resolve():
        raise BadInput(_("{file} is the board itself; name another file").format(file=dest))
    scratch = _scratch(dest, "partial")
    _unlink_quietly(scratch)
    _private_file(scratch)
    try:
        if store.is_sqlite(board.db):
            _sqlite_backup(board, scratch)
        else:
            target = _sqlite_file_target(scratch)
            try:
                with target.atomic(), _snapshot(board.db):
                    counts = copy_tables(board.db, target)
                _verify_counts(counts, target)
            finally:
                target.close()
        tickets, events = _verify_file(scratch)
        _fsync(scratch)
        os.replace(scratch, dest)
    except BaseException:
        _unlink_quietly(scratch, scratch.with_name(scratch.name + "-journal"))
        raise
    return BackupResult(str(dest), tickets, events, dest.stat().st_size)


def _sqlite_backup(board: Board, scratch: Path) -> None:
    """SQLite's online backup: one step, so one snapshot, while writers go on (WAL)."""
    source = board.db.connection()
    copy = sqlite3.connect(str(scratch))
    try:
        source.backup(copy)
        # A self-contained file: no -wal beside it to lose when it is copied elsewhere.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _verify_file(path: Path) -> tuple[int, int]:
    """Pages intact; returns (tickets, events) held."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if rows != ["ok"]:
            raise AdminError(
                _("The copy written to {file} did not verify ({detail}); it was not kept").format(
                    file=path, detail="; ".join(map(str, rows[:3]))
                )
            )
        tickets = conn.execute("SELECT count(*) FROM ticket").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
        return int(tickets), int(events)
    finally:
        conn.close()


# ---------------------------------------------------------------- check


@dataclass(frozen=True)
class Problem:
    """One thing found wrong, in plain words."""

    kind: str
    message: str
    ticket: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "ticket": self.ticket, "message": self.message}


@dataclass
class CheckReport:
    """What `dutyboard check` found: counts of what was looked at and every problem."""

    where: str
    backend: str
    tickets: int = 0
    events: int = 0
    escalations: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, message: str, ticket: int | None = None) -> None:
        self.problems.append(Problem(kind, message, ticket))

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "database": self.where,
            "backend": self.backend,
            "tickets": self.tickets,
            "events": self.events,
            "escalations": self.escalations,
            "problems": [p.to_json() for p in self.problems],
        }

    def brief(self) -> str:
        """The first problems on one line each, for a refusal message."""
        lines = [p.message for p in self.problems[:SHOWN_PROBLEMS]]
        more = len(self.problems) - SHOWN_PROBLEMS
        if more > 0:
            lines.append(_("… and {n} more").format(n=more))
        return "\n".join("  - " + line for line in lines)


def check(board: Board) -> CheckReport:
    """Integrity and consistency of the open board: every ticket row is the replay of its events."""
    return _check(board.db, board.cals)


def _check(db: Database, cals: rules.Calendars) -> CheckReport:
    sqlite = isinstance(db, SqliteDatabase)
    report = CheckReport(store.describe(db), "sqlite" if sqlite else "postgres")
    if sqlite:
        rows = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            for detail in rows[:20]:
                report.add(
                    "integrity",
                    _("The database file is damaged: {detail}").format(detail=detail),
                )
            return report  # nothing read from damaged pages can be trusted
        for table, rowid, parent, _fk in db.execute_sql("PRAGMA foreign_key_check").fetchall():
            report.add(
                "foreign_key",
                _("Row {rowid} of {table} points to a missing row of {parent}").format(
                    rowid=rowid, table=table, parent=parent
                ),
            )
    with _snapshot(db):
        _check_tickets(db, cals, report)
    return report


def _check_tickets(db: Database, cals: rules.Calendars, report: CheckReport) -> None:
    tickets = {t.id: t for t in Ticket.select().order_by(Ticket.id).execute(db)}
    events_by_ticket: dict[int, list[Event]] = defaultdict(list)
    calendar_changes: list[datetime] = []
    report.tickets = len(tickets)
    for event in Event.select().order_by(Event.id).execute(db):
        report.events += 1
        ticket_id = event.ticket_id
        if ticket_id is None:
            if event.kind == "calendar_set":
                calendar_changes.append(event.recorded_at)
            continue
        if ticket_id not in tickets:
            report.add(
                "orphan_event",
                _("Event {event} ({kind}) belongs to ticket {id}, which does not exist").format(
                    event=event.id, kind=event.kind, id=ticket_id
                ),
                ticket_id,
            )
            continue
        events_by_ticket[ticket_id].append(event)

    expected_escalations: Counter[tuple[Any, ...]] = Counter()
    reported: set[int] = set()
    for ticket_id, row in tickets.items():
        events = events_by_ticket.get(ticket_id, [])
        facts = [fact_of(e) for e in lifecycle_events(events)]
        if not facts or facts[0].kind != "opened":
            report.add(
                "no_opening",
                _("Ticket {id} has no opening event in its audit trail (a half-written ticket)").format(
                    id=ticket_id
                ),
                ticket_id,
            )
            continue
        try:
            state = rules.replay(facts, cals)
        except Exception as error:  # noqa: BLE001 - any failure to replay is the finding
            report.add(
                "replay",
                _("Ticket {id}: its audit trail cannot be replayed ({error})").format(
                    id=ticket_id, error=error or type(error).__name__
                ),
                ticket_id,
            )
            continue
        columns = state_columns(state)
        columns["repeats"], columns["last_repeat_at"] = repeat_count(events)
        differ = sorted(name for name, value in columns.items() if getattr(row, name) != value)
        closed_at = row.closed_at if row.status == "closed" else None
        if differ and closed_at is not None and any(at >= closed_at for at in calendar_changes):
            # A calendar set after closing moves only open tickets' dates.
            differ = [name for name in differ if name not in CALENDAR_COLUMNS]
        if differ:
            report.add(
                "mismatch",
                _("Ticket {id}: the stored row does not match its audit trail ({fields})").format(
                    id=ticket_id, fields=", ".join(differ)
                ),
                ticket_id,
            )
        for fact in facts:
            key = _escalation_key(ticket_id, fact)
            if key is not None:
                expected_escalations[key] += 1
            if fact.kind == "reported":
                reported.add(ticket_id)

    recorded: Counter[tuple[Any, ...]] = Counter()
    for esc in Escalation.select().execute(db):
        report.escalations += 1
        recorded[(esc.ticket_id, esc.at, esc.from_level, esc.to_level, esc.kind)] += 1
    for key in sorted((recorded - expected_escalations).elements(), key=str):
        report.add(
            "escalation",
            _(
                "Ticket {id}: the escalation at {at} from level {from_level} to {to_level} has no "
                "event in the audit trail"
            ).format(id=key[0], at=key[1].isoformat(), from_level=key[2], to_level=key[3]),
            key[0],
        )
    for key in sorted((expected_escalations - recorded).elements(), key=str):
        report.add(
            "escalation",
            _(
                "Ticket {id}: the audit trail escalates it at {at} from level {from_level} to "
                "{to_level}, but no escalation was recorded"
            ).format(id=key[0], at=key[1].isoformat(), from_level=key[2], to_level=key[3]),
            key[0],
        )
    with_report = {r.ticket_id for r in FaultReport.select(FaultReport.ticket).execute(db)}
    for ticket_id in sorted(with_report - reported):
        report.add(
            "report",
            _("Ticket {id} has a fault analysis report but no event recording it").format(id=ticket_id),
            ticket_id,
        )
    for ticket_id in sorted(reported - with_report):
        if ticket_id in tickets:
            report.add(
                "report",
                _("Ticket {id}: its audit trail records a fault analysis report that is missing").format(
                    id=ticket_id
                ),
                ticket_id,
            )


def _escalation_key(ticket_id: int, fact: rules.Fact) -> tuple[Any, ...] | None:
    """The escalation row a fact records (as tickets._record_escalation writes it), if any."""
    if fact.kind == "escalated":
        kind = str(fact.data.get("kind", "auto"))
    elif fact.kind == "level" and fact.data["to_level"] < fact.data["from_level"]:
        kind = "manual"
    else:
        return None
    return (ticket_id, fact.at, fact.data["from_level"], fact.data["to_level"], kind)


# ---------------------------------------------------------------- restore


@dataclass(frozen=True)
class RestoreResult:
    """What was put back, and where the board as it was before is kept."""

    board: str
    source: str
    kept: str | None
    tickets: int
    events: int

    def to_json(self) -> dict[str, Any]:
        return {
            "board": self.board, "from": self.source, "previous_kept_as": self.kept,
            "tickets": self.tickets, "events": self.events,
        }


def board_file(target: str | None, config: Config) -> Path:
    """The SQLite file of the board named by --db, DUTYBOARD_DB or the config."""
    try:
        kind, where = store._resolve_target(target or config.db)
    except store.StoreUnavailable as error:
        raise BadInput(error.message) from None
    if kind != "sqlite" or where == ":memory:":
        raise BadInput(
            _(
                "restore puts a backup file back into a SQLite board; to move a backup onto "
                "PostgreSQL, copy it into an empty database with "
                "`dutyboard --db BACKUP-FILE migrate --to URL`"
            )
        )
    return Path(where).expanduser().absolute()


def inspect_backup(file: str | os.PathLike[str], scratch: Path, config: Config) -> CheckReport:
    """Copy a backup to `scratch` (mode 0660) and check the copy; raise when it cannot be used.

    Checked: a SQLite file, pages intact, a dutyboard database, no migrations unknown to this
    version (older ones are brought up to date in the copy), and every ticket matching its events.
    """
    source = Path(file).expanduser().absolute()
    if not source.is_file():
        raise NotFound(_("There is no backup file {file}").format(file=source))
    try:
        with source.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BadInput(
            _("Cannot read {file}: {reason}").format(file=source, reason=error.strerror or error)
        ) from None
    if header != SQLITE_HEADER:
        raise BadInput(
            _("{file} is not a dutyboard backup: it is not a SQLite database").format(file=source)
        )
    _unlink_quietly(scratch)
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
        raise BadInput(
            _("{file} is damaged and cannot be read ({reason}); nothing was restored").format(
                file=source, reason=error
            )
        ) from None
    db = SqliteDatabase(str(scratch), pragmas={"foreign_keys": 1})
    try:
        try:
            rows = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
        except Exception as error:  # noqa: BLE001 - a damaged file fails in many ways
            rows = [str(error)]
        if rows != ["ok"]:
            raise BadInput(
                _("{file} is damaged ({detail}); nothing was restored").format(
                    file=source, detail="; ".join(map(str, rows[:3]))
                )
            )
        tables = set(db.get_tables())
        missing = {"schema_migration", "ticket", "event"} - tables
        if missing:
            raise BadInput(
                _("{file} is not a dutyboard backup (it has no {tables} table)").format(
                    file=source, tables=", ".join(sorted(missing))
                )
            )
        try:
            store._migrate_guarded(db, None)
        except store.SchemaTooNew:
            raise BadInput(
                _(
                    "{file} was written by a newer dutyboard (it has migrations this version "
                    "does not know); upgrade dutyboard to restore it"
                ).format(file=source)
            ) from None
        with db.bind_ctx([CalendarOverride], bind_refs=False, bind_backrefs=False):
            checker = Board(db, config, "restore", config.zone, program_clock(config.zone))
        report = _check(db, checker.cals)
        report.where = str(source)
        if not report.ok:
            raise BadInput(
                _("{file} is not consistent, so nothing was restored:\n{problems}").format(
                    file=source, problems=report.brief()
                )
            )
        return report
    finally:
        db.close()


def restore(target: str | None, file: str, config: Config, actor: str | None = None) -> RestoreResult:
    """Put a checked backup back into the board; the board as it was is kept beside it.

    Nothing is changed unless the backup passes every check. Sessions that have the board open
    see the restored contents at once (it is written through SQLite, under its write lock).
    """
    path = board_file(target, config)
    source = Path(file).expanduser().absolute()
    if source.exists() and path.exists() and source.resolve() == path.resolve():
        raise BadInput(_("{file} is the board itself; name a backup file").format(file=source))
    if not path.parent.is_dir():
        raise BadInput(
            _("Cannot restore into {file}: the directory {dir} does not exist").format(
                file=path, dir=path.parent
            )
        )
    scratch = _scratch(path, "restoring")
    try:
        inspect_backup(source, scratch, config)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        try:
            board = Board.open(str(path), actor=actor, config=config)
        except store.StoreUnavailable:
            if not path.is_file():
                raise
            # The board itself is unreadable (not a database any more): nobody can be using it,
            # so the file is set aside and the checked copy takes its place.
            kept = _set_aside(path, stamp)
            os.replace(scratch, path)
            board = Board.open(str(path), actor=actor, config=config)
        else:
            try:
                require(board, "manager")
                kept = _keep_previous(board, path, stamp)
                _write_into(scratch, board)
                store.migrate()
            except BaseException:
                board.close()
                raise
        try:
            board.reload_calendar()
            _log_restore(board, source, kept)
            after = check(board)
            if not after.ok:
                raise AdminError(
                    _("The restored board does not check out:\n{problems}\nThe previous board is kept as {kept}").format(
                        problems=after.brief(), kept=kept
                    )
                )
            return RestoreResult(str(path), str(source), kept, after.tickets, after.events)
        finally:
            board.close()
    finally:
        _unlink_quietly(scratch, scratch.with_name(scratch.name + "-journal"))


def _free_name(base: Path) -> Path:
    candidate, n = base, 1
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


def _keep_previous(board: Board, path: Path, stamp: str) -> str:
    """A consistent copy of the board as it is now, beside it (mode 0660)."""
    kept = _free_name(path.with_name(f"{path.name}.before-restore-{stamp}"))
    _private_file(kept)
    try:
        _sqlite_backup(board, kept)
        _fsync(kept)
    except BaseException:
        _unlink_quietly(kept)
        raise
    return str(kept)


def _set_aside(path: Path, stamp: str) -> str:
    """Rename an unreadable board (and its -wal and -shm) out of the way."""
    kept = _free_name(path.with_name(f"{path.name}.before-restore-{stamp}"))
    os.replace(path, kept)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, kept.with_name(kept.name + suffix))
    return str(kept)


def _write_into(scratch: Path, board: Board) -> None:
    """Write the checked copy over the open board with SQLite's backup API, under its write lock."""
    copy = sqlite3.connect(f"file:{scratch}?mode=ro", uri=True)
    try:
        copy.backup(board.db.connection())
    except sqlite3.Error as error:
        raise store._unavailable(error, str(scratch)) from None
    finally:
        copy.close()


def _log_restore(board: Board, source: Path, kept: str | None) -> None:
    """Record the restore in the restored board's audit trail (it also wakes every dashboard)."""
    now = board.now()

    def write() -> None:
        board.record("board_restored", {"from": str(source), "previous_kept_as": kept}, at=now)

    store.run_write(write)


__all__ = [
    "AdminError",
    "BackupResult",
    "CheckReport",
    "CopyResult",
    "Problem",
    "RestoreResult",
    "all_models",
    "backup",
    "board_file",
    "check",
    "copy_tables",
    "inspect_backup",
    "migrate_to",
    "restore",
]
