"""The live queue: one line per open ticket, drawn line by line, with the model and the column layout.

The static part of a row (level, id, site, title, status, owner, clock name) is drawn by
`QueueTable` when the data or the cursor changes. The countdown and its budget bar are drawn by
`QueueCountdowns`, a narrow widget to its right: Textual re-sends a changed line from the left
edge of the widget that owns it, so a countdown inside the wide table would re-send the whole
row every second.

`QueueModel` holds the rows, the filter and the order without Textual, so it is tested directly.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from dutyboard import fmt
from dutyboard.domain.clocks import Clock
from dutyboard.domain.queue import NextClock, countdown_key, next_clock, queue_key
from dutyboard.i18n import N_, _
from dutyboard.tui import literal, translate_bindings
from dutyboard.tui.widgets.countdown import BREACHED, clock_look

if TYPE_CHECKING:
    from dutyboard.service.tickets import QueueRow
    from dutyboard.tui.widgets.queue_countdowns import QueueCountdowns

#: The instant sort keys are measured from: any fixed instant gives the same order.
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

# ---------------------------------------------------------------- the model (no Textual)


@dataclass(frozen=True)
class QueueFilter:
    """What the engineer asked to see and in which order."""

    text: str = ""
    levels: frozenset[int] = frozenset()
    breached_only: bool = False
    mine_only: bool = False
    countdown_order: bool = False

    @property
    def narrows(self) -> bool:
        """True when some rows may be hidden."""
        return bool(self.text.strip() or self.levels or self.breached_only or self.mine_only)

    def toggle_level(self, level: int) -> QueueFilter:
        return replace(self, levels=self.levels ^ {level})

    def cleared(self) -> QueueFilter:
        """No narrowing; the chosen order stays."""
        return QueueFilter(countdown_order=self.countdown_order)


@dataclass(frozen=True)
class Summary:
    """The header's counts: open tickets per level, breached and warning tickets."""

    per_level: dict[int, int]
    breached: int
    warning: int
    total: int


