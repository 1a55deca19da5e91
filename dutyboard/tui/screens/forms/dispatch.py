"""Dispatch: pick the engineer from the roster by typing part of a name, login, phone or role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from dutyboard import fmt
from dutyboard.i18n import N_, _
from dutyboard.tui import literal
from dutyboard.tui.screens.forms.base import (
    FormScreen,
    Submit,
    TicketLine,
    Values,
    Verdict,
    field_input,
    ok,
    wrong,
)


@dataclass(frozen=True)
class Person:
    """One engineer of the roster, as the dispatch list shows them."""

    login: str
    name: str
    role: str
    phone: str

    def matches(self, words: Sequence[str]) -> bool:
        """Every typed word appears in the login, name, phone or role (any case)."""
        haystack = " ".join(
            (self.login, self.name, self.phone, self.role, fmt.role_name(self.role))
        ).lower()
        return all(word in haystack for word in words)

    def text(self, owner: str | None) -> Text:
        """A list line: name, login, role and phone, verbatim; the current owner marked."""
        line = Text()
        line.append(fmt.fit(literal(self.name), 12, pad=True), style="bold")
        line.append(" ")
        line.append(fmt.fit(literal(self.login), 11, pad=True))
        line.append(" ")
        line.append(fmt.fit(fmt.role_name(self.role), 22, pad=True), style="dim")
        line.append(" ")
        line.append(literal(self.phone))
        if owner == self.login:
            line.append("  " + _("(owner now)"), style="italic")
        return line


class DispatchForm(FormScreen):
    """Type to narrow the roster, arrows to move, Enter dispatches to the highlighted engineer."""

    TITLE_MSGID = N_("Dispatch")
    SUBMIT_MSGID = N_("Dispatch")

    DEFAULT_CSS = """
    DispatchForm {
        #dispatch-people {
            height: auto;
            max-height: 12;
            border: none;
            padding: 0;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next engineer"), show=False, id="dispatch.down"),
        Binding("up", "move(-1)", N_("Previous engineer"), show=False, id="dispatch.up"),
    ]

    def __init__(
        self, submit: Submit, ticket: TicketLine, people: Sequence[Person], owner: str | None
    ) -> None:
        super().__init__(submit, ticket)
        self.people = list(people)
        self.owner = owner
        self.shown: list[Person] = list(self.people)

    def fields(self) -> ComposeResult:
        yield from self.row(
            _("Engineer"),
            field_input("dispatch-search", placeholder=_("type a name, login, phone or role")),
            self._check_choice,
        )
        yield OptionList(*self._options(), id="dispatch-people")

    def key_hint(self) -> str:
        return _("Type to search · ↑↓ choose · Enter: dispatch · Esc: cancel")

    def _options(self) -> list[Option]:
        return [Option(person.text(self.owner), id=person.login) for person in self.shown]

    def on_mount(self) -> None:
        super().on_mount()
        people = self.query_one("#dispatch-people", OptionList)
        people.highlighted = self._first_choice()
        self.query_one("#dispatch-search", Input).focus()
        self.check("dispatch-search", quiet=True)

    def _first_choice(self) -> int | None:
        """Highlight someone other than the owner first: re-dispatching to the owner is rare."""
        if not self.shown:
            return None
        for index, person in enumerate(self.shown):
            if person.login != self.owner:
                return index
        return 0

    @on(Input.Changed, "#dispatch-search")
    def _narrow(self, event: Input.Changed) -> None:
        words = event.value.lower().split()
        self.shown = [p for p in self.people if p.matches(words)]
        people = self.query_one("#dispatch-people", OptionList)
        people.set_options(self._options())
        people.highlighted = 0 if self.shown else None
        self.check("dispatch-search")

    @on(OptionList.OptionHighlighted, "#dispatch-people")
    def _highlighted(self) -> None:
        self.check("dispatch-search", quiet=not self.query_one("#dispatch-search", Input).value)

    @on(OptionList.OptionSelected, "#dispatch-people")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()

    def action_move(self, step: int) -> None:
        """Move the highlight from the search field without leaving it."""
        people = self.query_one("#dispatch-people", OptionList)
        if people.option_count:
            current = people.highlighted if people.highlighted is not None else -step
            people.highlighted = (current + step) % people.option_count

    def chosen(self) -> Person | None:
        """The highlighted engineer, if any."""
        index = self.query_one("#dispatch-people", OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def _check_choice(self) -> Verdict:
        if not self.people:
            return wrong(_("Nobody on the roster can be dispatched"))
        person = self.chosen()
        if person is None:
            return wrong(_("Nobody on the roster matches"))
        return ok(
            _("→ {name} {phone}").format(name=literal(person.name), phone=literal(person.phone))
        )

    def values(self) -> Values:
        person = self.chosen()
        assert person is not None
        return {"to": person.login}
