"""Triage from the keyboard: the one registry of ticket actions, and how each is carried out.

The queue and the detail screen bind the same keys from `ACTIONS` and call `run_action`. An
action loads what its form needs in a thread worker, asks the domain whether the step fits
the ticket now (so a refused step says so before anything is typed), shows its form, and
writes through the service layer with the version the engineer was looking at: a ticket
changed in the meantime is refused with who changed it, and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from textual.app import App
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from dutyboard import fmt
from dutyboard.domain import ticket as rules
from dutyboard.i18n import N_, _
from dutyboard.service import roster, tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Conflict, ServiceError
from dutyboard.tui.messages import TicketChanged
from dutyboard.tui.screens.forms.base import Refusal, TicketLine, Values
from dutyboard.tui.screens.forms.confirm import ConfirmForm
from dutyboard.tui.screens.forms.dispatch import DispatchForm, Person
from dutyboard.tui.screens.forms.intake import IntakeForm, Place, Thing
from dutyboard.tui.screens.forms.level import EscalateForm, LevelForm
from dutyboard.tui.screens.forms.note import NoteForm
from dutyboard.tui.screens.forms.report import ReportForm

#: (action id, key, label msgid, needs a ticket): the footer, the help screen and the palette read this.
#: Labels are a word or two so that every key fits the footer at 120 columns.
ACTIONS: list[tuple[str, str, str, bool]] = [
    ("acknowledge", "a", N_("Ack"), True),
    ("dispatch", "d", N_("Dispatch"), True),
    ("arrive", "o", N_("On site"), True),
    ("restore", "r", N_("Restored"), True),
    ("report", "R", N_("Report"), True),
    ("close", "c", N_("Close"), True),
    ("note", "n", N_("Note"), True),
    ("level", "L", N_("Level"), True),
    ("escalate", "e", N_("Escalate"), True),
    ("crisis", "C", N_("Crisis"), True),
    ("new", "N", N_("New"), False),
]

_NEEDS_TICKET = {action_id: needs for action_id, _key, _label, needs in ACTIONS}

#: A write: (board, ticket id, the form's values, expected version) -> the ticket written.
Write = Callable[[Board, Any, Values, "int | None"], int]


def _ticket_write(call: Callable[..., None], *names: str) -> Write:
    """A service call on an existing ticket, fed the named values of its form."""

    def write(board: Board, ticket_id: int, values: Values, version: int | None) -> int:
        call(board, ticket_id, *(values[n] for n in names), expected_version=version)
        return ticket_id

    return write


def _open(board: Board, _ticket_id: None, values: Values, _version: int | None) -> int:
    """A new ticket from the intake form (nothing to conflict with)."""
    return tickets.open_ticket(board, **values)


WRITES: dict[str, Write] = {
    "acknowledge": _ticket_write(tickets.acknowledge),
    "dispatch": _ticket_write(tickets.dispatch, "to"),
    "arrive": _ticket_write(tickets.arrive),
    "restore": _ticket_write(tickets.restore),
    "report": _ticket_write(tickets.submit_report, "parts"),
    "close": _ticket_write(tickets.close),
    "note": _ticket_write(tickets.add_note, "text"),
    "level": _ticket_write(tickets.set_level, "level", "reason"),
    "escalate": _ticket_write(tickets.escalate, "reason"),
    "crisis": _ticket_write(tickets.set_crisis, "on"),
    "new": _open,
}


def done_message(action_id: str, ticket_id: int, values: Values) -> str:
    """What the notification says once the write is done."""
    if action_id == "crisis":
        if values["on"]:
            return _("Ticket {id}: crisis mode on; an update note is due every hour").format(
                id=ticket_id
            )
        return _("Ticket {id}: crisis mode off").format(id=ticket_id)
    if action_id == "dispatch":
        return _("Ticket {id} dispatched to {to}").format(id=ticket_id, to=values["to"])
    if action_id in ("level", "escalate"):
        return _("Ticket {id} is now {level}").format(
            id=ticket_id, level=fmt.level_name(values["level"])
        )
    messages = {
        "acknowledge": N_("Ticket {id} acknowledged"),
        "arrive": N_("Ticket {id}: engineer on site"),
        "restore": N_("Ticket {id} restored"),
        "report": N_("Ticket {id}: fault analysis report filed"),
        "close": N_("Ticket {id} closed"),
        "note": N_("Note added to ticket {id}"),
        "new": N_("Ticket {id} opened"),
    }
    return _(messages[action_id]).format(id=ticket_id)


def _board(app: App[Any]) -> Board:
    """The service Board the dashboard keeps for the shift."""
    board: Board = cast(Any, app).board
    return board


@dataclass
class Submission:
    """The write behind a form, run in the form's thread worker; the form stays open on a refusal.

    `origin` is the screen the key was pressed on: it hears `TicketChanged` first (the detail
    screen reloads), and the message bubbles on to the App (the queue reloads that row).
    """

    app: App[Any]
    origin: MessagePump
    action_id: str
    ticket_id: int | None
    version: int | None
    fixed: Values = field(default_factory=dict)

    def announce(self, ticket_id: int | None) -> None:
        """Tell the screens a ticket changed (the App directly if the origin is gone)."""
        if not self.origin.post_message(TicketChanged(ticket_id)):
            self.app.post_message(TicketChanged(ticket_id))

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """A notification, from the worker's thread."""
        timeout = 10 if severity != "information" else None
        self.app.call_from_thread(
            partial(self.app.notify, message, severity=severity, timeout=timeout, markup=False)
        )

    def __call__(self, values: Values) -> Refusal | None:
        board = _board(self.app)
        values = {**self.fixed, **values}
        try:
            written = WRITES[self.action_id](board, self.ticket_id, values, self.version)
        except Conflict as error:
            # Someone else wrote first: say who, show the ticket as it is now, write nothing.
            # A second submit is the engineer's informed choice, so it goes on top of that change.
            self.version = _version_now(self.ticket_id)
            self.say(error.message, "warning")
            self.announce(self.ticket_id)
            again = _("Submit again to apply yours on top of it, or Esc to cancel.")
            return Refusal(f"{error.message} {again}", conflict=True)
        except ServiceError as error:
            self.say(error.message, "error")
            return Refusal(error.message)
        self.say(done_message(self.action_id, written, values))
        self.announce(written)
        return None