@dataclass
class Alerts:
    """What a change brought that deserves the bell: new urgent tickets and new breaches."""

    new_urgent: list[QueueRow] = field(default_factory=list)
    new_breaches: list[tuple[QueueRow, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new_urgent or self.new_breaches)


def _live_clocks(row: QueueRow) -> Iterable[tuple[str, Clock]]:
    for name, clock in row.clocks.items():
        if clock.live and clock.due is not None:
            yield name, clock


class QueueModel:
    """Open tickets keyed by id, their order, the filter, and which clocks are breached or warning now.

    Order keys are computed once per row version (dues do not move relative to each other as
    time passes); breach and warning states are re-evaluated only at the instants where some
    clock crosses its half-way point or its due, kept in a heap.
    """

    def __init__(self, actor: str = "") -> None:
        self.actor = actor
        self.rows: dict[int, QueueRow] = {}
        self.nexts: dict[int, NextClock | None] = {}
        self.filter = QueueFilter()
        self.order: list[int] = []
        self.breached: dict[int, frozenset[str]] = {}
        self.warning: set[int] = set()
        self._keys: dict[int, tuple[tuple[object, ...], tuple[object, ...]]] = {}
        self._heap: list[tuple[datetime, int]] = []
        self._search: dict[int, str] = {}
        self.max_id = 0

    # -- rows

    def apply(
        self, rows: Iterable[QueueRow], at: datetime, *, removed: Iterable[int] = (),
        replace_all: bool = False, first: bool = False,
    ) -> tuple[set[int], Alerts]:
        """Merge changed rows (closed ones leave); returns the ids whose line changed and the alerts."""
        alerts = Alerts()
        changed: set[int] = set()
        incoming = {row.id: row for row in rows}
        gone = set(removed)
        if replace_all:
            gone |= set(self.rows) - set(incoming)
        for ticket_id, row in incoming.items():
            if row.status == "closed":
                gone.add(ticket_id)
                continue
            old = self.rows.get(ticket_id)
            if old == row:
                continue
            if old is None and not first and row.level <= 2 and ticket_id > self.max_id:
                alerts.new_urgent.append(row)
            self.rows[ticket_id] = row
            nxt = next_clock(row.clocks, _EPOCH)
            self.nexts[ticket_id] = nxt
            self._keys[ticket_id] = (
                queue_key(row.level, ticket_id, nxt),
                countdown_key(row.level, ticket_id, nxt),
            )
            self._search[ticket_id] = " ".join(
                [str(ticket_id), row.title, row.site or "", row.asset or ""]
            ).casefold()
            self.max_id = max(self.max_id, ticket_id)
            changed.add(ticket_id)
            self._evaluate(ticket_id, at, alerts if not first else None)
        for ticket_id in gone:
            if self.rows.pop(ticket_id, None) is not None:
                changed.add(ticket_id)
            for table in (self.nexts, self._keys, self._search, self.breached):
                table.pop(ticket_id, None)  # type: ignore[attr-defined]
            self.warning.discard(ticket_id)
        if changed:
            self.reorder()
        return changed, alerts

    def _evaluate(self, ticket_id: int, at: datetime, alerts: Alerts | None) -> None:
        """Breach and warning state of one ticket at `at`; schedules its next crossing."""
        row = self.rows.get(ticket_id)
        if row is None:
            return
        breached = frozenset(name for name, c in _live_clocks(row) if clock_look(c, at) == BREACHED)
        before = self.breached.get(ticket_id, frozenset())
        if alerts is not None:
            for name in sorted(breached - before):
                alerts.new_breaches.append((row, name))
        if breached:
            self.breached[ticket_id] = breached
        else:
            self.breached.pop(ticket_id, None)
        warn = not breached and any(c.warning(at) for _n, c in _live_clocks(row))
        if warn:
            self.warning.add(ticket_id)
        else:
            self.warning.discard(ticket_id)
        upcoming = [
            t for _n, c in _live_clocks(row) for t in (c.warn_at, c.due) if t is not None and t >= at
        ]
        if upcoming:
            heapq.heappush(self._heap, (min(upcoming), ticket_id))

    def advance(self, at: datetime) -> tuple[set[int], Alerts]:
        """Re-evaluate the tickets whose clocks crossed a line by `at`; cheap when none did."""
        alerts = Alerts()
        touched: set[int] = set()
        while self._heap and self._heap[0][0] < at:
            _when, ticket_id = heapq.heappop(self._heap)
            if ticket_id in touched or ticket_id not in self.rows:
                continue
            touched.add(ticket_id)
            before = (self.breached.get(ticket_id), ticket_id in self.warning)
            self._evaluate(ticket_id, at, alerts)
            if before == (self.breached.get(ticket_id), ticket_id in self.warning):
                touched.discard(ticket_id)
        if touched and self.filter.breached_only:
            self.reorder()
        return touched, alerts

    # -- filter and order

    def set_filter(self, new: QueueFilter) -> None:
        self.filter = new
        self.reorder()

    def matches(self, ticket_id: int) -> bool:
        f = self.filter
        row = self.rows[ticket_id]
        if f.levels and row.level not in f.levels:
            return False
        if f.breached_only and ticket_id not in self.breached:
            return False
        if f.mine_only and row.owner != self.actor:
            return False
        needle = f.text.strip().casefold()
        return not needle or all(word in self._search[ticket_id] for word in needle.split())

    def reorder(self) -> None:
        """The visible ids, filtered, in contract order or pure countdown order."""
        which = 1 if self.filter.countdown_order else 0
        ids = [tid for tid in self.rows if self.matches(tid)]
        ids.sort(key=lambda tid: self._keys[tid][which])
        self.order = ids

    def summary(self) -> Summary:
        per_level = {level: 0 for level in (1, 2, 3, 4)}
        for row in self.rows.values():
            per_level[row.level] = per_level.get(row.level, 0) + 1
        return Summary(per_level, len(self.breached), len(self.warning), len(self.rows))

    def restore_overdue(self, at: datetime) -> bool:
        """Whether some ticket's restore clock runs past its due: only then can a sweep escalate."""
        for row in self.rows.values():
            restore = row.clocks.get("restore")
            if restore is not None and restore.live and restore.due is not None and restore.due < at:
                return True
        return False

    def live_clock(self, ticket_id: int) -> Clock | None:
        """The clock whose countdown the row shows (its nearest due)."""
        nxt = self.nexts.get(ticket_id)
        if nxt is None:
            return None
        return self.rows[ticket_id].clocks[nxt.name]


# ---------------------------------------------------------------- the layout

GAP = 1
BAR_WIDTH = 8
#: The scroll position column at the right end of the countdown column.
THUMB = 1
#: The columns that change with time; they are drawn by the countdown column widget.
LIVE_COLUMNS = ("countdown", "bar")
#: Columns that step aside when the terminal is narrow, the first to go first.
DROP_ORDER = ("owner", "bar", "site", "status", "clock")
TITLE_MIN = 20


@dataclass(frozen=True)
class Column:
    key: str
    x: int
    width: int
    right: bool = False


@dataclass(frozen=True)
class Layout:
    """Where each column sits for a width; the live cells (countdown and bar) end the line."""

    width: int
    columns: tuple[Column, ...]
    live_x: int
    live_width: int

    def get(self, key: str) -> Column | None:
        for column in self.columns:
            if column.key == key:
                return column
        return None


HEADINGS = {
    "level": N_("Level"),
    "id": N_("#"),
    "site": N_("Site / asset"),
    "title": N_("Title"),
    "status": N_("Status"),
    "owner": N_("Owner"),
    "clock": N_("Clock"),
    "countdown": N_("Due in"),
    "bar": N_("Used"),
}


#: Countdowns whose text is the widest of their kind: late by hours, late by days, far off.
_WIDEST_COUNTDOWNS = (-(99 * 3600 + 59 * 60), -(99 * 86400 + 23 * 3600), 99 * 3600 + 59 * 60, -3599)


def _widths(id_width: int) -> dict[str, int]:
    """Natural widths in the current language (a Chinese word takes two cells)."""
    level = max(fmt.cell_width(fmt.level_short(n)) for n in (1, 2, 3, 4))
    status = max(
        fmt.cell_width(fmt.status_name(s))
        for s in ("open", "acknowledged", "dispatched", "on_site", "restored")
    )
    clock = max(
        fmt.cell_width(fmt.clock_name(c)) for c in ("respond", "arrive", "restore", "report", "update")
    )
    widths = {
        "level": level * 2 + 3,  # "L3→" and the badge " L1 "
        "id": id_width,
        "site": 14,
        "title": TITLE_MIN,
        "status": status,
        "owner": 10,
        "clock": clock,
        "countdown": max(fmt.cell_width(fmt.countdown(seconds)) for seconds in _WIDEST_COUNTDOWNS),
        "bar": BAR_WIDTH,
    }
    for key, heading in HEADINGS.items():
        if key not in ("title", "level"):
            widths[key] = max(widths[key], fmt.cell_width(_(heading)))
    return widths


def compute_layout(width: int, id_width: int) -> Layout:
    """Lay the columns out for `width`, dropping owner, then bar, then site when they do not fit."""
    natural = _widths(id_width)
    keys = list(HEADINGS)
    dropped: list[str] = []

    def need(ks: list[str]) -> int:
        return sum(natural[k] for k in ks) + GAP * (len(ks) - 1)

    for key in DROP_ORDER:
        if need(keys) <= width:
            break
        keys.remove(key)
        dropped.append(key)
    widths = {k: natural[k] for k in keys}
    spare = width - need(keys)
    widths["title"] = max(1, widths["title"] + spare)
    if "site" in widths and spare > 16:
        extra = min(spare - 16, 8)
        widths["site"] += extra
        widths["title"] -= extra
    columns: list[Column] = []
    x = 0
    for key in keys:
        columns.append(Column(key, x, widths[key], right=key in ("id", "countdown")))
        x += widths[key] + GAP
    live = [c for c in columns if c.key in ("countdown", "bar")]
    live_x = live[0].x
    live_end = live[-1].x + live[-1].width
    return Layout(width, tuple(columns), live_x, live_end - live_x)


def _pad(text: str, width: int, right: bool = False) -> str:
    text = fmt.fit(text, width)
    space = " " * max(0, width - fmt.cell_width(text))
    return space + text if right else text + space


# ---------------------------------------------------------------- the widget


class QueueTable(ScrollView, can_focus=True, inherit_bindings=False):
    """The queue's static columns, one line per open ticket; the live columns sit in `QueueCountdowns`.

    Textual sends a changed line from the left edge of the widget that owns it, so the ticking
    countdowns live in a narrow widget of their own to the right (`live`), which this table
    keeps in step: same rows, same scroll offset, same cursor.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="queue.down"),
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="queue.up"),
        Binding("home,g", "first", N_("First ticket"), show=False, id="queue.first"),
        Binding("end,G", "last", N_("Last ticket"), show=False, id="queue.last"),
        Binding("pagedown,ctrl+d", "page_down", N_("Page down"), show=False, id="queue.page_down"),
        Binding("pageup,ctrl+u", "page_up", N_("Page up"), show=False, id="queue.page_up"),
        Binding("enter", "open", N_("Open"), id="queue.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-table--header",
        "queue-table--cursor",
        "queue-table--l1",
        "queue-table--l2",
        "queue-table--l3",
        "queue-table--l4",
        "queue-table--escalated",
        "queue-table--warning",
        "queue-table--breached",
        "queue-table--dim",
        "queue-table--crisis",
        "queue-table--empty",
    }

    DEFAULT_CSS = """
    QueueTable {
        width: 1fr;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 0;
        background: $surface;
        color: $foreground;
        & > .queue-table--header { background: $panel; color: $text-muted; text-style: bold; }
        & > .queue-table--cursor { background: $boost; text-style: bold; }
        &:focus > .queue-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .queue-table--l1 { background: $error; color: $text; text-style: bold; }
        & > .queue-table--l2 { background: $warning; color: $background; text-style: bold; }
        & > .queue-table--l3 { background: $primary-muted; color: $text; }
        & > .queue-table--l4 { background: $panel; color: $text-muted; }
        & > .queue-table--escalated { color: $text-muted; }
        & > .queue-table--warning { color: $warning; text-style: bold; }
        & > .queue-table--breached { color: $error; text-style: bold; }
        & > .queue-table--dim { color: $text-muted; }
        & > .queue-table--crisis { color: $error; text-style: bold; }
        & > .queue-table--empty { color: $text-muted; text-style: italic; }
        &:nocolor > .queue-table--l1 { text-style: bold reverse; }
        &:nocolor > .queue-table--l2 { text-style: reverse; }
        &:nocolor > .queue-table--breached { color: $foreground; text-style: bold reverse; }
        &:nocolor > .queue-table--warning { text-style: bold underline; }
        &:nocolor > .queue-table--cursor { text-style: bold underline; }
    }
    """

    class Opened(Message):
        """Enter or a double click on a ticket: show its detail."""

        def __init__(self, ticket_id: int) -> None:
            self.ticket_id = ticket_id
            super().__init__()

    class Refiltered(Message):
        """The visible rows changed (filter, order or data): the filter bar shows how many."""

        def __init__(self, shown: int, total: int) -> None:
            self.shown = shown
            self.total = total
            super().__init__()

    def __init__(self, actor: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        translate_bindings(self)
        self.model = QueueModel(actor)
        self.cursor = 0
        self.now = datetime.now(UTC)
        self.live: QueueCountdowns | None = None
        self._layout: Layout | None = None
        self._id_width = 3
        self._static: dict[tuple[int, int, bool], list[Segment]] = {}
        self.loaded = False

    # -- data in

    @property
    def cursor_id(self) -> int | None:
        """The ticket under the cursor, if any."""
        order = self.model.order
        return order[self.cursor] if 0 <= self.cursor < len(order) else None

    @property
    def cursor_row(self) -> QueueRow | None:
        tid = self.cursor_id
        return self.model.rows.get(tid) if tid is not None else None

    def apply_rows(
        self, rows: Iterable[QueueRow], at: datetime, *, removed: Iterable[int] = (),
        replace_all: bool = False,
    ) -> Alerts:
        """Merge rows by key, repaint only lines that changed, keep the cursor on the same ticket."""
        first = not self.loaded
        self.loaded = True
        self.now = at
        keep = self.cursor_id
        old_order = list(self.model.order)
        changed, alerts = self.model.apply(rows, at, removed=removed, replace_all=replace_all, first=first)
        if first or changed:
            self._after_change(keep, old_order, changed)
        return alerts

    def set_filter(self, new: QueueFilter) -> None:
        keep = self.cursor_id
        old_order = list(self.model.order)
        self.model.set_filter(new)
        self._after_change(keep, old_order, set())

    def advance(self, at: datetime) -> tuple[bool, Alerts]:
        """A second passed: re-check crossings (no database), then let the countdowns tick."""
        self.now = at
        touched, alerts = self.model.advance(at)
        if touched:
            keep = self.cursor_id
            old_order = list(self.model.order)
            self._after_change(keep, old_order, touched)
        if self.live is not None:
            self.live.tick()
        return bool(touched), alerts

    def _forget(self, ticket_id: int) -> None:
        for key in [k for k in self._static if k[0] == ticket_id]:
            del self._static[key]

    def _after_change(self, keep: int | None, old_order: list[int], changed: set[int]) -> None:
        order = self.model.order
        for tid in changed:
            self._forget(tid)
        id_width = max(3, len(str(self.model.max_id)))
        if id_width != self._id_width:
            self._id_width = id_width
            self._relayout()
        if keep is not None and keep in self.model.rows and self.model.matches(keep):
            self.cursor = order.index(keep)
        else:
            self.cursor = min(self.cursor, max(0, len(order) - 1))
        self.virtual_size = Size(self.size.width, len(order) + 1)
        self.post_message(self.Refiltered(len(order), len(self.model.rows)))
        if not order or not old_order:
            self.refresh_all()
        else:
            top = self.scroll_offset.y
            for line in range(1, self.size.height):
                index = top + line - 1
                old = old_order[index] if index < len(old_order) else None
                new = order[index] if index < len(order) else None
                if old != new or new in changed or (new == keep and index != self.cursor):
                    self.refresh_line_at(line)
        self._scroll_to_cursor()
        self.refresh_line_of(self.cursor)

    # -- geometry and repaints (the countdown column follows)

    def total_width(self) -> int:
        """The width of the table and its countdown column together."""
        parent = self.parent
        if isinstance(parent, Widget) and parent.size.width:
            return parent.content_region.width
        return self.size.width

    @property
    def columns(self) -> Layout | None:
        """The columns for the current width (computed when the width or the ids' width change)."""
        total = self.total_width()
        if total <= 0:
            return None
        if self._layout is None or self._layout.width != total - THUMB:
            self._layout = compute_layout(total - THUMB, self._id_width)
            self._static.clear()
            if self.live is not None:
                self.live.fit_to(self._layout)
        return self._layout

    def refresh_all(self) -> None:
        self.refresh()
        if self.live is not None:
            self.live.refresh()

    def refresh_line_at(self, line: int) -> None:
        """Repaint one screen line of the table (line 0 is the heading) and its countdown."""
        self.refresh(Region(0, line, self.size.width, 1))
        if self.live is not None:
            self.live.refresh_line_at(line)

    def _relayout(self) -> None:
        self._layout = None
        self._static.clear()
        self.refresh_all()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self.virtual_size = Size(self.size.width, len(self.model.order) + 1)
        self._scroll_to_cursor()

    def _line_of(self, index: int) -> int:
        """Screen line (within the widget) of a row index; line 0 is the heading."""
        return index - self.scroll_offset.y + 1

    def refresh_line_of(self, index: int) -> None:
        line = self._line_of(index)
        if 1 <= line < self.size.height:
            self.refresh_line_at(line)

    def _scroll_to_cursor(self) -> None:
        rows_visible = max(1, self.size.height - 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows_visible:
            self.scroll_to(y=self.cursor - rows_visible + 1, animate=False, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.live is not None and round(old_value) != round(new_value):
            self.live.refresh()

    def visible_rows(self) -> Iterable[tuple[int, int]]:
        """(screen line, ticket id) of the rows on screen."""
        order = self.model.order
        top = self.scroll_offset.y
        for line in range(1, self.size.height):
            index = top + line - 1
            if index >= len(order):
                return
            yield line, order[index]

    def row_at_line(self, line: int) -> int | None:
        """The row index shown on a screen line, if any."""
        index = self.scroll_offset.y + line - 1
        return index if line >= 1 and index < len(self.model.order) else None

    # -- drawing

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        layout = self.columns
        if layout is None or width <= 0:
            return Strip.blank(max(width, 0), self.rich_style)
        if y == 0:
            return self._heading(layout).crop_extend(0, width, self.rich_style)
        index = self.scroll_offset.y + y - 1
        order = self.model.order
        if index >= len(order):
            if not order and y == 1:
                if self.model.rows:
                    text = _("No ticket matches the filter (Esc clears it)")
                elif self.loaded:
                    text = _("No open tickets")
                else:
                    text = _("Loading the queue…")
                style = self.rich_style + self._fg("queue-table--empty")
                return Strip([Segment(_pad(" " + text, width), style)], width)
            return Strip.blank(width, self.rich_style)
        tid = order[index]
        selected = index == self.cursor
        key = (tid, self.model.rows[tid].version, selected)
        static = self._static.get(key)
        if static is None:
            if len(self._static) > 4000:
                self._static.clear()
            static = self._static[key] = self._static_segments(tid, layout, selected)
        return Strip(static, layout.live_x).crop_extend(0, width, self._base(selected))

    def _fg(self, name: str) -> Style:
        """A component's colour and text style without its background, to lay over a row's own."""
        full = self.get_component_rich_style(name)
        return Style.from_color(full.color) + full.without_color

    def _base(self, selected: bool) -> Style:
        base = self.rich_style
        if selected:
            base = base + self.get_component_rich_style("queue-table--cursor")
        return base

    def _heading(self, layout: Layout) -> Strip:
        style = self.rich_style + self.get_component_rich_style("queue-table--header")
        segments: list[Segment] = []
        x = 0
        for column in layout.columns:
            if column.key in LIVE_COLUMNS:
                break
            if column.x > x:
                segments.append(Segment(" " * (column.x - x), style))
            segments.append(Segment(_pad(_(HEADINGS[column.key]), column.width, column.right), style))
            x = column.x + column.width
        if layout.live_x > x:
            segments.append(Segment(" " * (layout.live_x - x), style))
        return Strip(segments, layout.live_x)

    def _static_segments(self, ticket_id: int, layout: Layout, selected: bool) -> list[Segment]:
        row = self.model.rows[ticket_id]
        base = self._base(selected)
        dim = base + self._fg("queue-table--dim")
        nxt = self.model.nexts.get(ticket_id)
        segments: list[Segment] = []
        x = 0
        for column in layout.columns:
            if column.key in LIVE_COLUMNS:
                break
            if column.x > x:
                segments.append(Segment(" " * (column.x - x), base))
            w = column.width
            if column.key == "level":
                segments.extend(self._level_segments(row, w, base))
            elif column.key == "id":
                segments.append(Segment(_pad(str(row.id), w, right=True), dim))
            elif column.key == "site":
                place = "/".join(p for p in (row.site, row.asset) if p)
                segments.append(Segment(_pad(literal(place), w), base))
            elif column.key == "title":
                if row.crisis:
                    crisis = base + self._fg("queue-table--crisis")
                    segments.append(Segment(_pad("!! ", min(w, 3)), crisis))
                    w -= min(w, 3)
                segments.append(Segment(_pad(literal(row.title), w), base))
            elif column.key == "status":
                segments.append(Segment(_pad(fmt.status_name(row.status), w), base))
            elif column.key == "owner":
                segments.append(Segment(_pad(literal(row.owner or ""), w), dim))
            elif column.key == "clock":
                if nxt is None:  # restored and reported: nothing runs until it is closed
                    segments.append(Segment(_pad("—", w), dim))
                else:
                    segments.append(Segment(_pad(fmt.clock_name(nxt.name), w), base))
            x = column.x + column.width
        if layout.live_x > x:
            segments.append(Segment(" " * (layout.live_x - x), base))
        return segments

    def _level_segments(self, row: QueueRow, width: int, base: Style) -> list[Segment]:
        badge_style = base + self.get_component_rich_style(f"queue-table--l{row.level}")
        badge = f" {fmt.level_short(row.level)} "
        segments = []
        used = fmt.cell_width(badge)
        if row.initial_level != row.level:
            was = fmt.level_short(row.initial_level) + "→"
            segments.append(Segment(was, base + self._fg("queue-table--escalated")))
            used += fmt.cell_width(was)
        if used < width:
            segments.insert(0, Segment(" " * (width - used), base))
        segments.append(Segment(badge, badge_style))
        return segments

    # -- moving

    def _move_to(self, index: int) -> None:
        order = self.model.order
        if not order:
            return
        index = max(0, min(index, len(order) - 1))
        if index == self.cursor:
            return
        self.refresh_line_of(self.cursor)
        self.cursor = index
        self.refresh_line_of(self.cursor)
        self._scroll_to_cursor()

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.model.order) - 1)

    def action_page_down(self) -> None:
        self._move_to(self.cursor + max(1, self.size.height - 2))

    def action_page_up(self) -> None:
        self._move_to(self.cursor - max(1, self.size.height - 2))

    def action_open(self) -> None:
        tid = self.cursor_id
        if tid is not None:
            self.post_message(self.Opened(tid))

    def move_to_ticket(self, ticket_id: int) -> bool:
        """Put the cursor on a ticket if it is shown."""
        if ticket_id in self.model.order:
            self._move_to(self.model.order.index(ticket_id))
            return True
        return False

    def click_line(self, line: int, chain: int = 1) -> None:
        """Select the row on a screen line (a click here or on the countdown column); open on a double click."""
        index = self.row_at_line(line)
        if index is None:
            return
        self.focus()
        self._move_to(index)
        if chain >= 2:
            self.action_open()

    def on_focus(self) -> None:
        if self.live is not None:
            self.live.add_class("-focused")
        self.refresh_line_of(self.cursor)

    def on_blur(self) -> None:
        if self.live is not None:
            self.live.remove_class("-focused")
        self.refresh_line_of(self.cursor)

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.click_line(offset.y, event.chain)
