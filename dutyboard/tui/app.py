"""The dashboard application: holds the Board, watches the database from a thread, ticks the countdowns.

Data flow (style.md practices 2 and 3): one thread worker, the board watcher, runs the sweep
every `sweep_interval` seconds and polls the store's change marker twice a second; when it
moves, it reads only the tickets that changed and posts them; the App's handlers merge them into
the queue by key. The one-second tick reads no database at all: it only re-checks countdown
cells, which repaint narrowly.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import DescendantFocus
from textual.worker import Worker, WorkerState, get_current_worker

from dutyboard import fmt
from dutyboard.i18n import N_, _
from dutyboard.tui import translate_bindings
from dutyboard.tui.commands import DashboardCommands
from dutyboard.tui.messages import BoardChanged, DatabaseStatus, RowsLoaded, Swept, TicketChanged
from dutyboard.tui.screens.queue import QueueScreen
from dutyboard.tui.widgets.queue_table import Alerts

if TYPE_CHECKING:
    from dutyboard.service.board import Board

#: How often the watcher looks at the change marker, in seconds.
POLL_SECONDS = 0.5
#: Events read back from before the last marker, for writers whose ids were taken before ours
#: but committed after (PostgreSQL sequences); SQLite commits in id order.
MARKER_MARGIN = 64
#: Alerts shown one by one; more are summed up in one notification.
ALERTS_SHOWN = 3
#: Exit status when the terminal went away (128 + SIGHUP).
EXIT_HANGUP = 129
#: How long a clean exit may take after a hang-up before the process is ended hard.
HANGUP_GRACE_SECONDS = 3.0


class DutyboardApp(App[int]):
    """The duty engineer's board: the live queue and triage from the keyboard."""

    TITLE = "dutyboard"
    CSS_PATH: ClassVar[list[str]] = ["app.tcss"]
    COMMANDS: ClassVar = App.COMMANDS | {DashboardCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit"),
        Binding("q", "quit", N_("Quit"), id="app.quit_q"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, board: Board, *, watch: bool = True) -> None:
        super().__init__()
        translate_bindings(self)
        self.board = board
        self.watch = watch
        self.animation_level = "none"
        self._wake = threading.Event()
        self._pending: set[int] = set()
        self._full_reload = False
        self._database_ok = True
        self._hung_up = False

    # -- settings

    def setting(self, name: str, default: Any) -> Any:
        """A config value the dashboard reads (bell, notify, sweep_interval)."""
        return getattr(self.board.config, name, default)

    # -- start and stop

    def get_default_screen(self) -> QueueScreen:
        return QueueScreen()

    @property
    def queue_screen(self) -> QueueScreen:
        for screen in self.screen_stack:
            if isinstance(screen, QueueScreen):
                return screen
        raise LookupError("queue screen")

    def queue_ready(self) -> None:
        """The queue screen is mounted: start the tick and the board watcher."""
        self.set_interval(1.0, self.tick, name="countdown tick")
        self.tick()
        for notice in self.board.take_notices():
            self.notify(notice, severity="warning", timeout=15, markup=False)
        if self.watch:
            self.watch_board()
        if not self.is_headless:
            try:
                signal.signal(signal.SIGHUP, self._on_sighup)
            except ValueError:  # not the main thread (embedded): the driver's EOF check remains
                pass

    def on_unmount(self) -> None:
        self._wake.set()

    async def action_quit(self) -> None:
        self._wake.set()
        self.exit()

    # -- lost terminal

    def _on_sighup(self, signum: int, frame: object) -> None:
        self.hang_up()

    def hang_up(self) -> None:
        """The terminal went away (SSH dropped): exit now, and hard if a clean exit stalls."""
        if self._hung_up:
            return
        self._hung_up = True
        self._wake.set()
        ender = threading.Timer(HANGUP_GRACE_SECONDS, os._exit, (EXIT_HANGUP,))
        ender.daemon = True
        ender.start()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(partial(self.exit, None, EXIT_HANGUP))

    def terminal_gone(self) -> bool:
        """True when the terminal hung up or closed (poll reports HUP/ERR on stdin or stdout)."""
        if self.is_headless:
            return False
        poller = select.poll()
        watched = 0
        for stream in (sys.__stdin__, sys.__stdout__):
            try:
                if stream is not None and os.isatty(stream.fileno()):
                    poller.register(stream.fileno(), select.POLLHUP | select.POLLERR)
                    watched += 1
            except (OSError, ValueError):
                return True
        if not watched:
            return False
        return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _fd, mask in poller.poll(0))

    # -- the board watcher (a thread: every call here may wait on the database)

    @work(thread=True, exclusive=True, exit_on_error=False, group="board-watcher", name="board watcher")
    def watch_board(self) -> None:
        """Sweep every `sweep_interval` seconds; reload changed tickets when the change marker moves."""
        from dutyboard.service import tickets
        from dutyboard.store import db as store

        worker = get_current_worker()
        board = self.board
        interval = max(1.0, float(self.setting("sweep_interval", 10)))
        marker: Any = None
        next_sweep = 0.0
        while not worker.is_cancelled and not self._hung_up:
            try:
                if marker is None or self._full_reload:
                    self._full_reload = False
                    self._pending.clear()
                    marker = store.change_marker()
                    rows = tickets.open_rows()
                    self.post_message(RowsLoaded(rows, replace_all=True))
                else:
                    current = store.change_marker()
                    if current != marker or self._pending:
                        ids = set(self._pending)
                        self._pending.clear()
                        if current != marker:
                            ids |= self._changed_since(marker)
                        marker = current
                        if ids:
                            rows = tickets.open_rows(ids)
                            removed = sorted(ids - {row.id for row in rows})
                            self.post_message(RowsLoaded(rows, removed=removed))
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + interval
                    results = tickets.sweep(board)
                    if results:
                        self.post_message(Swept(results))
                if not self._database_ok:
                    self._database_ok = True
                    self.post_message(DatabaseStatus(True))
            except Exception as error:  # noqa: BLE001 - the database is away (locked, network, disk): say so, retry
                if self._database_ok:
                    self._database_ok = False
                    self.post_message(DatabaseStatus(False, str(error)))
            if self.terminal_gone():
                self.hang_up()
                break
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    @staticmethod
    def _changed_since(marker: Any) -> set[int]:
        """Tickets touched by events after the marker (the marker is the highest event id)."""
        from dutyboard.store.models import Event

        if not isinstance(marker, int):
            return set()
        query = (
            Event.select(Event.ticket)
            .where(Event.id > marker - MARKER_MARGIN, Event.ticket.is_null(False))
            .distinct()
        )
        return {row.ticket_id for row in query}

    def reload(self, ticket_id: int | None = None) -> None:
        """Ask the watcher to read one ticket (or everything) now instead of at the next poll."""
        if ticket_id is None:
            self._full_reload = True
        else:
            self._pending.add(ticket_id)
        self._wake.set()

    @on(TicketChanged)
    def _ticket_changed(self, message: TicketChanged) -> None:
        self.reload(message.ticket_id)

    @on(BoardChanged)
    def _board_changed(self) -> None:
        self.reload()

    # -- handlers: the App owns the queue's state

    @on(RowsLoaded)
    def _rows_loaded(self, message: RowsLoaded) -> None:
        screen = self.queue_screen
        alerts = screen.table.apply_rows(
            message.rows, self.board.now(), removed=message.removed, replace_all=message.replace_all
        )
        self._show_counts()
        self.alert(alerts)

    @on(Swept)
    def _swept(self, message: Swept) -> None:
        lines = []
        for result in message.results:
            if result.from_level == result.to_level:
                lines.append(
                    _("Ticket {id} is still breached at level 1: management escalation recorded").format(
                        id=result.id
                    )
                )
            else:
                lines.append(
                    _("Ticket {id} escalated automatically from {old} to {new}").format(
                        id=result.id,
                        old=fmt.level_short(result.from_level),
                        new=fmt.level_short(result.to_level),
                    )
                )
        self.ring(lines)

    @on(DatabaseStatus)
    def _database_status(self, message: DatabaseStatus) -> None:
        self.queue_screen.header.set_database_ok(message.ok)
        if message.ok:
            self.notify(_("The database can be reached again"))
        else:
            self.notify(
                _("The database cannot be reached: {error}").format(error=message.error),
                severity="error",
                markup=False,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed triage or watcher worker is said, never swallowed."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title=_("Error"), severity="error", markup=False)
            if event.worker.group == "board-watcher" and not self._hung_up:
                self.watch_board()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """No blinking cursors: each blink is bytes on a slow link."""
        if hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    # -- the tick

    def tick(self) -> None:
        """Once a second, without the database: the header clock, crossings and countdown cells."""
        try:
            screen = self.queue_screen
        except LookupError:
            return
        now = self.board.now()
        screen.header.show_time(now)
        changed, alerts = screen.table.advance(now)
        if changed:
            self._show_counts()
        self.alert(alerts)

    def _show_counts(self) -> None:
        screen = self.queue_screen
        summary = screen.table.model.summary()
        screen.header.show_counts(summary.per_level, summary.breached, summary.warning)

    # -- bell and notifications

    def alert(self, alerts: Alerts) -> None:
        """New level 1/2 tickets and new breaches: the bell once, a notification each."""
        lines = [
            _("New {level} ticket {id}: {title}").format(
                level=fmt.level_name(row.level), id=row.id, title=row.title
            )
            for row in alerts.new_urgent
        ]
        lines += [
            _("Ticket {id} breached its {clock} clock").format(id=row.id, clock=fmt.clock_name(name))
            for row, name in alerts.new_breaches
        ]
        self.ring(lines)

    def ring(self, lines: list[str]) -> None:
        """Ring the bell once and notify, as the config allows."""
        if not lines:
            return
        if self.setting("bell", True):
            self.bell()
        if self.setting("notify", True):
            for line in lines[:ALERTS_SHOWN]:
                self.notify(line, severity="warning", timeout=10, markup=False)
            if len(lines) > ALERTS_SHOWN:
                self.notify(
                    _("… and {n} more").format(n=len(lines) - ALERTS_SHOWN),
                    severity="warning",
                    timeout=10,
                    markup=False,
                )


def run(board: Board) -> int:
    """Run the dashboard on a board until the engineer quits or the terminal goes away."""
    app = DutyboardApp(board)
    app.run()
    return app.return_code or 0
