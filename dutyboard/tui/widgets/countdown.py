"""Countdowns and budget bars: text that changes with time, kept in narrow cells so a tick repaints little.

`countdown_cell` and `budget_bar` are what the queue table draws in its right-hand columns;
`Countdown` is a one-line widget for a single clock (the detail screen), which repaints only
when its visible text changes: seconds are shown only in the last hour, so far countdowns
change once a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from dutyboard import fmt
from dutyboard.domain.clocks import Clock

#: The three looks of a running clock; the names are the component classes' suffixes.
NORMAL, WARNING, BREACHED = "normal", "warning", "breached"

_EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True, slots=True)
class CountdownCell:
    """What a countdown shows at one instant: its text, its look and the budget used."""

    text: str
    look: str
    used: float


def clock_look(clock: Clock, at: datetime) -> str:
    """Breached once the due has passed, warning in the second half of the budget, else normal."""
    if clock.due is not None and clock.live and at > clock.due:
        return BREACHED
    if clock.warning(at):
        return WARNING
    return NORMAL


def countdown_cell(clock: Clock | None, at: datetime) -> CountdownCell:
    """The countdown of a live clock ("3h05m", "12:34", "-0:42"); empty when no clock runs."""
    if clock is None or clock.due is None or not clock.live:
        return CountdownCell("", NORMAL, 0.0)
    return CountdownCell(
        fmt.countdown((clock.due - at).total_seconds()), clock_look(clock, at), clock.used(at)
    )


def budget_bar(used: float, width: int) -> str:
    """A bar of `width` cells filled to the share of the budget used, in eighths of a cell."""
    if width <= 0:
        return ""
    eighths = round(min(max(used, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full
    if part and full < width:
        bar += _EIGHTHS[part]
    return bar.ljust(width, "·") if bar else "·" * width


class Countdown(Widget):
    """One clock's countdown on one line; repaints only when the text or its look changes."""

    DEFAULT_CSS = """
    Countdown { width: auto; height: 1; }
    Countdown.-warning { color: $warning; text-style: bold; }
    Countdown.-breached { color: $error; text-style: bold reverse; }
    Countdown:nocolor.-warning { text-style: bold underline; }
    """

    shown: reactive[str] = reactive("", layout=True)
    """The text on screen; set only when it differs, so an unchanged second sends nothing."""

    def __init__(self, clock: Clock | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.clock = clock

    def show(self, at: datetime, clock: Clock | None = None) -> None:
        """Bring the countdown to `at` (and to a new clock after a reload)."""
        if clock is not None:
            self.clock = clock
        cell = countdown_cell(self.clock, at)
        self.set_class(cell.look == WARNING, "-warning")
        self.set_class(cell.look == BREACHED, "-breached")
        self.shown = cell.text

    def render(self) -> Text:
        return Text(self.shown, style=Style(), no_wrap=True, end="")