def _version_now(ticket_id: int | None) -> int | None:
    """The ticket's version as stored now (None when it is gone)."""
    if ticket_id is None:
        return None
    rows = tickets.open_rows(ids=[ticket_id])
    return rows[0].version if rows else None


# ---------------------------------------------------------------- whether a step fits now

_ANY_REASON = "-"


def _can_reclassify(state: rules.TicketState, at: Any) -> None:
    # Any other level with a reason: refused only when the ticket's status forbids re-classifying.
    rules.reclassify(state, at, 2 if state.level == 1 else 1, _ANY_REASON)


def _can_escalate(state: rules.TicketState, at: Any) -> None:
    if state.level == 1:
        raise rules.TransitionError(_("The ticket is already at level 1"))
    rules.reclassify(state, at, state.level - 1, _ANY_REASON)


#: The domain's own command for each step, tried on the ticket as it is now and thrown away.
FITS: dict[str, Callable[[rules.TicketState, Any], object]] = {
    "dispatch": lambda state, at: rules.dispatch(state, at, None),
    "arrive": rules.arrive,
    "restore": rules.restore,
    "report": rules.submit_report,
    "close": rules.close,
    "note": lambda state, at: rules.note(state, at, _ANY_REASON),
    "level": _can_reclassify,
    "escalate": _can_escalate,
    "crisis": lambda state, at: rules.crisis(state, at, not state.crisis),
}


def check_fits(board: Board, action_id: str, ticket_id: int) -> None:
    """Raise BadInput when the step does not fit the ticket now, before a form is shown."""
    fits = FITS.get(action_id)
    if fits is None:
        return
    try:
        fits(tickets.replay_ticket(board, ticket_id), board.now())
    except rules.TransitionError as error:
        raise BadInput(str(error)) from None


# ---------------------------------------------------------------- forms


