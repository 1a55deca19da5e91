"""Every ticket operation of the contract: validated first, then one transaction each.

The command line and the dashboard call only these. Each write replays the ticket's events,
lets the rules make the new facts, appends them and rewrites the ticket row (a projection of
the events) under the version check, so nothing is ever silently overwritten.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import IntegrityError

from dutyboard.domain import ticket as rules
from dutyboard.domain.clocks import Clock
from dutyboard.domain.escalation import AUTOMATIC_KINDS, escalations_due, voided_by
from dutyboard.domain.instants import iso
from dutyboard.domain.notices import SYSTEM
from dutyboard.domain.policy import CLOCKS, OPEN_STATUSES, REPORT_PARTS
from dutyboard.domain.queue import NextClock, next_clock, order_queue
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Conflict, NotFound
from dutyboard.store.db import is_sqlite, run_write
from dutyboard.store.models import DEDUP_INDEX, Escalation, Event, FaultReport, Ticket

TITLE_MAX = 200

# ---------------------------------------------------------------- projections


def clocks_of(row: Ticket) -> dict[str, Clock]:
    """The stored clocks of a ticket row."""
    return {
        name: Clock(
            getattr(row, f"{name}_start"),
            getattr(row, f"{name}_due"),
            getattr(row, f"{name}_warn"),
            getattr(row, f"{name}_done"),
        )
        for name in CLOCKS
    }


def state_columns(state: rules.TicketState) -> dict[str, Any]:
    """The ticket row's columns for a state (the row is a projection of the events)."""
    columns: dict[str, Any] = {
        "level": state.level,
        "initial_level": state.initial_level,
        "base_level": state.base_level,
        "service": state.service,
        "status": state.status,
        "reported_at": state.reported_at,
        "acknowledged_at": state.acknowledged_at,
        "dispatched_at": state.dispatched_at,
        "on_site_at": state.on_site_at,
        "restored_at": state.restored_at,
        "analysis_at": state.analysis_at,
        "closed_at": state.closed_at,
        "crisis": state.crisis,
        "last_update_at": state.last_update_at,
        "owner": state.owner,
    }
    for name, clock in state.clocks.items():
        columns[f"{name}_start"] = clock.start
        columns[f"{name}_due"] = clock.due
        columns[f"{name}_warn"] = clock.warn_at
        columns[f"{name}_done"] = clock.done_at
    return columns


def fact_of(event: Event) -> rules.Fact:
    return rules.Fact(event.kind, event.at, json.loads(event.details or "{}"))


def ticket_events(ticket_id: int, kinds: Iterable[str] | None = None) -> list[Event]:
    """A ticket's audit trail in order, or only the events of the given kinds."""
    query = Event.select().where(Event.ticket == ticket_id)
    if kinds is not None:
        query = query.where(Event.kind.in_(sorted(kinds)))
    return list(query.order_by(Event.id))


def lifecycle_events(events: Iterable[Event]) -> list[Event]:
    """The events a ticket's state is replayed from: its steps and the automatic events that
    still hold (one a late step made void stays in the trail, marked by a `withdrawn` event)."""
    events = list(events)
    withdrawn = {
        int(e.details_dict.get("event", 0)) for e in events if e.kind == WITHDRAWN_KIND
    }
    return [e for e in events if e.kind in LIFECYCLE_KINDS and e.id not in withdrawn]


def replay_ticket(board: Board, ticket_id: int) -> rules.TicketState:
    """The ticket's state from its audit trail."""
    facts = [fact_of(e) for e in lifecycle_events(ticket_events(ticket_id, REPLAYED_KINDS))]
    return rules.replay(facts, board.cals)


LIFECYCLE_KINDS = frozenset(
    {
        "opened", "acknowledged", "dispatched", "arrived", "restored", "reported", "closed",
        "note", "crisis_on", "crisis_off", "level", "escalated",
    }
)
#: The event recording that a late step made an automatic one void (details: its id).
WITHDRAWN_KIND = "withdrawn"
#: What a replay reads: only the kinds the rules fold, so an alert repeated thousands of times
#: is not read back.
REPLAYED_KINDS = LIFECYCLE_KINDS | {WITHDRAWN_KIND}
#: The fields whose change makes an `--expect-version` stale; a note changes none of them.
STATE_FIELDS = ("status", "level", "owner", "crisis")

# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class ClockView:
    name: str
    start: datetime | None
    due: datetime | None
    done_at: datetime | None
    state: str
    warning: bool
    used: float


@dataclass(frozen=True)
class TicketView:
    """What `ticket show` prints and the detail screen shows."""

    id: int
    version: int
    title: str
    description: str
    level: int
    initial_level: int
    status: str
    service: str
    channel: str
    site: str | None
    asset: str | None
    owner: str | None
    opened_by: str
    crisis: bool
    reported_at: datetime
    clocks: dict[str, ClockView]
    escalations: list[dict[str, Any]]
    events: list[dict[str, Any]]
    report: dict[str, Any] | None
    next: NextClock | None
    at: datetime
    dedup_key: str | None = None
    repeats: int = 0
    last_repeat_at: datetime | None = None

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "level": self.level,
            "initial_level": self.initial_level,
            "status": self.status,
            "service": self.service,
            "channel": self.channel,
            "site": self.site,
            "asset": self.asset,
            "owner": self.owner,
            "crisis": self.crisis,
            "reported_at": iso(self.reported_at, zone),
            "clocks": {
                name: {
                    "due": iso(c.due, zone),
                    "done_at": iso(c.done_at, zone),
                    "state": c.state,
                    "warning": c.warning,
                }
                for name, c in self.clocks.items()
            },
            **next_clock_json(self.next, zone),
            "escalations": [
                {**e, "at": iso(e["at"], zone)} for e in self.escalations
            ],
            "events": [{**e, "at": iso(e["at"], zone)} for e in self.events],
            "report": (
                {**self.report, "submitted_at": iso(self.report["submitted_at"], zone)}
                if self.report
                else None
            ),
            "dedup_key": self.dedup_key,
            "repeats": self.repeats,
            "last_repeat_at": iso(self.last_repeat_at, zone),
        }


def get_row(ticket_id: int) -> Ticket:
    row = Ticket.get_or_none(Ticket.id == ticket_id)
    if row is None:
        raise NotFound(_("There is no ticket {id}").format(id=ticket_id))
    return row


def _event_view(event: Event) -> dict[str, Any]:
    """An audit-trail entry: who, when, what, then its details (which never hide those three)."""
    details = json.loads(event.details or "{}")
    if "kind" in details:  # an escalation's own kind: auto, manual or management
        details["escalation_kind"] = details.pop("kind")
    return {**details, "id": event.id, "at": event.at, "by": event.by, "kind": event.kind}


def view(board: Board, ticket_id: int, at: datetime | None = None) -> TicketView:
    """Everything about one ticket, its clocks evaluated at `at` (default now)."""
    at = at or board.now()
    row = get_row(ticket_id)
    clocks = clocks_of(row)
    escalations = [
        {
            "at": e.at,
            "from_level": e.from_level,
            "to_level": e.to_level,
            "kind": e.kind,
            "reason": e.reason,
        }
        for e in Escalation.select()
        .where(Escalation.ticket == ticket_id)
        .order_by(Escalation.at, Escalation.id)
    ]
    events = [_event_view(e) for e in ticket_events(ticket_id)]
    report_row = FaultReport.get_or_none(FaultReport.ticket == ticket_id)
    report = None
    if report_row is not None:
        report = {part: getattr(report_row, part) for part in REPORT_PARTS}
        report["submitted_at"] = report_row.submitted_at
        report["submitted_by"] = report_row.submitted_by
    return TicketView(
        id=row.id,
        version=row.version,
        title=row.title,
        description=row.description,
        level=row.level,
        initial_level=row.initial_level,
        status=row.status,
        service=row.service,
        channel=row.channel,
        site=row.site,
        asset=row.asset,
        owner=row.owner,
        opened_by=row.opened_by,
        crisis=row.crisis,
        reported_at=row.reported_at,
        clocks={
            name: ClockView(name, c.start, c.due, c.done_at, c.state(at), c.warning(at), c.used(at))
            for name, c in clocks.items()
        },
        escalations=escalations,
        events=events,
        report=report,
        next=next_clock(clocks, at),
        at=at,
        dedup_key=row.dedup_key,
        repeats=row.repeats,
        last_repeat_at=row.last_repeat_at,
    )


# ---------------------------------------------------------------- writing


