"""A choice answered with one key (o = OK, f = fault, n = not applicable), so a checklist needs no mouse.

Every choice gets a letter, the first free one of its key (ok → o, fault → f, na → n, done → d,
excellent → e). Digits choose nothing: a number typed while the cursor is on a choice by
mistake must not pick choices. A key that is no choice's is swallowed and said, so it can never
reach a binding behind the field (q would quit the dashboard).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from dutyboard import fmt
from dutyboard.i18n import N_, _


def choice_keys(choices: Sequence[str]) -> dict[str, str]:
    """A letter for each choice (first free letter of its key, else a free one): choice -> key."""
    taken: set[str] = set()
    keys: dict[str, str] = {}
    for choice in choices:
        letters = [c for c in choice.lower() if "a" <= c <= "z"]
        letters += [c for c in "abcdefghijklmnopqrstuvwxyz" if c not in letters]
        for letter in letters:
            if letter not in taken:
                keys[choice] = letter
                taken.add(letter)
                break
    return keys


class ChoiceField(Widget, can_focus=True):
    """The choices of one item on a line, the chosen one marked; a letter or digit chooses."""

    DEFAULT_CSS = """
    ChoiceField {
        height: 1;
        width: 1fr;
        background: $surface;
        &:focus { background: $boost; text-style: none; }
        & > .choice-field--key { color: $text-muted; }
        & > .choice-field--chosen { background: $primary; color: $text; text-style: bold; }
        & > .choice-field--finding { background: $warning; color: $background; text-style: bold; }
        &:focus > .choice-field--key { color: $accent; text-style: bold; }
    }
    ChoiceField:nocolor > .choice-field--chosen, ChoiceField:nocolor > .choice-field--finding {
        text-style: bold reverse;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-field--key",
        "choice-field--chosen",
        "choice-field--finding",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace,delete", "clear", N_("Clear"), show=False, id="choice.clear"),
        Binding("enter", "confirm", N_("Next item"), show=False, id="choice.confirm"),
    ]

    value: reactive[str | None] = reactive(None)
    """The chosen choice's key, None while nothing is chosen."""

    class Chosen(Message):
        """A key chose a choice (None: the engineer cleared it)."""

        def __init__(self, field: ChoiceField, choice: str | None) -> None:
            super().__init__()
            self.field = field
            self.choice = choice

        @property
        def control(self) -> ChoiceField:
            return self.field

    class Confirmed(Message):
        """Enter: keep the choice as it is and move on."""

        def __init__(self, field: ChoiceField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> ChoiceField:
            return self.field

    class Refused(Message):
        """A key that is no choice's was pressed: the field says which keys work."""

        def __init__(self, field: ChoiceField, key: str) -> None:
            super().__init__()
            self.field = field
            self.key = key

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(
        self,
        choices: Sequence[str],
        labels: Mapping[str, str],
        findings: Sequence[str] = (),
        value: str | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.choices = tuple(choices)
        self.labels = dict(labels)
        self.findings = frozenset(findings)
        self.keys = choice_keys(self.choices)
        self._by_key = {key: choice for choice, key in self.keys.items()}
        self.set_reactive(ChoiceField.value, value)

    def keys_text(self) -> str:
        """The keys and what they choose, for the hint line: "o OK · f Fault · n Not applicable"."""
        return " · ".join(f"{self.keys[c]} {self.labels.get(c, c)}" for c in self.choices)

    def choice_for(self, character: str) -> str | None:
        """The choice a typed character picks (its letter, either case), or None."""
        return self._by_key.get(character.lower())

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable or event.character is None or event.character == " ":
            return
        event.stop()
        event.prevent_default()
        choice = self.choice_for(event.character)
        if choice is None:
            self.post_message(self.Refused(self, event.character))
            return
        self.value = choice
        self.post_message(self.Chosen(self, choice))

    def action_confirm(self) -> None:
        """Keep the choice (or none) and move on to the next item."""
        self.post_message(self.Confirmed(self))

    def action_clear(self) -> None:
        """Take the choice back (the item is empty again)."""
        if self.value is not None:
            self.value = None
            self.post_message(self.Chosen(self, None))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as every choice on one line (CSS may cap it; then the short form shows)."""
        return self._full().cell_len

    def render(self) -> Text:
        full = self._full()
        if full.cell_len <= self.size.width or self.size.width == 0:
            return full
        # Too narrow for every choice: the chosen one, and the keys (the hint line names them).
        style = self.get_component_rich_style
        short = Text(no_wrap=True, overflow="ellipsis")
        if self.value is not None:
            look = style(
                "choice-field--finding" if self.value in self.findings else "choice-field--chosen"
            )
            short.append(fmt.fit(self.labels.get(self.value, self.value), 24), look)
            short.append(" ")
        keys = "/".join(self.keys[c] for c in self.choices)
        short.append(_("({keys})").format(keys=keys), style("choice-field--key"))
        return short

    def _full(self) -> Text:
        """Every choice with its key, the chosen one marked."""
        style = self.get_component_rich_style
        full = Text(no_wrap=True, overflow="ellipsis")
        for n, choice in enumerate(self.choices):
            if n:
                full.append("  ")
            chosen = choice == self.value
            look = None
            if chosen:
                look = style(
                    "choice-field--finding" if choice in self.findings else "choice-field--chosen"
                )
            full.append(self.keys[choice], style("choice-field--key") if not chosen else look)
            full.append(" " + self.labels.get(choice, choice), look)
        return full
