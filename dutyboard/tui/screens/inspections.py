"""The inspections screen: every site's monthly inspection, overdue first; Enter starts or resumes one.

The schedule is read in a thread worker and merged into the table by site. The screen reloads
when the store's change marker moves (a cheap look every few seconds) and at least once a
minute, since a site turns overdue at midnight without anyone writing. The queue's header
count of overdue inspections comes from `watch_overdue`, started by the App.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dutyboard import fmt, locations
from dutyboard.i18n import N_, _
from dutyboard.service import inspections
from dutyboard.service.board import Board
from dutyboard.service.errors import ServiceError
from dutyboard.service.inspections import DueRow, InspectionView
from dutyboard.store import db as store
from dutyboard.tui import literal, translate_bindings
from dutyboard.tui.commands import ListedCommands
from dutyboard.tui.widgets.site_table import SiteTable

#: How often the screen looks at the change marker, in seconds.
LOOK_SECONDS = 3.0
#: How often the schedule is read even when nobody wrote (a site turns overdue at midnight).
RELOAD_SECONDS = 60.0
#: How often the App recounts overdue inspections for the queue's header.
OVERDUE_SECONDS = 60.0


def _board(app: App[Any]) -> Board:
    board: Board = cast(Any, app).board
    return board


def reports_dir() -> Path:
    """Where the dashboard writes inspection reports: <data dir>/reports."""
    return locations.data_dir() / "reports"


def write_report(board: Board, inspection_id: int, directory: Path | None = None) -> Path:
    """Write an inspection's HTML report (one self-contained A4 page) to a file; its path.

    Written to a temporary name and renamed, so a half-written report never has the real name.
    """
    from dutyboard.reports.inspection_report import render

    text = render(board, inspection_id, fmt="html")
    folder = directory or reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"inspection-{inspection_id}.html"
    partial_file = target.with_suffix(".html.tmp")
    partial_file.write_text(text, encoding="utf-8")
    os.replace(partial_file, target)
    return target


# ---------------------------------------------------------------- the queue header's count


def count_overdue(app: App[Any]) -> None:
    """Recount overdue inspections in a thread and show the number in the queue's header."""
    app.run_worker(
        partial(_count_overdue, app),
        name="overdue inspections",
        group="overdue-inspections",
        exclusive=True,
        thread=True,
        exit_on_error=False,
    )


def _count_overdue(app: App[Any]) -> None:
    try:
        count = inspections.overdue_count(_board(app))
    except Exception:  # noqa: BLE001 - the database is away: the header says so already
        return
    try:
        app.call_from_thread(_show_overdue, app, count)
    except RuntimeError:  # the app closed meanwhile
        return


def _show_overdue(app: App[Any], count: int) -> None:
    for screen in app.screen_stack:
        header = getattr(screen, "header", None)
        if header is not None and hasattr(header, "set_overdue_inspections"):
            header.set_overdue_inspections(count)


def watch_overdue(app: App[Any]) -> None:
    """Count overdue inspections now and every minute (a site turns overdue at midnight)."""
    app.set_interval(OVERDUE_SECONDS, partial(count_overdue, app), name="overdue inspections")
    count_overdue(app)


def open_inspections(app: App[Any]) -> None:
    """Show the inspections screen (from anywhere but the inspections screens themselves)."""
    from dutyboard.tui.screens.checklist import ChecklistScreen

    if isinstance(app.screen, (InspectionsScreen, ChecklistScreen)):
        return
    app.push_screen(InspectionsScreen())


# ---------------------------------------------------------------- the screen


@dataclass(frozen=True)
class Schedule:
    """What the screen shows, read in one go."""

    rows: list[DueRow]
    adhoc_drafts: dict[str, int]
    marker: int
    read_at: datetime