def _append(
    board: Board,
    ticket_id: int | None,
    fact: rules.Fact,
    extra: dict[str, Any] | None = None,
    by: str | None = None,
) -> Event:
    return board.record(fact.kind, {**fact.data, **(extra or {})}, ticket_id, fact.at, by)


def _record_escalation(ticket_id: int, fact: rules.Fact) -> None:
    """The escalation row of a fact that makes one (the domain decides which do)."""
    record = rules.escalation_of(fact)
    if record is None:
        return
    Escalation.create(
        ticket=ticket_id,
        at=record.at,
        from_level=record.from_level,
        to_level=record.to_level,
        kind=record.kind,
        reason=record.reason,
    )


def _change(
    board: Board,
    ticket_id: int,
    make: Callable[[rules.TicketState], list[rules.Fact]],
    expected_version: int | None = None,
    by: str | None = None,
) -> None:
    """What the program does by itself (the sweep): replay, make facts, append them, rewrite the
    row under its version, in one transaction. `by` names the actor (the sweep acts as `SYSTEM`)."""

    def write() -> None:
        row = _locked_row(ticket_id)
        _check_expected(row, expected_version)
        state = replay_ticket(board, ticket_id)
        facts = make(state)
        if facts:
            _commit(board, row, state, facts, by)

    run_write(write)


def _step(
    board: Board,
    ticket_id: int,
    make: Callable[[rules.TicketState, datetime], rules.Fact],
    expected_version: int | None,
    at: datetime | None,
    extra: Callable[[int, datetime], None] | None = None,
) -> None:
    """A person's step on a ticket, checked against its history, in one transaction.

    A step may be dated in the past (`at`), never before the last step a person took, never
    ahead of now by more than the clock skew. The automatic events dated at or after it are
    left out of the state it is checked against, and those it makes void are withdrawn. A step
    dated now is never before the last step: when another machine's clock ran a little ahead,
    it takes that step's instant.
    """
    dated = at is not None
    at = board.write_at(at)

    def write() -> None:
        require(board, "engineer")
        row = _locked_row(ticket_id)
        _check_expected(row, expected_version)
        events = lifecycle_events(ticket_events(ticket_id, REPLAYED_KINDS))
        when = at
        if not dated:
            when = max([when, *(e.at for e in events if e.kind not in AUTOMATIC_KINDS)])
        later = [e for e in events if e.kind in AUTOMATIC_KINDS and e.at >= when]
        later_ids = {e.id for e in later}
        state = rules.replay([fact_of(e) for e in events if e.id not in later_ids], board.cals)
        try:
            fact = make(state, when)
        except rules.TransitionError as error:
            raise BadInput(str(error)) from None
        if later:
            voided = voided_by(state, fact, [fact_of(e) for e in later], board.cals)
            void = {later[i].id for i in voided}
            for event in later:
                if event.id in void:
                    _withdraw(board, ticket_id, event, fact)
            kept = [fact_of(e) for e in events if e.id not in void]
            state = rules.replay(kept, board.cals)
        _commit(board, row, state, [fact])
        if extra is not None:
            extra(ticket_id, when)

    run_write(write)


def _commit(
    board: Board, row: Ticket, state: rules.TicketState, facts: list[rules.Fact],
    by: str | None = None,
) -> None:
    """Append the facts and rewrite the ticket row as their replay, under its version."""
    for fact in facts:
        if fact.kind in LIFECYCLE_KINDS:  # automatic notices never change a clock
            state = rules.apply(state, fact, board.cals)
        _append(board, row.id, fact, by=by)
        _record_escalation(row.id, fact)
    columns = state_columns(state)
    if any(getattr(row, name) != columns[name] for name in STATE_FIELDS):
        columns["state_version"] = row.version + 1
    if not Ticket.update_versioned(row.id, row.version, **columns):
        raise Conflict(_changed_by(get_row(row.id)))


def _check_expected(row: Ticket, expected: int | None) -> None:
    """Refuse a write made on a stale reading: status, level, owner or crisis changed since."""
    if expected is None:
        return
    if not 1 <= expected <= row.version:
        raise BadInput(
            _("Ticket {id} has no version {expected} (it is at version {version})").format(
                id=row.id, expected=expected, version=row.version
            )
        )
    if row.state_version > expected:
        raise Conflict(_changed_by(row))


