"""A one-key confirmation for the steps that cannot be taken back (on site, restored, close, crisis)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Static

from dutyboard.i18n import N_, _
from dutyboard.tui.screens.forms.base import FormScreen, Submit, TicketLine


class ConfirmForm(FormScreen):
    """Says what will happen to which ticket; Enter or y does it, Esc or n leaves it alone."""

    DEFAULT_CSS = """
    ConfirmForm {
        #form { width: 72; }
        #confirm-question { text-style: bold; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "submit", N_("Yes"), id="form.yes", show=False),
        Binding("n", "cancel", N_("No"), id="form.no", show=False),
    ]

    def __init__(
        self, submit: Submit, ticket: TicketLine, title: str, question: str, confirm_label: str
    ) -> None:
        super().__init__(submit, ticket)
        self._title = title
        self._question = question
        self._confirm_label = confirm_label

    def form_title(self) -> str:
        return self._title

    def submit_label(self) -> str:
        return self._confirm_label

    def fields(self) -> ComposeResult:
        yield Static(self._question, id="confirm-question", markup=False)

    def key_hint(self) -> str:
        return _("Enter or y: yes · Esc or n: no")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#form-submit", Button).focus()
