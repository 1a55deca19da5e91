"""The queue's countdown column: the ticking cells, in a narrow widget of their own beside the table.

Textual re-sends a changed line from the left edge of the widget that owns it up to the end of
the change. Here the countdown is the leftmost cell of a narrow widget, so a second that changes
"12:34" to "12:33" sends those seven cells and nothing else; the budget bar beside it is sent
only when it grows. A tick reads no database: the clocks came with the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from dutyboard import fmt
from dutyboard.i18n import _
from dutyboard.tui.widgets.countdown import BREACHED, NORMAL, WARNING, budget_bar, clock_look

if TYPE_CHECKING:
    from dutyboard.tui.widgets.queue_table import Layout, QueueTable

#: What a row's live cells show: countdown text, its look, the bar.
Cell = tuple[str, str, str]


def _right(text: str, width: int) -> str:
    """Right-aligned in `width` cells (a Chinese character takes two)."""
    text = fmt.fit(text, width)
    return " " * (width - fmt.cell_width(text)) + text


class QueueCountdowns(Widget):
    """Countdown and budget bar for each row the table shows, and the scroll position."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-countdowns--header",
        "queue-countdowns--cursor",
        "queue-countdowns--warning",
        "queue-countdowns--breached",
        "queue-countdowns--thumb",
    }

    DEFAULT_CSS = """
    QueueCountdowns {
        width: 17;
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .queue-countdowns--header { background: $panel; color: $text-muted; text-style: bold; }
        & > .queue-countdowns--cursor { background: $boost; text-style: bold; }
        &.-focused > .queue-countdowns--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .queue-countdowns--warning { color: $warning; text-style: bold; }
        & > .queue-countdowns--breached { color: $error; text-style: bold; }
        & > .queue-countdowns--thumb { color: $scrollbar; }
        &:nocolor > .queue-countdowns--breached { color: $foreground; text-style: bold reverse; }
        &:nocolor > .queue-countdowns--warning { text-style: bold underline; }
        &:nocolor > .queue-countdowns--cursor { text-style: bold underline; }
    }
    """

    def __init__(self, table: QueueTable, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table = table
        table.live = self
        self.countdown_width = 7
        self.bar_width = 0
        self._shown: dict[int, Cell] = {}
        self.repaints = 0
        """Cell refreshes asked by ticks (the tests count them)."""

    # -- geometry

    def fit_to(self, layout: Layout) -> None:
        """Take the table's live columns: countdown (and bar, when it fits) plus the thumb."""
        countdown = layout.get("countdown")
        bar = layout.get("bar")
        self.countdown_width = countdown.width if countdown else 7
        self.bar_width = bar.width if bar else 0
        width = layout.live_width + 1
        if self.styles.width is None or self.styles.width.cells != width:
            self.styles.width = width
        self._shown.clear()
        self.refresh()

    def refresh_line_at(self, line: int) -> None:
        self.refresh(Region(0, line, self.size.width, 1))

    # -- cells

    def cell(self, ticket_id: int) -> Cell:
        """Countdown text, look and bar of a row at the table's current instant."""
        table = self.table
        clock = table.model.live_clock(ticket_id)
        if clock is None or clock.due is None:
            return ("", NORMAL, "")
        now = table.now
        bar = budget_bar(clock.used(now), self.bar_width) if self.bar_width else ""
        return (fmt.countdown((clock.due - now).total_seconds()), clock_look(clock, now), bar)

    def tick(self) -> None:
        """Repaint the cells whose text changed: the countdown alone, or with its bar."""
        for line, tid in self.table.visible_rows():
            shown = self._shown.get(tid)
            if shown is None:
                continue  # not drawn yet: a line repaint is pending already
            now = self.cell(tid)
            if now == shown:
                continue
            self.repaints += 1
            width = self.countdown_width if now[2] == shown[2] else self.size.width - 1
            self.refresh(Region(0, line, width, 1))

    # -- drawing

    def _style(self, name: str) -> Style:
        full = self.get_component_rich_style(name)
        return Style.from_color(full.color) + full.without_color

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        table = self.table
        if y == 0:
            style = self.rich_style + self.get_component_rich_style("queue-countdowns--header")
            text = _right(_("Due in"), self.countdown_width)
            if self.bar_width:
                text += " " + fmt.fit(_("Used"), self.bar_width, pad=True)
            return Strip([Segment(text, style)]).crop_extend(0, width, style)
        index = table.row_at_line(y)
        thumb = self._thumb(y)
        if index is None:
            return Strip([Segment(" " * (width - 1), self.rich_style), thumb], width)
        tid = table.model.order[index]
        cell = self._shown[tid] = self.cell(tid)
        text, look, bar = cell
        base = self.rich_style
        if index == table.cursor:
            base = base + self.get_component_rich_style("queue-countdowns--cursor")
        style = base
        if look == WARNING:
            style = base + self._style("queue-countdowns--warning")
        elif look == BREACHED:
            style = base + self._style("queue-countdowns--breached")
        segments = [Segment(_right(text, self.countdown_width), style)]
        if self.bar_width:
            segments.append(Segment(" ", base))
            segments.append(Segment(fmt.fit(bar, self.bar_width, pad=True), style if bar else base))
        return Strip([*segments, thumb]).crop_extend(0, width, base)

    def _thumb(self, y: int) -> Segment:
        """The scroll position, drawn in the last column when the rows do not all fit."""
        table = self.table
        rows = len(table.model.order)
        visible = max(1, self.size.height - 1)
        if rows <= visible or y < 1:
            return Segment(" ", self.rich_style)
        top = table.scroll_offset.y
        size = max(1, visible * visible // rows)
        start = 1 + (visible - size) * top // max(1, rows - visible)
        on = start <= y < start + size
        return Segment("┃" if on else " ", self.rich_style + self._style("queue-countdowns--thumb"))

    # -- mouse: the column belongs to the table's rows

    async def _on_click(self, event: events.Click) -> None:
        self.table.click_line(event.y, event.chain)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.table.scroll_down(animate=False)
        event.stop()

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.table.scroll_up(animate=False)
        event.stop()