def _withdraw(board: Board, ticket_id: int, event: Event, step: rules.Fact) -> None:
    """Record that a person's late step made an automatic event void, and drop its projection."""
    board.record(
        WITHDRAWN_KIND,
        {"event": event.id, "withdrawn_kind": event.kind, "because": step.kind},
        ticket_id, step.at, by=SYSTEM,
    )
    record = rules.escalation_of(fact_of(event))
    if record is not None:
        Escalation.delete().where(
            (Escalation.ticket == ticket_id)
            & (Escalation.at == record.at)
            & (Escalation.from_level == record.from_level)
            & (Escalation.to_level == record.to_level)
            & (Escalation.kind == record.kind)
        ).execute()


def _locked_row(ticket_id: int) -> Ticket:
    """The ticket row, locked until commit on PostgreSQL so racing writers queue up behind it.

    (SQLite's IMMEDIATE transaction already holds the whole database.)
    """
    query = Ticket.select().where(Ticket.id == ticket_id)
    if not is_sqlite():
        query = query.for_update()
    row: Ticket | None = query.first()
    if row is None:
        raise NotFound(_("There is no ticket {id}").format(id=ticket_id))
    return row


def _changed_by(row: Ticket) -> str:
    """Who made the ticket's last step (notices the sweep records beside it change no version)."""
    last = (
        Event.select()
        .where(Event.ticket == row.id, Event.kind.in_(sorted(LIFECYCLE_KINDS)))
        .order_by(Event.id.desc())
        .first()
    )
    who = last.by if last is not None else "?"
    return _(
        "Ticket {id} was changed by {who} in the meantime; nothing was written. "
        "Reload and try again."
    ).format(id=row.id, who=who)


def open_ticket(
    board: Board,
    *,
    level: int,
    title: str,
    service: str = "hardware",
    channel: str = "phone",
    site: str | None = None,
    asset: str | None = None,
    description: str = "",
    dedup_key: str | None = None,
    at: datetime | None = None,
) -> int:
    """A new ticket as the phone rings; returns its id.

    With a dedup key that a ticket not yet closed carries, that ticket is repeated instead and
    its id returned (`open_or_repeat` also says which happened).
    """
    return open_or_repeat(
        board,
        level=level,
        title=title,
        service=service,
        channel=channel,
        site=site,
        asset=asset,
        description=description,
        dedup_key=dedup_key,
        at=at,
    ).id


def open_or_repeat(
    board: Board,
    *,
    level: int,
    title: str,
    service: str = "hardware",
    channel: str = "phone",
    site: str | None = None,
    asset: str | None = None,
    description: str = "",
    dedup_key: str | None = None,
    at: datetime | None = None,
    reported_at: datetime | None = None,
) -> Intake:
    """Open a ticket, or repeat the open one with the same dedup key: one transaction.

    `at` is the instant of this intake (a repeat is recorded then); `reported_at`, when the
    fault began if that was earlier (a monitoring system's start of the alert).
    """
    given = at is not None
    at = board.write_at(at)
    key = clean_dedup_key(dedup_key)
    title = title.strip()
    if not title:
        raise BadInput(_("A ticket needs a title"))
    if len(title) > TITLE_MAX:
        raise BadInput(_("The title is longer than {n} characters").format(n=TITLE_MAX))
    try:
        fact = rules.open_ticket(level, service, channel, min(at, reported_at or at))
    except rules.TransitionError as error:
        raise BadInput(str(error)) from None
    state = rules.apply(None, fact, board.cals)
    site = (site or "").strip() or None
    asset = (asset or "").strip() or None

    def write() -> Intake:
        require(board, "engineer")
        if key is not None:
            existing = _open_with_key(key)
            if existing is not None:
                # "Now" read before another process opened the ticket is the moment it opened.
                when = at if given else max(at, existing.reported_at)
                return Intake(existing.id, True, _repeat(board, existing, when))
        row = Ticket.create(
            title=title,
            description=description,
            channel=channel,
            site=site,
            asset=asset,
            opened_by=board.actor,
            version=1,
            dedup_key=key,
            **state_columns(state),
        )
        details = {"title": title, "site": site, "asset": asset}
        if key is not None:
            details["dedup_key"] = key
        _append(board, row.id, fact, details)
        return Intake(int(row.id), False, 1)

    for _attempt in range(DEDUP_ATTEMPTS):
        try:
            return run_write(write)
        except IntegrityError as error:
            if key is None or not _is_dedup_clash(error):
                raise
            # Another process opened a ticket with this key first: repeat that one instead.
    raise Conflict(
        _("Tickets with the dedup key {key} kept changing; nothing was written. Try again.").format(
            key=key
        )
    )