class InspectionsScreen(Screen[None]):
    """Every site with its last inspection and next due day; overdue ones first."""

    DEFAULT_CSS = """
    InspectionsScreen {
        #inspections-head {
            height: 1; background: $panel; padding: 0 1;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
        #inspections-message { padding: 1 2; color: $text-muted; }
        #inspections-message.-error { color: $error; }
        #inspections-message.-empty { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", N_("Back"), id="inspections.back"),
        Binding("a", "adhoc", N_("Ad-hoc"), id="inspections.adhoc",
                tooltip=N_("Start an ad-hoc inspection of the site (before an important operation)")),
        Binding("r", "report", N_("Report"), id="inspections.report",
                tooltip=N_("Write the report of the site's last submitted inspection to a file")),
        Binding("question_mark", "help", N_("Help"), id="inspections.help"),
    ]

    class Loaded(Message):
        """The schedule was read."""

        def __init__(self, schedule: Schedule) -> None:
            super().__init__()
            self.schedule = schedule

    class Failed(Message):
        """The schedule could not be read, or an action failed: said on the screen."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class Started(Message):
        """An inspection was started or a draft resumed: the checklist opens on it."""

        def __init__(self, view: InspectionView) -> None:
            super().__init__()
            self.view = view

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.schedule: Schedule | None = None
        self._looked_at = 0.0
        self._busy = False

    @property
    def board(self) -> Board:
        return _board(self.app)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys, less the App's `i` (this is the inspections screen)."""
        return {
            key: active
            for key, active in super().active_bindings.items()
            if not (active.node is self.app and active.binding.action == "inspections")
        }

    @property
    def table(self) -> SiteTable:
        return self.query_one(SiteTable)

    def compose(self) -> ComposeResult:
        yield Static(_("Inspections"), id="inspections-head", markup=False)
        yield Static(_("Loading…"), id="inspections-message", markup=False)
        yield SiteTable(self.board.zone, id="inspections-table")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.focus()
        self.set_interval(LOOK_SECONDS, self._look_for_changes, name="inspections look")
        self.set_interval(RELOAD_SECONDS, self.load, name="inspections reload")
        self.load()

    def on_screen_resume(self) -> None:
        """Back from a checklist: the draft marks and dates may have changed."""
        if self.schedule is not None:
            self.load()

    def on_resize(self) -> None:
        if self.schedule is not None:
            self.table.refit_names()

    # ------------------------------------------------------------ loading

    def read(self) -> Schedule:
        """The schedule, the open ad-hoc drafts per site, and the change marker it was read at."""
        board = self.board
        marker = store.change_marker()
        rows = inspections.due(board)
        adhoc: dict[str, int] = {}
        for summary in inspections.list_inspections(board, status="draft", kind="adhoc"):
            adhoc.setdefault(summary.site, summary.id)
        return Schedule(rows, adhoc, marker, board.now())

    @work(thread=True, exclusive=True, group="inspections-load", exit_on_error=False)
    def load(self) -> None:
        """Read the schedule off the event loop and hand it to the screen."""
        try:
            schedule = self.read()
        except ServiceError as error:
            self.post_message(self.Failed(error.message))
            return
        except Exception as error:  # noqa: BLE001 - a lost database: say so, keep the screen
            self.post_message(
                self.Failed(_("Could not reach the database: {error}").format(error=error))
            )
            return
        self.post_message(self.Loaded(schedule))

    @work(thread=True, exclusive=True, group="inspections-look", exit_on_error=False)
    def _look_for_changes(self) -> None:
        """Reload when anyone wrote anything since the last read: one cheap query."""
        if self.schedule is None:
            return
        try:
            marker = store.change_marker()
        except Exception:  # noqa: BLE001 - the database is away: the next look tries again
            return
        if marker != self.schedule.marker:
            self.app.call_from_thread(self.load)

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.schedule = event.schedule
        table = self.table
        table.show_rows(event.schedule.rows, event.schedule.adhoc_drafts)
        message = self.query_one("#inspections-message", Static)
        if event.schedule.rows:
            message.display = False
        else:
            message.update(_("No sites yet: register sites to schedule their inspections."))
            message.set_classes("-empty")
            message.display = True
        self.query_one("#inspections-head", Static).update(self.head(event.schedule))

    def head(self, schedule: Schedule) -> Text:
        """Title, how many sites are overdue and due, and when it was read."""
        counts = self.table.counts()
        text = Text(" ")
        text.append(_("Inspections"), style="bold")
        text.append("  ")
        overdue = _("{n} overdue").format(n=counts["overdue"])
        text.append(overdue, style="bold red" if counts["overdue"] else "dim")
        text.append("  ")
        text.append(_("{n} due").format(n=counts["due"]))
        text.append("  ")
        text.append(_("{n} done this month").format(n=counts["done"]), style="dim")
        text.append("  ")
        text.append(fmt.datetime_short(schedule.read_at, self.board.zone), style="dim")
        return text

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._busy = False
        if self.schedule is None:
            message = self.query_one("#inspections-message", Static)
            message.update(event.message)
            message.set_classes("-error")
            message.display = True
        self.notify(event.message, severity="error", markup=False, timeout=10)

    # ------------------------------------------------------------ starting

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        """Start the selected site's monthly inspection, or resume its draft."""
        self._start("monthly")

    def action_adhoc(self) -> None:
        """Start an ad-hoc inspection of the selected site (its open ad-hoc draft resumes)."""
        self._start("adhoc")

    def _start(self, kind: str) -> None:
        site = self.table.cursor_site
        if site is None:
            self.notify(_("No site is selected"), severity="warning")
            return
        if self._busy:
            return
        self._busy = True
        self._begin(site, kind)

    @work(thread=True, exclusive=True, group="inspections-start", exit_on_error=False)
    def _begin(self, site: str, kind: str) -> None:
        board = self.board
        try:
            if kind == "adhoc":
                drafts = inspections.list_inspections(
                    board, site=site, status="draft", kind="adhoc", limit=1
                )
                if drafts:
                    view = replace(inspections.show(board, drafts[0].id), resumed=True)
                else:
                    view = inspections.start(board, site, kind="adhoc")
            else:
                view = inspections.start(board, site, kind="monthly")
        except ServiceError as error:
            self.post_message(self.Failed(error.message))
            return
        except Exception as error:  # noqa: BLE001 - a lost database: say so
            self.post_message(
                self.Failed(_("Could not reach the database: {error}").format(error=error))
            )
            return
        self.post_message(self.Started(view))

    @on(Started)
    def _started(self, event: Started) -> None:
        from dutyboard.tui.screens.checklist import ChecklistScreen

        self._busy = False
        view = event.view
        if view.resumed:
            self.notify(
                _("Resuming draft #{id} of {site}: {filled} of {total} items filled").format(
                    id=view.id, site=literal(view.site),
                    filled=sum(1 for e in view.entries if e.value), total=len(view.entries),
                ),
                markup=False,
            )
        else:
            self.notify(
                _("Inspection #{id} of {site} started; every value is saved as you go").format(
                    id=view.id, site=literal(view.site)
                ),
                markup=False,
            )
        self.app.push_screen(ChecklistScreen(view))

    # ------------------------------------------------------------ the report

    def action_report(self) -> None:
        """Write the selected site's last submitted inspection report to a file and say where."""
        site = self.table.cursor_site
        if site is None:
            self.notify(_("No site is selected"), severity="warning")
            return
        self._report(site)

    @work(thread=True, exclusive=True, group="inspections-report", exit_on_error=False)
    def _report(self, site: str) -> None:
        board = self.board
        try:
            done = inspections.list_inspections(board, site=site, status="submitted", limit=1)
            if not done:
                self._say(
                    _("{site} has no submitted inspection yet").format(site=literal(site)),
                    "warning",
                )
                return
            path = write_report(board, done[0].id)
        except ServiceError as error:
            self._say(error.message, "error")
            return
        except OSError as error:
            self._say(_("Cannot write the report: {error}").format(error=error), "error")
            return
        self._say(
            _("Report of inspection #{id} ({site}) written to {file}").format(
                id=done[0].id, site=literal(site), file=path
            ),
            "information",
        )

    def _say(self, message: str, severity: str) -> None:
        """A notification from a worker's thread."""
        self.app.call_from_thread(
            partial(self.app.notify, message, severity=severity, markup=False, timeout=15)  # type: ignore[arg-type]
        )

    # ------------------------------------------------------------ keys

    def action_back(self) -> None:
        """Back to the queue."""
        self.dismiss()

    def action_help(self) -> None:
        """Every key of this screen."""
        from dutyboard.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(cast("Screen[object]", self)))


# ---------------------------------------------------------------- the command palette

#: (label msgid, key, what it runs given the app) for the palette.
_COMMANDS: tuple[tuple[str, str, str], ...] = (
    (N_("Inspections: every site's schedule, overdue first"), "i", "open"),
    (N_("Inspections: start or resume the selected site's monthly inspection"), "enter", "start"),
    (N_("Inspections: start an ad-hoc inspection of the selected site"), "a", "adhoc"),
    (N_("Inspections: write the selected site's last report to a file"), "r", "report"),
)


class InspectionCommands(ListedCommands):
    """The inspections actions in the command palette (ctrl+p), with their keys."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(label, callback, help) for what can be done from the current screen."""
        app = self.app
        found: list[tuple[str, Callable[[], object], str]] = []
        screen = self.screen
        for label, key, what in _COMMANDS:
            callback: Callable[[], object]
            if what == "open":
                callback = partial(open_inspections, app)
            elif isinstance(screen, InspectionsScreen):
                callback = partial(screen.run_action, what)
            else:
                continue
            found.append((_(label), callback, _("key {key}").format(key=key)))
        return found
