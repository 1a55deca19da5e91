"""The help screen (`?`): every key of the screen it was opened from, read from the live bindings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from dutyboard.i18n import N_, _
from dutyboard.tui import translate_bindings

#: Keys the dashboard itself offers beside those of the focused widgets (the palette's comes first).
_EXTRA_KEYS = ((N_("mouse"), N_("Click a row to select it, double-click to open it")),)


def key_table(screen: Screen[Any], extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(keys, description) for every dashboard binding on a screen, aliases joined (`↓ j`).

    Every dashboard binding has an id (for keymaps); Textual's own plumbing has none.
    """
    app = screen.app
    grouped: dict[tuple[int, str], tuple[list[str], str]] = {}
    start = screen.focused or screen
    nodes = list(start.ancestors_with_self)
    nodes += [node for node in screen.query("QueueTable") if node not in nodes]
    for node in nodes:
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id is None:
                    continue  # Textual's own plumbing (focus cycling, copying): not ours to list
                key = (id(node), binding.action)
                description = binding.description or binding.tooltip or binding.action
                keys, _desc = grouped.setdefault(key, ([], description))
                shown = app.get_key_display(binding)
                if shown not in keys:
                    keys.append(shown)
    rows = [(" ".join(keys), description) for keys, description in grouped.values()]
    rows.extend((_(key), _(text)) for key, text in extra)
    return rows


def palette_key(screen: Screen[Any]) -> tuple[str, str]:
    """The command palette's key as the footer shows it (`^p`), and what it does."""
    app = screen.app
    key = app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "command_palette"))
    return key, N_("Command palette: every action by name")


class HelpScreen(ModalScreen[None]):
    """Lists every key; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", N_("Close help"), id="help.close"),
        Binding("down,j", "scroll_down", N_("Down"), show=False),
        Binding("up,k", "scroll_up", N_("Up"), show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 80;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
            & > Static { width: 100%; height: auto; }
        }
    }
    """

    def __init__(self, source: Screen[Any]) -> None:
        super().__init__()
        translate_bindings(self)
        self.rows = key_table(source, [palette_key(source), *_EXTRA_KEYS])

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, description in self.rows:
            table.add_row(Text(keys), Text(description))
        scroll = VerticalScroll(Static(table))
        scroll.border_title = _("Keys")
        scroll.border_subtitle = _("Esc closes")
        yield scroll

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