def _confirm(submission: Submission, line: TicketLine, crisis: bool) -> ConfirmForm:
    """The confirmation for a step that cannot be taken back."""
    tid = line.id
    action_id = submission.action_id
    if action_id == "arrive":
        title, button = _("On site"), _("On site")
        question = _("Mark ticket {id} on site now? This stops its arrival clock.").format(id=tid)
    elif action_id == "restore":
        title, button = _("Restored"), _("Restored")
        question = _(
            "Mark ticket {id} restored now? This stops its restore clock and starts the "
            "one-working-day clock of the fault analysis report."
        ).format(id=tid)
    elif action_id == "close":
        title, button = _("Close"), _("Close ticket")
        question = _("Close ticket {id}? It leaves the queue.").format(id=tid)
    elif crisis:
        title, button = _("Crisis mode"), _("End crisis mode")
        question = _("End crisis mode for ticket {id}? The hourly update clock stops.").format(
            id=tid
        )
    else:
        title, button = _("Crisis mode"), _("Start crisis mode")
        question = _(
            "Put ticket {id} in crisis mode? A crisis team is formed and an update note is due "
            "every hour."
        ).format(id=tid)
    return ConfirmForm(submission, line, title, question, button)


def build_form(submission: Submission) -> Screen[Any] | None:
    """Check the step fits, load what its form needs and make it (in a thread); None: no form.

    Fills in the submission: the version to write against, and what the form does not ask.
    """
    app, action_id, ticket_id = submission.app, submission.action_id, submission.ticket_id
    board = _board(app)
    if action_id == "new":
        places = [Place(s.code, s.name) for s in roster.sites(board)]
        things = [Thing(a.code, a.site.code, a.name, a.kind) for a in roster.assets(board)]
        return IntakeForm(submission, places, things)
    assert ticket_id is not None
    view = tickets.view(board, ticket_id)
    if submission.version is not None and view.version != submission.version:
        who = view.events[-1]["by"] if view.events else "?"
        raise Conflict(
            _(
                "Ticket {id} was changed by {who} since it was shown; look again before acting."
            ).format(id=ticket_id, who=who)
        )
    check_fits(board, action_id, ticket_id)
    submission.version = view.version
    line = TicketLine(view.id, view.level, view.initial_level, view.status, view.title)
    if action_id == "acknowledge":
        return None
    if action_id == "dispatch":
        people = [Person(e.login, e.name, e.role, e.phone or "") for e in roster.engineers(board)]
        return DispatchForm(submission, line, people, view.owner)
    if action_id == "report":
        return ReportForm(submission, line)
    if action_id == "note":
        return NoteForm(submission, line, crisis=view.crisis)
    if action_id == "level":
        return LevelForm(submission, line)
    if action_id == "escalate":
        submission.fixed = {"level": view.level - 1}
        callees = roster.people_to_call(board, view.level - 1)
        return EscalateForm(submission, line, board.actor, callees)
    if action_id == "crisis":
        submission.fixed = {"on": not view.crisis}
    return _confirm(submission, line, view.crisis)


def _prepare(submission: Submission) -> None:
    """Thread worker: check, load and show the form, or write at once for a step without one."""
    try:
        form = build_form(submission)
        if form is None:
            submission({})
            return
    except Conflict as error:
        submission.say(error.message, "warning")
        submission.announce(submission.ticket_id)
        return
    except ServiceError as error:
        submission.say(error.message, "error")
        return
    except Exception as error:  # noqa: BLE001 - a lost database: say so, the dashboard keeps running
        submission.say(_("Could not reach the database: {error}").format(error=error), "error")
        return
    if not get_current_worker().is_cancelled:  # a later key press superseded this one
        submission.app.call_from_thread(submission.app.push_screen, form)


async def run_action(
    app: App[Any], action_id: str, ticket_id: int | None, version: int | None
) -> None:
    """Start a triage action on a ticket; returns at once, the form appears when its data is loaded.

    `version` is the ticket's version as the screen showed it; None skips that check.
    """
    if action_id not in _NEEDS_TICKET:
        app.notify(_("Unknown action {action}").format(action=action_id), severity="error")
        return
    if _NEEDS_TICKET[action_id] and ticket_id is None:
        app.notify(_("Choose a ticket first"), severity="warning")
        return
    submission = Submission(app, app.screen, action_id, ticket_id, version)
    app.run_worker(
        partial(_prepare, submission),
        name=f"triage {action_id}",
        group="triage-prepare",
        exclusive=True,
        thread=True,
        exit_on_error=False,
    )
