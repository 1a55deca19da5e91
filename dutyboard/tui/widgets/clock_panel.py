"""All five clocks of one ticket: due, when stopped, state, countdown and a budget bar.

A tick recomputes each cell from the stored clocks (no query) and updates only the cells whose
text or look changed, so a second in which nothing visible moves sends nothing to the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Static

from dutyboard import fmt
from dutyboard.domain.clocks import Clock
from dutyboard.domain.policy import CLOCKS
from dutyboard.i18n import _
from dutyboard.tui.widgets.countdown import BREACHED, WARNING, Countdown, budget_bar, clock_look

BAR_WIDTH = 12


def state_of(clock: Clock, at: datetime) -> str:
    """The contract's state, with `warning` for a running clock past half its budget."""
    state = clock.state(at)
    if state == "running" and clock.warning(at):
        return "warning"
    return state


def look_of(clock: Clock, at: datetime) -> str:
    """The CSS class of a clock's state and bar: -breached once breached or missed, -warning past
    half its budget, -met when stopped in time, -idle when not started."""
    state = clock.state(at)
    if state == "missed":
        return "-breached"
    if state == "met":
        return "-met"
    if state in ("pending", "not_applicable"):
        return "-idle"
    look = clock_look(clock, at)
    return {BREACHED: "-breached", WARNING: "-warning"}.get(look, "")


class ClockPanel(Grid):
    """A small table, one row a clock; `show` after a load, `tick` every second."""

    DEFAULT_CSS = """
    ClockPanel {
        grid-size: 6;
        grid-columns: auto auto auto auto auto 1fr;
        grid-gutter: 0 2;
        grid-rows: 1;
        height: auto;
        & > .clock-head { color: $text-muted; text-style: bold; }
        & > .clock-name { text-style: bold; }
        & > .clock-muted { color: $text-muted; }
        & > .clock-bar { color: $success; }
        & > .-warning { color: $warning; text-style: bold; }
        & > .-breached { color: $error; text-style: bold; }
        & > .clock-bar.-met { color: $success 60%; text-style: none; }
        & > .-idle { color: $text-muted; text-style: none; }
        &:nocolor > .-warning { text-style: bold underline; }
        &:nocolor > .-breached { text-style: bold reverse; }
    }
    """

    def __init__(self, zone: tzinfo, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.zone = zone
        self.clocks: dict[str, Clock] = {}
        self._shown: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        for head in (_("Clock"), _("Due"), _("Stopped"), _("State"), _("Left"), _("Budget used")):
            yield Static(head, classes="clock-head", markup=False)
        for name in CLOCKS:
            yield Static(fmt.clock_name(name), classes="clock-name", markup=False)
            yield Static("", id=f"clock-{name}-due", markup=False)
            yield Static("", id=f"clock-{name}-done", classes="clock-muted", markup=False)
            yield Static("", id=f"clock-{name}-state", markup=False)
            yield Countdown(id=f"clock-{name}-left")
            yield Static("", id=f"clock-{name}-bar", classes="clock-bar", markup=False)

    def show(self, clocks: Mapping[str, Clock], at: datetime) -> None:
        """New clocks from a load: dues and stop times change only here."""
        self.clocks = dict(clocks)
        for name in CLOCKS:
            clock = self.clocks.get(name, Clock())
            due = fmt.datetime_short(clock.due, self.zone) if clock.due else "—"
            done = fmt.datetime_short(clock.done_at, self.zone) if clock.done_at else ""
            self._cell(f"clock-{name}-due", due, "")
            self._cell(f"clock-{name}-done", done, "clock-muted")
        self.tick(at)

    def tick(self, at: datetime) -> None:
        """Bring states, countdowns and bars to `at`; cells that look the same are left alone."""
        for name in CLOCKS:
            clock = self.clocks.get(name, Clock())
            look = look_of(clock, at)
            self._cell(f"clock-{name}-state", fmt.clock_state_name(state_of(clock, at)), look)
            self._cell(f"clock-{name}-bar", self._bar(clock, at), f"clock-bar {look}")
            self.query_one(f"#clock-{name}-left", Countdown).show(at, clock)

    @staticmethod
    def _bar(clock: Clock, at: datetime) -> str:
        if not clock.started:
            return ""
        return budget_bar(clock.used(at), BAR_WIDTH) + f" {min(clock.used(at), 9.99):4.0%}"

    def _cell(self, cell_id: str, text: str, classes: str) -> None:
        """Update one cell only when its text or look differs from what is on screen."""
        if self._shown.get(cell_id) == (text, classes):
            return
        self._shown[cell_id] = (text, classes)
        cell = self.query_one(f"#{cell_id}", Static)
        cell.update(text)
        cell.set_classes(classes)
