"""Keeping the board safe: who may back it up, restore it or move it, and whether it checks out.

The file and table work is the store's (dutyboard.store.backups, dutyboard.store.copying);
this module decides what may be done, by whom, and what the board's contents must satisfy:

- `backup` writes a consistent snapshot while others keep working.
- `restore` checks a copy of the backup (every ticket matching its events) before anything is
  written into the board, keeps the board as it was beside it, and records the restore.
- `check` verifies pages and foreign keys, and that every ticket row is the replay of its
  events and every escalation has its event.
- `migrate_to` copies a SQLite board into an empty PostgreSQL database in one transaction.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import Database, SqliteDatabase

from dutyboard.config import Config
from dutyboard.domain import ticket as rules
from dutyboard.domain.policy import CLOCKS
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board, program_clock
from dutyboard.service.errors import BadInput, NotFound, ServiceError
from dutyboard.service.tickets import fact_of, lifecycle_events, repeat_count, state_columns
from dutyboard.store import backups, copying
from dutyboard.store import db as store
from dutyboard.store.models import CalendarOverride, Escalation, Event, FaultReport, Ticket

#: Columns the calendar decides: a calendar set after a ticket closed may move them on replay.
CALENDAR_COLUMNS = frozenset(
    f"{clock}_{part}" for clock in CLOCKS for part in ("start", "due", "warn")
)
#: Problems listed in a refusal message before "and N more".
SHOWN_PROBLEMS = 5


class AdminError(ServiceError):
    """The board or a file is in a state the operation cannot work with (exit status 1)."""


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
            _(
                "This board is already on PostgreSQL ({where}); migrate copies a SQLite board"
            ).format(where=store.describe(board.db))
        )
    try:
        kind, where = store.resolve_target(url)
    except store.StoreUnavailable as error:
        raise BadInput(error.message) from None
    if kind != "postgres":
        raise BadInput(
            _(
                "migrate --to needs a PostgreSQL URL (postgresql://user@host/dbname), not {target}"
            ).format(target=url)
        )
    require(board, "manager")
    try:
        copied_to, counts = copying.copy_to_postgres(board.db, where)
    except store.BadTarget as error:
        raise BadInput(error.message) from None
    return CopyResult(copied_to, counts)


# ---------------------------------------------------------------- backup


@dataclass(frozen=True)
class BackupResult:
    """The backup file written and what it holds."""

    path: str
    tickets: int
    events: int
    size: int

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "tickets": self.tickets,
            "events": self.events,
            "bytes": self.size,
        }


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
    try:
        tickets, events = backups.write_backup(board.db, dest)
    except store.BadTarget as error:
        raise BadInput(error.message) from None
    return BackupResult(str(dest), tickets, events, dest.stat().st_size)


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
    report = CheckReport(store.describe(db), "sqlite" if store.is_sqlite(db) else "postgres")
    damage = backups.integrity_problems(db)
    if damage:
        for detail in damage[:20]:
            report.add(
                "integrity", _("The database file is damaged: {detail}").format(detail=detail)
            )
        return report  # nothing read from damaged pages can be trusted
    for table, rowid, parent in backups.broken_references(db):
        report.add(
            "foreign_key",
            _("Row {rowid} of {table} points to a missing row of {parent}").format(
                rowid=rowid, table=table, parent=parent
            ),
        )
    with copying.snapshot(db):
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
                _(
                    "Ticket {id} has no opening event in its audit trail (a half-written ticket)"
                ).format(id=ticket_id),
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
            _("Ticket {id} has a fault analysis report but no event recording it").format(
                id=ticket_id
            ),
            ticket_id,
        )
    for ticket_id in sorted(reported - with_report):
        if ticket_id in tickets:
            report.add(
                "report",
                _(
                    "Ticket {id}: its audit trail records a fault analysis report that is missing"
                ).format(id=ticket_id),
                ticket_id,
            )


def _escalation_key(ticket_id: int, fact: rules.Fact) -> tuple[Any, ...] | None:
    """The escalation row a fact records (the domain decides which facts do), as a key."""
    record = rules.escalation_of(fact)
    if record is None:
        return None
    return (ticket_id, record.at, record.from_level, record.to_level, record.kind)


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
            "board": self.board,
            "from": self.source,
            "previous_kept_as": self.kept,
            "tickets": self.tickets,
            "events": self.events,
        }


def board_file(target: str | None, config: Config) -> Path:
    """The SQLite file of the board named by --db, DUTYBOARD_DB or the config."""
    try:
        kind, where = store.resolve_target(target or config.db)
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
        db = backups.open_backup_copy(source, scratch)
    except store.BadTarget as error:
        raise BadInput(error.message) from None
    try:
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


def restore(
    target: str | None, file: str, config: Config, actor: str | None = None
) -> RestoreResult:
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
    scratch = backups.scratch_path(path, "restoring")
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
            kept = backups.replace_unreadable(path, scratch, stamp)
            board = Board.open(str(path), actor=actor, config=config)
        else:
            try:
                require(board, "manager")
                try:
                    kept = backups.keep_previous(board.db, path, stamp)
                except store.BadTarget as error:
                    raise BadInput(error.message) from None
                backups.write_into(scratch, board.db)
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
                    _(
                        "The restored board does not check out:\n{problems}\n"
                        "The previous board is kept as {kept}"
                    ).format(problems=after.brief(), kept=kept)
                )
            return RestoreResult(str(path), str(source), kept, after.tickets, after.events)
        finally:
            board.close()
    finally:
        backups.discard_files(scratch, scratch.with_name(scratch.name + "-journal"))


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
    "backup",
    "board_file",
    "check",
    "inspect_backup",
    "migrate_to",
    "restore",
]
