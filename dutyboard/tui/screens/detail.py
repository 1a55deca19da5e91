"""One ticket in full: its clocks, who to call at its level, escalations, report and audit trail.

The data is read on the screen's own database thread and handed over in a message; the clocks
tick from the stored dues without a query, and a cheap look at the store's change marker each
second reloads the screen when anyone wrote anything. The triage keys of the queue work here
on this ticket.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, ClassVar, TypeVar, cast

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from dutyboard import fmt
from dutyboard.domain.clocks import Clock
from dutyboard.domain.policy import REPORT_PART_LABELS, REPORT_PARTS
from dutyboard.i18n import N_, _, pgettext
from dutyboard.service import roster, tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import ServiceError
from dutyboard.service.roster import Callee
from dutyboard.service.tickets import TicketView
from dutyboard.store import db as store
from dutyboard.tui import literal, literal_block, translate_bindings
from dutyboard.tui.actions import ACTIONS, run_action
from dutyboard.tui.messages import BoardChanged, TicketChanged
from dutyboard.tui.widgets.call_list import CallList
from dutyboard.tui.widgets.clock_panel import ClockPanel
from dutyboard.tui.widgets.key_footer import KeyFooter

T = TypeVar("T")


@dataclass(frozen=True)
class Detail:
    """Everything the screen shows, read in one go by the loader."""

    view: TicketView
    clocks: dict[str, Clock]
    callees: list[Callee]
    names: dict[str, str]


# ---------------------------------------------------------------- words


def event_name(kind: str) -> str:
    """What an audit-trail event did, in a word or two."""
    names = {
        "opened": pgettext("event", "opened"),
        "acknowledged": pgettext("event", "acknowledged"),
        "dispatched": pgettext("event", "dispatched"),
        "arrived": pgettext("event", "on site"),
        "restored": pgettext("event", "restored"),
        "reported": pgettext("event", "report filed"),
        "closed": pgettext("event", "closed"),
        "note": pgettext("event", "note"),
        "crisis_on": pgettext("event", "crisis mode on"),
        "crisis_off": pgettext("event", "crisis mode off"),
        "level": pgettext("event", "re-classified"),
        "escalated": pgettext("event", "escalated"),
        "auto": pgettext("event", "escalated"),
        "management": pgettext("event", "management escalation"),
    }
    return names.get(kind, literal(kind))


def escalation_kind_name(kind: str) -> str:
    """How an escalation came about: by the sweep, by hand, or to management at level 1."""
    names = {
        "auto": pgettext("escalation", "automatic"),
        "manual": pgettext("escalation", "by hand"),
        "management": pgettext("escalation", "management"),
    }
    return names.get(kind, literal(kind))


def escalation_reason(kind: str, reason: str) -> str:
    """The recorded reason; the sweep's own reasons are messages, shown in the current language."""
    if kind in ("auto", "management") and reason:
        return _(reason)
    return literal(reason)


def levels(from_level: Any, to_level: Any) -> str:
    """A level change as "L3→L2"."""
    try:
        return f"{fmt.level_short(int(from_level))}→{fmt.level_short(int(to_level))}"
    except (TypeError, ValueError):
        return f"{literal(str(from_level))}→{literal(str(to_level))}"


def person(login: str | None, names: Mapping[str, str]) -> str:
    """A login with the roster's name: "张伟 (zhangwei)"; the login alone when not on the roster."""
    if not login:
        return "—"
    name = names.get(login)
    return literal(f"{name} ({login})" if name and name != login else login)


