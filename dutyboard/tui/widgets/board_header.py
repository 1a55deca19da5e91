"""The one-line header that says at a glance how bad things are; it repaints only when its text changes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from dutyboard import fmt
from dutyboard.i18n import _, ngettext
from dutyboard.tui import literal


@dataclass(frozen=True)
class HeaderState:
    """Everything the header shows; equal states draw the same line."""

    time: str = ""
    actor: str = ""
    per_level: tuple[int, int, int, int] = (0, 0, 0, 0)
    breached: int = 0
    warning: int = 0
    database_ok: bool = True
    overdue_inspections: int = 0
    loaded: bool = False
    extra: tuple[str, ...] = field(default_factory=tuple)


class BoardHeader(Widget):
    """Time (to the minute), the engineer, open tickets per level, breached, warning, database mark."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board-header--title",
        "board-header--time",
        "board-header--l1",
        "board-header--l2",
        "board-header--breached",
        "board-header--warning",
        "board-header--alarm",
        "board-header--muted",
    }

    DEFAULT_CSS = """
    BoardHeader { dock: top; height: 1; background: $panel; color: $foreground; }
    BoardHeader > .board-header--title { text-style: bold; color: $accent; }
    BoardHeader > .board-header--time { text-style: bold; }
    BoardHeader > .board-header--l1 { color: $error; text-style: bold; }
    BoardHeader > .board-header--l2 { color: $warning; text-style: bold; }
    BoardHeader > .board-header--breached { background: $error; color: $text; text-style: bold; }
    BoardHeader > .board-header--warning { color: $warning; text-style: bold; }
    BoardHeader > .board-header--alarm { background: $error; color: $text; text-style: bold reverse; }
    BoardHeader > .board-header--muted { color: $text-muted; }
    BoardHeader:nocolor > .board-header--breached { text-style: bold reverse; }
    BoardHeader:nocolor > .board-header--l1 { color: $foreground; text-style: bold underline; }
    """

    def __init__(self, actor: str, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.state = HeaderState(actor=actor)

    def _set(self, state: HeaderState) -> None:
        if state != self.state:
            self.state = state
            self.refresh()

    def show_time(self, now: datetime) -> None:
        """The clock to the minute: the header sends nothing in the seconds between."""
        self._set(replace(self.state, time=fmt.datetime_short(now, self.zone)))

    def show_counts(self, per_level: dict[int, int], breached: int, warning: int) -> None:
        self._set(
            replace(
                self.state,
                per_level=tuple(per_level.get(n, 0) for n in (1, 2, 3, 4)),  # type: ignore[arg-type]
                breached=breached,
                warning=warning,
                loaded=True,
            )
        )

    def set_database_ok(self, ok: bool) -> None:
        """Mark (or clear) that the database cannot be reached."""
        self._set(replace(self.state, database_ok=ok))

    def set_overdue_inspections(self, count: int) -> None:
        """Show how many inspections are overdue (shown only when there are some)."""
        self._set(replace(self.state, overdue_inspections=max(0, count)))

    def render(self) -> Text:
        """The parts that fit the width, in a fixed order; the least telling ones step aside first."""
        s = self.state
        style = self.get_component_rich_style
        # (importance, part): 0 is shown whatever the width; the others while there is room.
        parts: list[tuple[int, Text]] = []
        if not s.database_ok:
            parts.append((0, _badge(_("⚠ database unreachable"), style("board-header--alarm"))))
        parts.append((6, Text(_("dutyboard"), style("board-header--title"))))
        parts.append((3, Text(s.time, style("board-header--time"))))
        parts.append((5, Text(literal(s.actor), style("board-header--muted"))))
        levels = Text()
        for n, count in enumerate(s.per_level, start=1):
            if n > 1:
                levels.append(" ")
            levels.append(fmt.level_short(n) + " ", style("board-header--muted"))
            loud = style(f"board-header--l{n}") if n <= 2 and count else None
            levels.append(str(count), loud)
        parts.append((2, levels))
        if s.loaded:
            breached = _("{n} breached").format(n=s.breached)
            parts.append(
                (
                    1,
                    _badge(breached, style("board-header--breached"))
                    if s.breached
                    else Text(breached, style("board-header--muted")),
                )
            )
            warning = _("{n} warning").format(n=s.warning)
            parts.append(
                (1, Text(warning, style("board-header--warning") if s.warning else style("board-header--muted")))
            )
        if s.overdue_inspections > 0:
            overdue = ngettext(
                "{n} inspection overdue", "{n} inspections overdue", s.overdue_inspections
            ).format(n=s.overdue_inspections)
            parts.append((4, Text(overdue, style("board-header--warning"))))
        return fit_parts(parts, self.size.width)


def _badge(text: str, badge: Style) -> Text:
    """Text on a coloured ground with a cell of ground either side.

    The padding cells carry a style of their own, so no run of text starts with a space (an SVG
    viewer drops leading spaces, and the text would slide left off its ground).
    """
    pad = badge + Style(bold=False, underline=False)
    return Text.assemble((" ", pad), (text, badge), (" ", pad))


def fit_parts(parts: list[tuple[int, Text]], width: int) -> Text:
    """The parts two cells apart, in their order: the most important first, each one that still fits.

    Importance 0 is kept whatever the width (the line is then cut with an ellipsis).
    """
    room = width - 1
    kept: set[int] = set()
    for index in sorted(range(len(parts)), key=lambda i: (parts[i][0], i)):
        rank, part = parts[index]
        if not part.cell_len:
            continue
        need = part.cell_len + (2 if kept else 0)
        if rank == 0 or need <= room:
            kept.add(index)
            room -= need
    line = Text.assemble(" ", Text("  ").join(part for i, (_rank, part) in enumerate(parts) if i in kept))
    line.no_wrap = True
    line.overflow = "ellipsis"
    return line