# ---------------------------------------------------------------- intake: dedup keys

DEDUP_KEY_MAX = 200
#: Tries of an intake that lost the race for its dedup key (the second one finds the ticket).
DEDUP_ATTEMPTS = 3


@dataclass(frozen=True)
class Intake:
    """What an intake did: opened ticket `id`, or repeated it (`deduplicated`), `count` times."""

    id: int
    deduplicated: bool
    #: The occurrences so far, the first included (the `repeated` event's count).
    count: int


def clean_dedup_key(key: str | None) -> str | None:
    """The key as stored (stripped), None for none; refused when blank or too long."""
    if key is None:
        return None
    key = key.strip()
    if not key:
        raise BadInput(_("A dedup key cannot be empty"))
    if len(key) > DEDUP_KEY_MAX:
        raise BadInput(_("The dedup key is longer than {n} characters").format(n=DEDUP_KEY_MAX))
    return key


def open_with_key(key: str) -> int | None:
    """The id of the ticket not yet closed that carries the dedup key, if any."""
    row = _open_with_key(key)
    return int(row.id) if row is not None else None


def _open_with_key(key: str) -> Ticket | None:
    """The ticket not yet closed that carries the key, locked on PostgreSQL until commit."""
    query = Ticket.select(Ticket.id, Ticket.reported_at, Ticket.repeats).where(
        (Ticket.dedup_key == key) & (Ticket.status != "closed")
    )
    if not is_sqlite():
        query = query.for_update()
    row: Ticket | None = query.first()
    return row


def _repeat(board: Board, row: Ticket, at: datetime) -> int:
    """Record one more occurrence on a locked row; returns the occurrences so far.

    A repeat changes no clock and no field a person acts on, so the version stays: an alert
    coming again never turns someone's pending step into a conflict.
    """
    if at < row.reported_at:
        raise BadInput(_("A repeat cannot be dated before the ticket was reported"))
    count = int(row.repeats) + 2  # the first occurrence opened the ticket
    board.record("repeated", {"count": count}, row.id, at)
    Ticket.update(repeats=Ticket.repeats + 1, last_repeat_at=at).where(
        Ticket.id == row.id
    ).execute()
    return count


def _is_dedup_clash(error: IntegrityError) -> bool:
    text = str(error)
    return DEDUP_INDEX in text or "ticket.dedup_key" in text


def repeat_count(events: Iterable[Event]) -> tuple[int, datetime | None]:
    """The repeats and the last repeat an audit trail records (`check` compares the row with it)."""
    repeats, last = 0, None
    for event in events:
        if event.kind == "repeated":
            repeats, last = repeats + 1, event.at
    return repeats, last


def acknowledge(
    board: Board, ticket_id: int, at: datetime | None = None, expected_version: int | None = None
) -> None:
    _step(board, ticket_id, rules.acknowledge, expected_version, at)


