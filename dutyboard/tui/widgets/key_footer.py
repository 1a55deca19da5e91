"""The footer that shows only the keys that fit, the most used first; every key stays in help and the palette.

Textual's Footer lays every shown key out in one line and lets the line run off the right edge,
so at 80 columns `q Quit` would be cut. This one measures the keys (in the current language)
and keeps as many as fit the width, choosing by the screen's `FOOTER_KEYS` (binding ids, most
important first) and showing them in the order the screen binds them. It chooses again when
the terminal is resized.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Cells between two keys (the compact footer's margin) and beside the palette key (its border).
_GAP = 1


def key_width(key_display: str, description: str) -> int:
    """The cells one key takes in the compact footer: `⏎ Open` and the gap after it."""
    width = cell_len(key_display)
    if description:
        width += 1 + cell_len(description)
    return width + _GAP


def choose(candidates: Iterable[tuple[str, int]], ranking: list[str], room: int) -> set[str]:
    """The ids of the keys to show: by rank (unranked last, in order), each one that still fits."""
    widths = dict(candidates)
    order = [key for key in ranking if key in widths]
    order += [key for key in widths if key not in order]
    chosen: set[str] = set()
    for key in order:
        if widths[key] <= room:
            chosen.add(key)
            room -= widths[key]
    return chosen


class KeyFooter(Footer):
    """A compact footer keeping the screen's most important keys that fit, and the palette key at the right."""

    # The cell between a key and its label belongs to the key, so no run of text starts with a
    # space (an SVG viewer drops leading spaces: the screenshots showed "⏎Open /Filter").
    DEFAULT_CSS = """
    KeyFooter FooterKey.-compact {
        .footer-key--key { padding: 0 1 0 0; }
        .footer-key--description { padding: 0; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        app = self.app
        active = self.screen.active_bindings
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            palette = active.get(app.COMMAND_PALETTE_BINDING)
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                shown.setdefault(binding.id or binding.action, (binding, enabled, tooltip))
        width = self.size.width or self.screen.size.width or app.size.width
        self._laid_out_for = width
        room = width
        if palette is not None:
            room -= key_width(app.get_key_display(palette.binding), palette.binding.description) + 1
        ranking = list(getattr(self.screen, "FOOTER_KEYS", ()))
        chosen = choose(
            ((key, key_width(app.get_key_display(b), b.description)) for key, (b, _e, _t) in shown.items()),
            ranking,
            room,
        )
        for key, (binding, enabled, tooltip) in shown.items():
            if key in chosen:
                yield FooterKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)
        if palette is not None:
            yield FooterKey(
                palette.binding.key,
                app.get_key_display(palette.binding),
                palette.binding.description,
                palette.binding.action,
                classes="-command-palette",
                disabled=not palette.enabled,
                tooltip=palette.binding.tooltip or palette.binding.description,
            )

    def on_resize(self, event: events.Resize) -> None:
        """Choose the keys again for the new width."""
        if self._bindings_ready and event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
