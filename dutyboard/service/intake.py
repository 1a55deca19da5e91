"""Tickets from monitoring systems: the HTTP interface's requests, checked and carried out.

`open_from_request` is POST /v1/tickets (the fields of `ticket open`); `receive_alertmanager`
is POST /v1/alertmanager: a firing alert opens or repeats the ticket keyed by its fingerprint,
a resolved one adds a note to it (a person decides when service is restored). A whole
notification is one transaction, so a notification Alertmanager sends again after a failure
is counted once, not half and then again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from dutyboard.domain.instants import iso
from dutyboard.domain.intake import AlertError, AlertMapping, parse_alertmanager
from dutyboard.domain.policy import LEVELS
from dutyboard.i18n import _
from dutyboard.service import tickets
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, NotFound
from dutyboard.store.db import run_write

#: The fields POST /v1/tickets takes (the contract's list); anything else is refused.
TICKET_FIELDS: Final = (
    "level", "title", "description", "service", "site", "asset", "channel", "caller", "callback",
    "dedup_key", "at",
)
_TEXT_FIELDS: Final = tuple(name for name in TICKET_FIELDS if name != "level")


def _level(value: Any) -> int:
    """1–4, as a number or its digit ("2" from a script's template); a bool is no level."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise BadInput(_("level must be 1, 2, 3 or 4, not {value!r}").format(value=value))
    return value


def _caller_lines(caller: str, callback: str) -> str:
    """Who reported it and the number to call back, kept at the top of the description."""
    lines = []
    if caller:
        lines.append(_("Caller: {name}").format(name=caller))
    if callback:
        lines.append(_("Call back: {phone}").format(phone=callback))
    return "\n".join(lines)


def open_from_request(board: Board, body: Any) -> tickets.Intake:
    """POST /v1/tickets: open a ticket (or repeat the one with its dedup key) from a JSON object."""
    if not isinstance(body, dict):
        raise BadInput(_("The request body must be a JSON object"))
    unknown = sorted(set(body) - set(TICKET_FIELDS))
    if unknown:
        raise BadInput(
            _("Unknown field {field!r} (known fields: {known})").format(
                field=unknown[0], known=", ".join(TICKET_FIELDS)
            )
        )
    if "level" not in body or "title" not in body:
        raise BadInput(_("A ticket needs a level and a title"))
    values: dict[str, str] = {}
    for name in _TEXT_FIELDS:
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadInput(_("{field} must be text, not {value!r}").format(field=name, value=value))
        values[name] = value
    description = values.get("description", "")
    heading = _caller_lines(values.get("caller", "").strip(), values.get("callback", "").strip())
    if heading:
        description = heading + ("\n\n" + description if description else "")
    return tickets.open_or_repeat(
        board,
        level=_level(body["level"]),
        title=values.get("title", ""),
        service=values.get("service", "hardware"),
        channel=values.get("channel", "monitoring"),
        site=values.get("site"),
        asset=values.get("asset"),
        description=description,
        dedup_key=values.get("dedup_key"),
        at=board.at(values["at"]) if "at" in values else None,
    )


#: The fields POST /v1/notes takes: the ticket by id or by dedup key, the text, when.
NOTE_FIELDS: Final = ("ticket", "dedup_key", "text", "at")


def note_from_request(board: Board, body: Any) -> int:
    """POST /v1/notes: a note on a ticket named by id, or on the open one with a dedup key.

    A monitoring system's recovery is a note: whether service is restored is for a person to say.
    """
    if not isinstance(body, dict):
        raise BadInput(_("The request body must be a JSON object"))
    unknown = sorted(set(body) - set(NOTE_FIELDS))
    if unknown:
        raise BadInput(
            _("Unknown field {field!r} (known fields: {known})").format(
                field=unknown[0], known=", ".join(NOTE_FIELDS)
            )
        )
    text, key, ticket = body.get("text"), body.get("dedup_key"), body.get("ticket")
    if not isinstance(text, str):
        raise BadInput(_("A note needs its text"))
    if (key is None) == (ticket is None):
        raise BadInput(_("Name the ticket by ticket (its id) or by dedup_key, not both"))
    if ticket is not None and (isinstance(ticket, bool) or not isinstance(ticket, int)):
        raise BadInput(_("ticket must be a ticket's id, not {value!r}").format(value=ticket))
    if key is not None and not isinstance(key, str):
        raise BadInput(
            _("{field} must be text, not {value!r}").format(field="dedup_key", value=key)
        )
    at_text = body.get("at")
    if at_text is not None and not isinstance(at_text, str):
        raise BadInput(_("{field} must be text, not {value!r}").format(field="at", value=at_text))
    at = board.at(at_text) if at_text is not None else None

    def write() -> int:
        require(board, "engineer")
        found = ticket if key is None else tickets.open_with_key(tickets.clean_dedup_key(key) or "")
        if found is None:
            raise NotFound(
                _("No ticket that is not closed has the dedup key {key}").format(key=key)
            )
        tickets.add_note(board, found, text, at)
        return int(found)

    return run_write(write)


@dataclass(frozen=True)
class AlertOutcome:
    """What one alert of a notification did to the board."""

    fingerprint: str
    status: str
    #: opened | repeated | noted | ignored (resolved, and no ticket open for it)
    action: str
    ticket: int | None
    #: The occurrences so far, the first included (firing alerts only).
    count: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint, "status": self.status, "action": self.action,
            "ticket": self.ticket, "count": self.count,
        }


def receive_alertmanager(
    board: Board, payload: Any, mapping: AlertMapping | None = None
) -> list[AlertOutcome]:
    """POST /v1/alertmanager: every alert of one webhook notification, in one transaction."""
    mapping = mapping or board.config.alertmanager
    try:
        alerts = parse_alertmanager(payload)
    except AlertError as error:
        raise BadInput(str(error)) from None
    now = board.now()

    def write() -> list[AlertOutcome]:
        require(board, "engineer")
        outcomes = []
        for alert in alerts:
            if alert.firing:
                intake = tickets.open_or_repeat(
                    board,
                    level=mapping.level(alert.labels),
                    title=alert.title(),
                    service=mapping.service(alert.labels),
                    channel="monitoring",
                    site=mapping.site(alert.labels),
                    asset=mapping.asset(alert.labels),
                    description=alert.description(),
                    dedup_key=alert.fingerprint,
                    reported_at=alert.reported_at(now),
                )
                action = "repeated" if intake.deduplicated else "opened"
                outcomes.append(
                    AlertOutcome(alert.fingerprint, alert.status, action, intake.id, intake.count)
                )
                continue
            ticket_id = tickets.open_with_key(alert.fingerprint)
            if ticket_id is None:
                outcomes.append(
                    AlertOutcome(alert.fingerprint, alert.status, "ignored", None, None)
                )
                continue
            ended = iso(alert.ends_at or now, board.zone)
            tickets.add_note(
                board, ticket_id,
                _("Resolved in Alertmanager at {at}: {title}").format(
                    at=ended, title=alert.title()
                ),
            )
            outcomes.append(AlertOutcome(alert.fingerprint, alert.status, "noted", ticket_id, None))
        return outcomes

    return run_write(write)
