"""The filter line: type to narrow the queue, and what quick filters and order are in force.

Hidden while nothing narrows the queue (24 lines are precious at 80×24); shown while typing or
when a filter or the countdown order is on. Its Input never blinks (a blink costs bytes on a
slow link).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from dutyboard import fmt
from dutyboard.i18n import _
from dutyboard.tui.widgets.queue_table import QueueFilter


class FilterBar(Horizontal):
    """`/` text filter over id, title, site and asset, with the quick filters and counts beside it."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        background: $panel;
        display: none;
        &.-shown { display: block; }
        & > Input, & > Input:focus {
            width: 1fr;
            height: 1;
            border: none;
            padding: 0 1;
            background: $surface;
        }
        & > Input:focus { background: $boost; }
        & > #filter-prompt { width: auto; padding: 0 0 0 1; color: $accent; text-style: bold; }
        & > #filter-state { width: auto; max-width: 60%; padding: 0 1; color: $text-muted; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(_("Filter:"), id="filter-prompt")
        field = Input(placeholder=_("id, title, site or asset"), id="filter-input", select_on_focus=False)
        field.cursor_blink = False
        yield field
        yield Static(id="filter-state")

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    def show_state(self, current: QueueFilter, shown: int, total: int) -> None:
        """Say which quick filters are on, the order, and how many tickets are shown."""
        parts: list[str] = []
        if current.levels:
            parts.append(" ".join(fmt.level_short(n) for n in sorted(current.levels)))
        if current.breached_only:
            parts.append(_("breached only"))
        if current.mine_only:
            parts.append(_("mine only"))
        parts.append(_("countdown order") if current.countdown_order else _("contract order"))
        parts.append(_("{shown} of {total}").format(shown=shown, total=total))
        self.query_one("#filter-state", Static).update(Text(" · ".join(parts)))
        self.set_class(
            current.narrows or current.countdown_order or self.input.has_focus, "-shown"
        )