def event_details(event: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """What an event carried, as a short line: the level on opening, the engineer, the note's text."""
    kind = str(event.get("kind", ""))
    if kind == "opened":
        parts = []
        if "level" in event:
            parts.append(fmt.level_name(int(event["level"])))
        if event.get("service") in ("hardware", "development"):
            parts.append(fmt.service_name(event["service"]))
        try:
            parts.append(fmt.channel_name(str(event.get("channel"))))
        except ValueError:
            pass
        return " · ".join(parts)
    if kind == "dispatched":
        return "→ " + person(event.get("to"), names) if event.get("to") else ""
    if kind == "note":
        return literal(str(event.get("text", "")))
    if "from_level" in event and "to_level" in event:
        change = levels(event["from_level"], event["to_level"])
        reason = escalation_reason(str(event.get("escalation_kind", kind)), str(event.get("reason", "")))
        return f"{change} {reason}".rstrip()
    return ""


# ---------------------------------------------------------------- renderables


def facts_text(view: TicketView, zone: tzinfo, names: Mapping[str, str]) -> Text:
    """Service, channel, site and asset; when it was reported and by whom; owner; description."""
    text = Text()
    text.append(_("Service") + " ", style="bold")
    text.append(fmt.service_name(view.service))
    text.append("  " + _("Channel") + " ", style="bold")
    text.append(fmt.channel_name(view.channel))
    text.append("  " + _("Site") + " ", style="bold")
    text.append(literal(view.site) or "—")
    text.append("  " + _("Asset") + " ", style="bold")
    text.append(literal(view.asset) or "—")
    text.append("\n" + _("Reported") + " ", style="bold")
    text.append(fmt.datetime_short(view.reported_at, zone))
    text.append(" " + _("by {who}").format(who=person(view.opened_by, names)))
    text.append("  " + _("Owner") + " ", style="bold")
    text.append(person(view.owner, names))
    if view.description.strip():
        text.append("\n")
        text.append(literal_block(view.description.strip()), style="italic")
    return text


def escalations_table(view: TicketView, zone: tzinfo) -> Table | Text:
    """Every escalation: when, from which level to which, how, and why."""
    if not view.escalations:
        return Text(_("No escalations"), style="italic")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for e in view.escalations:
        table.add_row(
            fmt.datetime_short(e["at"], zone),
            levels(e["from_level"], e["to_level"]),
            escalation_kind_name(str(e["kind"])),
            Text(escalation_reason(str(e["kind"]), str(e["reason"] or "")), overflow="fold"),
        )
    return table


def report_text(view: TicketView, zone: tzinfo, names: Mapping[str, str]) -> Text:
    """The five parts of the fault analysis report, or when it is due."""
    report = view.report
    if report is None:
        due = view.clocks["report"].due
        if due is None:
            return Text(_("Not filed; due one working day after restoration"), style="italic")
        return Text(
            _("Not filed; due {due}").format(due=fmt.datetime_short(due, zone)), style="italic"
        )
    text = Text()
    filed = _("Filed {at} by {who}").format(
        at=fmt.datetime_short(report["submitted_at"], zone),
        who=person(report.get("submitted_by"), names),
    )
    text.append(filed, style="italic")
    for part in REPORT_PARTS:
        text.append("\n" + _(REPORT_PART_LABELS[part]) + ": ", style="bold")
        text.append(literal_block(report.get(part) or "—"))
    return text


def trail_table(view: TicketView, zone: tzinfo, names: Mapping[str, str]) -> Table:
    """The audit trail, oldest first: when, who, what, and what it carried."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, max_width=14)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for event in view.events:
        kind = str(event.get("kind", ""))
        table.add_row(
            fmt.datetime_short(event["at"], zone),
            Text(literal(str(event.get("by", ""))), overflow="ellipsis"),
            Text(event_name(kind), style="bold"),
            Text(event_details(event, names), overflow="fold"),
        )
    return table


# ---------------------------------------------------------------- the screen


class TicketDetailScreen(Screen[None]):
    """A ticket in full; the triage keys act on it; Esc or q goes back to where it was opened."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - typed by Screen

    DEFAULT_CSS = """
    TicketDetailScreen {
        #detail-top { height: 1; }
        #detail-badge { width: auto; padding: 0 1; text-style: bold; }
        #detail-badge.-l1 { background: $error; color: $text; }
        #detail-badge.-l2 { background: $warning; color: $background; }
        #detail-badge.-l3 { background: $primary-muted; color: $text; }
        #detail-badge.-l4 { background: $panel; color: $text-muted; }
        #detail-head { width: 1fr; padding: 0 1; }
        #detail-title { text-style: bold; padding: 0 1; }
        #detail-facts { padding: 0 1; color: $text; }
        #detail-clocks { padding: 0 1; margin-top: 1; }
        .detail-section {
            height: auto;
            padding: 0 1;
            margin-bottom: 1;
            border-top: solid $panel-lighten-2;
            border-title-color: $accent;
            border-title-style: bold;
        }
        #detail-body { height: 1fr; }
        #detail-message { padding: 1 2; color: $error; }
        #detail-message.-loading { color: $text-muted; }
        &.-narrow #detail-left, &.-narrow #detail-right { height: auto; }
        &.-wide #detail-body { layout: horizontal; overflow-y: hidden; }
        &.-wide #detail-left { width: 1fr; height: 100%; }
        &.-wide #detail-right { width: 1fr; height: 100%; }
        &:nocolor #detail-badge.-l1 { text-style: bold reverse; }
    }
    """

    #: The footer keeps as many of these as fit, in this order; help and the palette list them all.
    FOOTER_KEYS: ClassVar[tuple[str, ...]] = (
        "triage.acknowledge",
        "triage.dispatch",
        "triage.arrive",
        "triage.restore",
        "triage.report",
        "triage.close",
        "triage.note",
        "detail.help",
        "triage.escalate",
        "triage.level",
        "triage.crisis",
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", N_("Back"), show=False, id="detail.back"),
        Binding("question_mark", "help", N_("Help"), id="detail.help"),
        Binding("j", "scroll(1)", N_("Down"), show=False, id="detail.down"),
        Binding("k", "scroll(-1)", N_("Up"), show=False, id="detail.up"),
    ]

    class Loaded(Message):
        """The loader read the ticket."""

        def __init__(self, detail: Detail, marker: int) -> None:
            super().__init__()
            self.detail = detail
            self.marker = marker

    class Failed(Message):
        """The loader could not read the ticket: shown in place of the data."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.detail: Detail | None = None
        self._marker: int | None = None
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dutyboard-detail")
        translate_bindings(self)
        table = self._bindings.key_to_bindings
        for action_id, key, label, _needs in ACTIONS:
            table.setdefault(key, []).append(
                Binding(key, f"triage('{action_id}')", _(label), id=f"triage.{action_id}")
            )

    @property
    def board(self) -> Board:
        board: Board = cast(Any, self.app).board
        return board

    @property
    def version(self) -> int | None:
        """The version on screen: an action on a ticket changed since is refused."""
        return self.detail.view.version if self.detail is not None else None

    def compose(self) -> ComposeResult:
        with Horizontal(id="detail-top"):
            yield Static(f"#{self.ticket_id}", id="detail-badge", markup=False)
            yield Static("", id="detail-head", markup=False)
        yield Static("", id="detail-title", markup=False)
        yield Static(_("Loading…"), id="detail-message", classes="-loading", markup=False)
        yield Static("", id="detail-facts", markup=False)
        yield ClockPanel(self.board.zone, id="detail-clocks")
        with VerticalScroll(id="detail-body"):
            with Vertical(id="detail-left"):
                yield CallList(id="detail-calls", classes="detail-section")
                yield Static("", id="detail-escalations", classes="detail-section")
                yield Static("", id="detail-report", classes="detail-section")
            with Vertical(id="detail-right"):
                yield Static("", id="detail-trail", classes="detail-section")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#detail-calls").border_title = _("Call now")
        self.query_one("#detail-escalations").border_title = _("Escalations")
        self.query_one("#detail-report").border_title = _("Fault analysis report")
        self.query_one("#detail-trail").border_title = _("Audit trail")
        self.set_interval(1, self._tick)
        self.query_one("#detail-body").focus()
        self.load()

    # ------------------------------------------------------------ loading

    def read(self) -> tuple[Detail, int]:
        """The ticket, its clocks, who to call and the roster's names, with the change marker."""
        board = self.board
        marker = store.change_marker()
        view = tickets.view(board, self.ticket_id)
        rows = tickets.open_rows(ids=[self.ticket_id])
        callees = roster.people_to_call(board, view.level)
        names = {e.login: e.name for e in roster.engineers(board)}
        clocks = dict(rows[0].clocks) if rows else {}
        return Detail(view, clocks, callees, names), marker

    async def on_database(self, fn: Callable[[], T]) -> T:
        """Run database work on this screen's own thread (one connection, however often it reads)."""
        return await asyncio.get_running_loop().run_in_executor(self._database, fn)

    @work(exclusive=True, group="detail-load", exit_on_error=False)
    async def load(self) -> None:
        """Read the ticket off the event loop and hand it to the screen."""
        try:
            detail, marker = await self.on_database(self.read)
        except ServiceError as error:
            self.post_message(self.Failed(error.message))
            return
        except Exception as error:  # noqa: BLE001 - a lost database: say so and keep the screen
            self.post_message(
                self.Failed(_("Could not reach the database: {error}").format(error=error))
            )
            return
        self.post_message(self.Loaded(detail, marker))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        detail = self.detail = event.detail
        self._marker = event.marker
        view, zone = detail.view, self.board.zone
        badge = self.query_one("#detail-badge", Static)
        badge.update(fmt.level_name(view.level))
        badge.set_classes(f"-l{view.level}")
        self.query_one("#detail-head", Static).update(self._head(view))
        self.query_one("#detail-title", Static).update(Text(literal(view.title)))
        self.query_one("#detail-message").display = False
        self.query_one("#detail-facts", Static).update(facts_text(view, zone, detail.names))
        self.query_one(ClockPanel).show(detail.clocks, self.board.now())
        calls = self.query_one("#detail-calls", CallList)
        calls.border_title = _("Call now: {level} (plan table 8.5.5.1)").format(
            level=fmt.level_name(view.level)
        )
        calls.show(view.level, detail.callees)
        self.query_one("#detail-escalations", Static).update(escalations_table(view, zone))
        self.query_one("#detail-report", Static).update(report_text(view, zone, detail.names))
        self.query_one("#detail-trail", Static).update(trail_table(view, zone, detail.names))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        message = self.query_one("#detail-message", Static)
        message.update(event.message)
        message.remove_class("-loading")
        message.display = True

    def _head(self, view: TicketView) -> Text:
        head = Text(f"#{view.id}", style="bold")
        if view.initial_level != view.level:
            head.append(
                " · " + _("reported as {level}").format(level=fmt.level_short(view.initial_level))
            )
        head.append(" · ")
        head.append(fmt.status_name(view.status), style="bold")
        if view.crisis:
            head.append("  ")
            head.append(" " + _("CRISIS") + " ", style="bold reverse")
        return head

    def _tick(self) -> None:
        if self.detail is not None:
            self.query_one(ClockPanel).tick(self.board.now())
            self._look_for_changes()

    @work(exclusive=True, group="detail-watch", exit_on_error=False)
    async def _look_for_changes(self) -> None:
        """Reload when anyone wrote anything since the last load: one cheap query a second."""
        try:
            marker = await self.on_database(store.change_marker)
        except Exception:  # noqa: BLE001 - the database is away: the header says so, the data stays
            return
        if marker != self._marker:
            self.load()

    def on_unmount(self) -> None:
        self._database.shutdown(wait=False, cancel_futures=True)

    @on(TicketChanged)
    def _ticket_changed(self, event: TicketChanged) -> None:
        if event.ticket_id in (None, self.ticket_id):
            self.load()

    @on(BoardChanged)
    def _board_changed(self) -> None:
        self.load()

    # ------------------------------------------------------------ keys

    async def action_triage(self, action_id: str) -> None:
        """Run a triage action on this ticket (or open a new one)."""
        on_ticket = next((needs for aid, _key, _label, needs in ACTIONS if aid == action_id), True)
        if on_ticket:
            await run_action(self.app, action_id, self.ticket_id, self.version)
        else:
            await run_action(self.app, action_id, None, None)

    def action_help(self) -> None:
        """Every key of this screen."""
        from dutyboard.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(cast("Screen[object]", self)))

    def action_scroll(self, step: int) -> None:
        """Vim keys: scroll the part that has the focus, or the body."""
        target = (
            self.focused
            if isinstance(self.focused, VerticalScroll)
            else self.query_one("#detail-body")
        )
        target.scroll_relative(y=step, animate=False)

    def action_back(self) -> None:
        """Back to the screen the ticket was opened from."""
        self.dismiss()
