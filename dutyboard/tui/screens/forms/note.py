"""A note on a ticket; in crisis mode it is the hourly update that restarts the update clock."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from dutyboard.i18n import N_, _
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

NOTE_MAX = 2000


class NoteForm(FormScreen):
    """One line of text for the audit trail."""

    TITLE_MSGID = N_("Add a note")
    SUBMIT_MSGID = N_("Add note")

    def __init__(self, submit: Submit, ticket: TicketLine, crisis: bool = False) -> None:
        super().__init__(submit, ticket)
        self.crisis = crisis

    def fields(self) -> ComposeResult:
        placeholder = _("what was done, seen or agreed")
        yield from self.row(
            _("Note"), field_input("note-text", placeholder=placeholder), self._check_text
        )

    def _check_text(self) -> Verdict:
        text = self.query_one("#note-text", Input).value.strip()
        if not text:
            return wrong(_("A note needs some text"))
        if len(text) > NOTE_MAX:
            return wrong(_("At most {n} characters").format(n=NOTE_MAX))
        if self.crisis:
            return ok(_("Crisis mode: this is the hourly update"))
        return ok()

    def values(self) -> Values:
        return {"text": self.query_one("#note-text", Input).value.strip()}