def dispatch(
    board: Board,
    ticket_id: int,
    to: str | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    to = (to or "").strip() or None
    _step(board, ticket_id, lambda s, when: rules.dispatch(s, when, to), expected_version, at)


def arrive(
    board: Board, ticket_id: int, at: datetime | None = None, expected_version: int | None = None
) -> None:
    _step(board, ticket_id, rules.arrive, expected_version, at)


def restore(
    board: Board, ticket_id: int, at: datetime | None = None, expected_version: int | None = None
) -> None:
    _step(board, ticket_id, rules.restore, expected_version, at)


def close(
    board: Board, ticket_id: int, at: datetime | None = None, expected_version: int | None = None
) -> None:
    _step(board, ticket_id, rules.close, expected_version, at)


def add_note(
    board: Board,
    ticket_id: int,
    text: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    _step(board, ticket_id, lambda s, when: rules.note(s, when, text), expected_version, at)


def set_level(
    board: Board,
    ticket_id: int,
    level: int,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    _step(
        board, ticket_id, lambda s, when: rules.reclassify(s, when, level, reason),
        expected_version, at,
    )


def escalate(
    board: Board,
    ticket_id: int,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """Raise the level by one (the dashboard's escalate key)."""
    _step(
        board, ticket_id, lambda state, when: rules.escalate(state, when, reason),
        expected_version, at,
    )


def set_crisis(
    board: Board,
    ticket_id: int,
    on: bool = True,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    _step(board, ticket_id, lambda s, when: rules.crisis(s, when, on), expected_version, at)


def parse_report(text: str) -> dict[str, str]:
    """The five parts from text: a JSON object, `Part: text` sections, or plain text.

    Headings may be English or the plan's Chinese (起因, 响应, 过程, 结果, 今后注意事项);
    plain text without headings is kept whole as the cause, so a script's one-liner is accepted.
    """
    text = text.strip()
    if not text:
        raise BadInput(_("The fault analysis report is empty"))
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise BadInput(_("The report is not valid JSON: {error}").format(error=error)) from None
        if not isinstance(data, dict):
            raise BadInput(_("The report JSON must be an object with the five parts"))
        unknown = sorted(set(data) - set(REPORT_PARTS))
        if unknown:
            raise BadInput(
                _("Unknown report parts: {parts} (expected {expected})").format(
                    parts=", ".join(unknown), expected=", ".join(REPORT_PARTS)
                )
            )
        return {p: str(data.get(p) or "").strip() for p in REPORT_PARTS}
    parts = _sections(text)
    return {p: parts.get(p, "") for p in REPORT_PARTS}


_HEADINGS = {
    "cause": ("cause", "起因", "原因"),
    "response": ("response", "响应"),
    "process": ("process", "过程", "处理过程"),
    "result": ("result", "结果"),
    "precautions": ("precautions", "今后注意事项", "注意事项"),
}


def _heading(line: str) -> tuple[str, str] | None:
    for sep in (":", "："):
        if sep in line:
            head, _sep, rest = line.partition(sep)
            key = head.strip().strip("#").strip().lower()
            for part, names in _HEADINGS.items():
                if key in names:
                    return part, rest.strip()
    return None


def _sections(text: str) -> dict[str, str]:
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        found = _heading(line)
        if found:
            current, rest = found
            parts.setdefault(current, [])
            if rest:
                parts[current].append(rest)
        elif current is not None:
            parts[current].append(line)
    if not parts:
        return {"cause": text}
    return {p: "\n".join(lines).strip() for p, lines in parts.items()}


def submit_report(
    board: Board,
    ticket_id: int,
    parts: dict[str, str],
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """The fault analysis report (cause, response, process, result, precautions)."""
    clean = {p: (parts.get(p) or "").strip() for p in REPORT_PARTS}
    if not any(clean.values()):
        raise BadInput(_("The fault analysis report is empty"))

    def store_report(tid: int, when: datetime) -> None:
        FaultReport.create(ticket=tid, submitted_at=when, submitted_by=board.actor, **clean)

    _step(board, ticket_id, rules.submit_report, expected_version, at, store_report)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue: enough for the dashboard without another query."""

    id: int
    version: int
    level: int
    initial_level: int
    status: str
    title: str
    site: str | None
    asset: str | None
    owner: str | None
    crisis: bool
    clocks: dict[str, Clock]
    repeats: int = 0
    last_repeat_at: datetime | None = None

    def next(self, at: datetime) -> NextClock | None:
        return next_clock(self.clocks, at)


QUEUE_COLUMNS = (
    Ticket.id,
    Ticket.version,
    Ticket.level,
    Ticket.initial_level,
    Ticket.status,
    Ticket.title,
    Ticket.site,
    Ticket.asset,
    Ticket.owner,
    Ticket.crisis,
    *[getattr(Ticket, f"{c}_{p}") for c in CLOCKS for p in ("start", "due", "warn", "done")],
    Ticket.repeats,
    Ticket.last_repeat_at,
)
_AFTER_CLOCKS = 10 + 4 * len(CLOCKS)


def open_rows(ids: Iterable[int] | None = None, include_closed: bool = False) -> list[QueueRow]:
    """Queue rows of the tickets that are not closed (or of the given ids)."""
    query = Ticket.select(*QUEUE_COLUMNS)
    if ids is not None:
        query = query.where(Ticket.id.in_(list(ids)))
    elif not include_closed:
        query = query.where(Ticket.status.in_(OPEN_STATUSES))  # IN uses the status index; != scans
    rows = []
    for r in query.tuples().iterator():
        clocks = {name: Clock(*r[10 + 4 * i : 14 + 4 * i]) for i, name in enumerate(CLOCKS)}
        rows.append(
            QueueRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                bool(r[9]),
                clocks,
                r[_AFTER_CLOCKS],
                r[_AFTER_CLOCKS + 1],
            )
        )
    return rows


def queue(board: Board, at: datetime | None = None) -> list[tuple[QueueRow, NextClock | None]]:
    """Every ticket that is not closed, in the queue order the domain fixes, with its next clock."""
    at = at or board.now()
    rows = {row.id: row for row in open_rows()}
    ordered = order_queue(((r.id, r.level, r.status, r.title, r.clocks) for r in rows.values()), at)
    return [(rows[entry.id], entry.next) for entry in ordered]


def next_clock_json(nxt: NextClock | None, zone: Any) -> dict[str, Any]:
    """A ticket's next clock as JSON, made here only, so every command prints the same values.

    `seconds_left` is whole seconds rounded down: a clock breached 10.3 s ago is -11, as its
    countdown shows it (-0:11), and a clock with 10.3 s to go is 10.
    """
    return {
        "next_clock": nxt.name if nxt else None,
        "next_due": iso(nxt.due, zone) if nxt else None,
        "seconds_left": math.floor(nxt.seconds_left) if nxt else None,
    }


def queue_row_json(row: QueueRow, nxt: NextClock | None, zone: Any) -> dict[str, Any]:
    """One line of `queue --json`; `ticket show --json` carries the same keys and values."""
    return {
        "id": row.id,
        "level": row.level,
        "status": row.status,
        "title": row.title,
        **next_clock_json(nxt, zone),
    }


def queue_json(board: Board, at: datetime | None = None) -> list[dict[str, Any]]:
    """The queue as `queue --json` prints it (and the HTTP interface's GET /v1/queue)."""
    return [queue_row_json(row, nxt, board.zone) for row, nxt in queue(board, at)]


def list_tickets(board: Board, include_closed: bool = False) -> list[QueueRow]:
    rows = open_rows(include_closed=include_closed)
    rows.sort(key=lambda r: r.id)
    return rows


# ---------------------------------------------------------------- sweep


@dataclass(frozen=True)
class SweepResult:
    id: int
    from_level: int
    to_level: int
    at: datetime
    kind: str


def sweep(board: Board, at: datetime | None = None, preview: bool = False) -> list[SweepResult]:
    """Automatic escalation as of `at`: idempotent, and safe when many processes sweep at once.

    A sweep records what has happened, so it may not look ahead; `preview` may, and writes
    nothing: it says what a sweep at `at` would record.
    """
    at = (at or board.now()) if preview else board.write_at(at)
    candidates = [
        r.id
        for r in Ticket.select(Ticket.id)
        .where(
            Ticket.status.in_(OPEN_STATUSES), Ticket.restore_done.is_null(), Ticket.restore_due < at
        )
        .order_by(Ticket.id)
    ]
    results: list[SweepResult] = []
    for ticket_id in candidates:
        if preview:
            facts = escalations_due(replay_ticket(board, ticket_id), at, board.cals)
            results.extend(_results(ticket_id, facts))
        else:
            results.extend(_sweep_one(board, ticket_id, at))
    return results


def _results(ticket_id: int, facts: list[rules.Fact]) -> list[SweepResult]:
    return [
        SweepResult(ticket_id, f.data["from_level"], f.data["to_level"], f.at, f.data["kind"])
        for f in facts
    ]


def _sweep_one(board: Board, ticket_id: int, at: datetime) -> list[SweepResult]:
    made: list[rules.Fact] = []

    def make(state: rules.TicketState) -> list[rules.Fact]:
        made[:] = escalations_due(state, at, board.cals)
        return list(made)

    for _attempt in range(5):
        try:
            # The rules act, whoever runs the sweep: recorded as the program's own action.
            _change(board, ticket_id, make, by=SYSTEM)
        except Conflict:
            continue  # another sweep or person got there first: replay and look again
        except IntegrityError:
            continue  # the same escalation was just written by another process
        return _results(ticket_id, made)
    return []
