"""The dashboard application: holds the Board, watches the database from a thread, ticks the countdowns.

Data flow (style.md practices 2 and 3): a poll, rescheduled half a second after the previous
one ended, reads the store's change marker on the dashboard's own database thread (one
connection for the shift); when the marker moved it reads only the tickets that changed and
posts them, and the App's handlers merge them into the queue by key. Every `sweep_interval`
seconds the poll also runs the service's sweep (when some restore clock is past due). The
one-second tick reads no database at all: it re-checks crossings and countdown cells, which
repaint narrowly.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from dutyboard import fmt
from dutyboard.i18n import N_, _
from dutyboard.tui import translate_bindings
from dutyboard.tui.commands import DashboardCommands
from dutyboard.tui.messages import BoardChanged, DatabaseStatus, RowsLoaded, Swept, TicketChanged
from dutyboard.tui.screens.inspections import InspectionCommands, open_inspections, watch_overdue
from dutyboard.tui.screens.queue import QueueScreen
from dutyboard.tui.widgets.queue_table import Alerts

if TYPE_CHECKING:
    from dutyboard.service.board import Board

#: How often the watcher looks at the change marker, in seconds.
POLL_SECONDS = 0.5
#: On PostgreSQL a LISTEN connection wakes the poll at once; the timer is only a safety net.
POLL_SECONDS_LISTENING = 5.0
#: Events read back from before the last marker on PostgreSQL, for writers whose ids were taken
#: before others' but committed after (sequences are not in commit order); SQLite commits in id
#: order, so it needs none.
MARKER_MARGIN = 64
#: Alerts shown one by one; more are summed up in one notification.
ALERTS_SHOWN = 3
#: Exit status when the terminal went away (128 + SIGHUP).
EXIT_HANGUP = 129
#: How long a clean exit may take after a hang-up before the process is ended hard.
HANGUP_GRACE_SECONDS = 1.0


class DutyboardApp(App[int]):
    """The duty engineer's board: the live queue and triage from the keyboard."""

    TITLE = "dutyboard"
    CSS_PATH: ClassVar[list[str | PurePath]] = [Path(__file__).with_name("app.tcss")]
    COMMANDS: ClassVar = App.COMMANDS | {DashboardCommands, InspectionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit"),
        Binding("i", "inspections", N_("Inspections"), id="inspections",
                tooltip=N_("Every site's monthly inspection, overdue first")),
        Binding("q", "quit", N_("Quit"), id="app.quit_q"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        # Textual's own palette key, declared here so its footer label is in the engineer's language.
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True,
                tooltip=N_("Every action by name")),
    ]

    def __init__(self, board: Board, *, watch: bool = True) -> None:
        super().__init__()
        translate_bindings(self)
        self.board = board
        self.watching = watch
        self.animation_level = "none"
        self._pending_ids: set[int] = set()
        self._full_reload = False
        self._database_ok = True
        self._marker: int | None = None
        self._next_sweep = 0.0
        self._poll_lock = asyncio.Lock()
        self._poll_timer: Timer | None = None
        self._early_rows: list[RowsLoaded] = []
        self._first_read: asyncio.Future[tuple[int | None, list[Any] | None, list[int]]] | None = None
        self._database_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dutyboard-db")
        self._hung_up = False
        self._ender: threading.Timer | None = None
        self._leaving = False
        self._listening = False

    # -- settings

    def setting(self, name: str, default: Any) -> Any:
        """A config value the dashboard reads (bell, notify, sweep_interval)."""
        return getattr(self.board.config, name, default)

    # -- start and stop

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, in the user's language."""
        names = {
            "Theme": (_("Theme"), _("Change the colours")),
            "Quit": (_("Quit"), _("Quit dutyboard")),
            "Keys": (_("Keys"), _("Show or hide the keys of the focused part")),
            "Minimize": (_("Minimize"), _("Back to the normal size")),
            "Maximize": (_("Maximize"), _("Fill the screen with the focused part")),
            "Screenshot": (_("Screenshot"), _("Save an SVG picture of the screen")),
        }
        for command in super().get_system_commands(screen):
            title, help_text = names.get(command.title, (command.title, command.help))
            yield command._replace(title=title, help=help_text)

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the user's language."""
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(placeholder=_("Search for a command…"), id="--command-palette")
            )

    def get_default_screen(self) -> QueueScreen:
        return QueueScreen()

    @property
    def queue_screen(self) -> QueueScreen:
        for screen in self.screen_stack:
            if isinstance(screen, QueueScreen):
                return screen
        raise LookupError("queue screen")

    def _shown_queue(self) -> QueueScreen | None:
        """The queue screen when its widgets are up: None before composing and once closing.

        Timer callbacks and messages may land while the app shuts down and takes the queue
        apart a widget at a time; they use this and do nothing then.
        """
        if self._leaving or not self.is_running:
            return None
        try:
            screen = self.queue_screen
        except LookupError:
            return None
        return screen if screen.widgets_up() else None

    def on_load(self) -> None:
        """Start reading the queue at once, while the screen is still being built."""
        if self.watching:
            self._first_read = asyncio.get_running_loop().run_in_executor(
                self._database_thread, self._read_changes, None, True, set()
            )

    def queue_ready(self) -> None:
        """The queue screen is mounted: take rows read before it was, start the tick and the watcher."""
        early, self._early_rows = self._early_rows, []
        for message in early:
            self._rows_loaded(message)
        self.set_interval(1.0, self.tick, name="countdown tick")
        self.tick()
        for notice in self.board.take_notices():
            self.notify(notice, severity="warning", timeout=15, markup=False)
        if self.watching:
            self.start_watching()
            watch_overdue(self)
        if not self.is_headless:
            self.watch_terminal()
            try:
                signal.signal(signal.SIGHUP, self._on_sighup)
            except ValueError:  # not the main thread (embedded): the terminal watch remains
                pass

    def action_inspections(self) -> None:
        """Every site's monthly inspection, overdue first; Enter starts or resumes one."""
        open_inspections(self)

    def on_unmount(self) -> None:
        self._leaving = True
        self._database_thread.shutdown(wait=False, cancel_futures=True)

    async def action_quit(self) -> None:
        self._leaving = True
        self.exit()

    # -- lost terminal

    @property
    def hung_up(self) -> bool:
        """True once the terminal went away."""
        return self._hung_up

    def _on_sighup(self, signum: int, frame: object) -> None:
        self.hang_up()

    def hang_up(self) -> None:
        """The terminal went away (SSH dropped): exit now, and hard if a clean exit stalls."""
        if self._hung_up:
            return
        self._hung_up = True
        if not self.is_headless:
            # Restoring a terminal that is gone can block the writer for ever: end hard then.
            self._ender = threading.Timer(HANGUP_GRACE_SECONDS, os._exit, (EXIT_HANGUP,))
            self._ender.daemon = True
            self._ender.start()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(partial(self.exit, None, EXIT_HANGUP))

    def watch_terminal(self) -> None:
        """Exit when the terminal hangs up even if SIGHUP never comes (ignored, nohup, a pipe).

        Textual's input thread reads an endless EOF from a hung-up terminal and spins; a thread
        blocked in poll() on the terminal's descriptors wakes only on HUP or error, at no cost.
        """
        fds = []
        for stream in (sys.__stdin__, sys.__stdout__):
            try:
                if stream is not None and os.isatty(stream.fileno()):
                    fds.append(stream.fileno())
            except (OSError, ValueError):
                continue
        if not fds:
            return
        poller = select.poll()
        for fd in fds:
            poller.register(fd, select.POLLHUP | select.POLLERR)

        def watch() -> None:
            gone = select.POLLHUP | select.POLLERR | select.POLLNVAL
            while not self._hung_up and not self._leaving:
                if any(mask & gone for _fd, mask in poller.poll(1000)):
                    self.hang_up()
                    return

        threading.Thread(target=watch, name="terminal watch", daemon=True).start()

    # -- the board watcher: polls rescheduled after each other, on one database thread

    def start_watching(self) -> None:
        """Start polling: the first poll loads the whole queue, later ones only what changed."""
        self._schedule_poll(0)
        from dutyboard.store import db as store

        if not store.is_sqlite():
            threading.Thread(target=self._listen, name="board listen", daemon=True).start()

    def _listen(self) -> None:
        """On PostgreSQL: LISTEN for other sessions' commits and poll as soon as one lands."""
        from dutyboard.store.watch import ChangeWatcher

        try:
            watcher = ChangeWatcher(self.board.target)
        except Exception:  # noqa: BLE001 - no LISTEN connection: the timer keeps polling
            return
        self._listening = True
        try:
            while not (self._leaving or self._hung_up):
                try:
                    changed = watcher.wait(1.0)
                except Exception:  # noqa: BLE001 - the server went away: poll by timer meanwhile
                    self._listening = False
                    time.sleep(1.0)
                    continue
                self._listening = True
                if changed and not (self._leaving or self._hung_up):
                    with contextlib.suppress(Exception):  # the app may be closing
                        self.call_from_thread(self._changed_elsewhere)
        finally:
            self._listening = False
            watcher.close()

    def _changed_elsewhere(self) -> None:
        if self.watching and not self._poll_lock.locked():
            self._schedule_poll(0)

    def _schedule_poll(self, delay: float) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._poll_timer = self.set_timer(max(delay, 0.01), self._poll_worker, name="board poll")

    @work(exclusive=False, exit_on_error=False, group="board-watcher", name="board poll")
    async def _poll_worker(self) -> None:
        try:
            await self.poll_now()
        finally:
            if not self._leaving and not self._hung_up:
                idle = POLL_SECONDS_LISTENING if self._listening else POLL_SECONDS
                self._schedule_poll(0 if self._pending_ids or self._full_reload else idle)

    async def poll_now(self) -> None:
        """One poll: reload what changed since the last marker, then sweep when it is time.

        The database work runs on the dashboard's own database thread (one connection for the
        shift); the marker advances only once the rows are handed to the queue. The rows are
        handed over before the sweep runs, so the first screen never waits for a sweep.
        """
        async with self._poll_lock:
            full = self._full_reload or self._marker is None
            pending = set(self._pending_ids)
            loop = asyncio.get_running_loop()
            try:
                if full and self._first_read is not None:
                    first, self._first_read = self._first_read, None
                    marker, rows, removed = await first
                else:
                    marker, rows, removed = await loop.run_in_executor(
                        self._database_thread, self._read_changes, self._marker, full, pending
                    )
                if full:
                    self._full_reload = False
                self._pending_ids -= pending
                self._marker = marker
                if rows is not None:
                    self.post_message(RowsLoaded(rows, removed=removed, replace_all=full))
                if time.monotonic() >= self._next_sweep:
                    interval = max(1.0, float(self.setting("sweep_interval", 5)))
                    self._next_sweep = time.monotonic() + interval
                    results = (
                        await loop.run_in_executor(self._database_thread, self._sweep)
                        if self._sweep_may_act()
                        else []
                    )
                    if results:
                        self.post_message(Swept(results))
            except Exception as error:  # noqa: BLE001 - the database is away (locked, network, disk): say so, retry
                if self._database_ok:
                    self._database_ok = False
                    self.post_message(DatabaseStatus(False, str(error)))
                return
            if not self._database_ok:
                self._database_ok = True
                self.post_message(DatabaseStatus(True))

    def _read_changes(
        self, marker: int | None, full: bool, pending: set[int]
    ) -> tuple[int | None, list[Any] | None, list[int]]:
        """On the database thread: (new marker, rows to merge or None, ids that left)."""
        from dutyboard.service import tickets
        from dutyboard.store import db as store

        if full:
            return store.change_marker(), tickets.open_rows(), []
        current = store.change_marker()
        if marker is not None and current < marker:  # a backup was restored: read everything
            self._full_reload = True
            return current, None, []
        ids = set(pending)
        if current != marker:
            ids |= self._changed_since(marker)
        if not ids:
            return current, None, []
        rows = tickets.open_rows(ids)
        return current, rows, sorted(ids - {row.id for row in rows})

    def _sweep_may_act(self) -> bool:
        """A sweep escalates only tickets whose restore clock is past due; skip it when none is.

        The queue holds every open ticket as of the last poll (at most half a second old), so
        this is exact; it spares a database scan every few seconds on a quiet board.
        """
        screen = self._shown_queue()
        if screen is None or not screen.table.loaded:
            return True
        return screen.table.model.restore_overdue(self.board.now())

    def _sweep(self) -> list[Any]:
        """On the database thread: the automatic escalation, as every dashboard runs it."""
        from dutyboard.service import tickets

        return tickets.sweep(self.board)

    @staticmethod
    def _changed_since(marker: int | None) -> set[int]:
        """Tickets touched by events after the marker (the marker is the highest event id)."""
        from dutyboard.store import db as store
        from dutyboard.store.models import Event

        if marker is None:
            return set()
        since = marker if store.is_sqlite() else marker - MARKER_MARGIN
        query = (
            Event.select(Event.ticket)
            .where(Event.id > since, Event.ticket.is_null(False))
            .distinct()
        )
        return {row.ticket_id for row in query}  # type: ignore[attr-defined]

    def reload(self, ticket_id: int | None = None) -> None:
        """Ask for one ticket (or everything) to be read now instead of at the next poll."""
        if ticket_id is None:
            self._full_reload = True
        else:
            self._pending_ids.add(ticket_id)
        if self.watching and not self._poll_lock.locked():
            self._schedule_poll(0)

    @on(TicketChanged)
    def _ticket_changed(self, message: TicketChanged) -> None:
        self.reload(message.ticket_id)

    @on(BoardChanged)
    def _board_changed(self) -> None:
        self.reload()

    # -- handlers: the App owns the queue's state

    @on(RowsLoaded)
    def _rows_loaded(self, message: RowsLoaded) -> None:
        screen = self._shown_queue()
        if screen is None:
            if not self._leaving:
                self._early_rows.append(message)  # the queue is not composed yet: keep them
            return
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
        screen = self._shown_queue()
        if screen is not None:
            screen.header.set_database_ok(message.ok)
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
            if event.worker.group == "board-watcher" and not (self._hung_up or self._leaving):
                self._schedule_poll(POLL_SECONDS)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """No blinking cursors: each blink is bytes on a slow link."""
        if hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    # -- the tick

    def tick(self) -> None:
        """Once a second, without the database: the header clock, crossings and countdown cells."""
        screen = self._shown_queue()
        if screen is None:
            return
        now = self.board.now()
        screen.header.show_time(now)
        changed, alerts = screen.table.advance(now)
        if changed:
            self._show_counts()
        self.alert(alerts)

    def _show_counts(self) -> None:
        screen = self._shown_queue()
        if screen is None:
            return
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
    if app.hung_up:
        return EXIT_HANGUP
    return app.return_code or 0
