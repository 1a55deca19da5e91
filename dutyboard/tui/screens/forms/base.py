"""What every triage form shares: keys, the reason beside each field, and a submit that keeps the form on refusal.

A form only knows its fields. What to write is a `Submit` function handed in by the caller
(dutyboard.tui.actions): it runs in a thread worker, does the service call, and returns a
`Refusal` when nothing was written, so the form stays open with what the engineer typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, TextArea

from dutyboard import fmt
from dutyboard.i18n import N_, _
from dutyboard.tui import literal, translate_bindings


@dataclass(frozen=True)
class Refusal:
    """Why a submit wrote nothing; `conflict` when someone else changed the ticket first."""

    message: str
    conflict: bool = False


Values = dict[str, Any]
#: Runs in a thread: writes through the service; None when done, a Refusal when nothing was written.
Submit = Callable[[Values], Refusal | None]


@dataclass(frozen=True)
class Verdict:
    """A field's check: whether it may be submitted, and the text shown beside it."""

    ok: bool
    text: str = ""


def ok(text: str = "") -> Verdict:
    """A valid field, with an optional hint beside it."""
    return Verdict(True, text)


def wrong(text: str) -> Verdict:
    """An invalid field and the reason, shown beside it."""
    return Verdict(False, text)


@dataclass(frozen=True)
class TicketLine:
    """The ticket a form acts on, as shown at the form's top."""

    id: int
    level: int
    initial_level: int
    status: str
    title: str

    def text(self) -> Text:
        """Number, level (with the initial one when escalated) and status; the title verbatim below."""
        level = fmt.level_name(self.level)
        if self.initial_level != self.level:
            level = f"{fmt.level_short(self.initial_level)}→{level}"
        line = Text(f"#{self.id} ", style="bold")
        line.append(f"{level} · {fmt.status_name(self.status)}\n")
        line.append(literal(self.title), style="bold")  # from the database: never markup
        return line


def field_input(field_id: str, value: str = "", placeholder: str = "", **kwargs: Any) -> Input:
    """A one-line Input for a form: compact and without a blinking cursor (slow links)."""
    box = Input(value, placeholder=placeholder, id=field_id, compact=True, **kwargs)
    box.cursor_blink = False
    return box


def field_area(field_id: str, text: str = "", placeholder: str = "") -> TextArea:
    """A multi-line field: Tab moves on, Enter is a new line, Ctrl+S submits."""
    area = TextArea(
        text,
        id=field_id,
        soft_wrap=True,
        tab_behavior="focus",
        compact=True,
        placeholder=placeholder,
    )
    area.cursor_blink = False
    return area


class FormScreen(ModalScreen[bool]):
    """A modal form: validated as you type, Enter or Ctrl+S submits, Esc cancels and writes nothing.

    Dismisses with True once the write was done, False when cancelled.
    """

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
        #form {
            width: 96;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            border-title-align: left;
            background: $panel;
            padding: 0 1;
        }
        #form-context { margin-bottom: 1; }
        #form-fields { height: auto; }
        .form-row { height: auto; margin-bottom: 1; }
        .form-label { width: 14; text-style: bold; }
        .form-row > Input, .form-row > Select, .form-row > TextArea { width: 1fr; }
        .form-row > TextArea { background: $surface; padding: 0; }
        .form-reason { width: 28; padding-left: 1; color: $text-muted; }
        .form-reason.-invalid { color: $error; }
        .form-row > TextArea.-invalid { background-tint: $error 20%; }
        #form-status { height: auto; margin-top: 1; }
        #form-status.-hint { color: $text-muted; }
        #form-status.-error { color: $error; }
        #form-status.-conflict { color: $warning; }
        #form-buttons { height: 1; margin-top: 1; align-horizontal: right; }
        #form-buttons Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
        Binding("ctrl+s", "submit", N_("Save"), id="form.submit", priority=True),
    ]

    busy: reactive[bool] = reactive(False)
    """A submit is on its way to the database: further submits wait for its answer."""

    #: The title on the form's border (a msgid, translated when shown).
    TITLE_MSGID = N_("Form")
    #: The label of the submit button (a msgid).
    SUBMIT_MSGID = N_("Save")

    def __init__(self, submit: Submit, ticket: TicketLine | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self._submit = submit
        self.ticket = ticket
        self._checks: dict[str, Callable[[], Verdict]] = {}

    # ------------------------------------------------------------ for subclasses

    def fields(self) -> ComposeResult:
        """The form's rows: label, field and reason, three cells each (see `row`)."""
        yield from ()

    def form_title(self) -> str:
        """The title on the form's border."""
        return _(self.TITLE_MSGID)

    def submit_label(self) -> str:
        """The label of the button that writes."""
        return _(self.SUBMIT_MSGID)

    def key_hint(self) -> str:
        """The keys that work here, shown until a submit has something to say."""
        return _("Enter or Ctrl+S: save · Tab: next field · Esc: cancel")

    def values(self) -> Values:
        """What the fields hold, ready for the service call (called once every check passed)."""
        return {}

    def row(
        self, label: str, field: Widget, check: Callable[[], Verdict] | None = None
    ) -> Iterable[Widget]:
        """A label, its field and the reason beside it, on one row; `check` runs as the field changes."""
        assert field.id is not None
        if check is not None:
            self._checks[field.id] = check
        yield Horizontal(
            Static(label, classes="form-label", markup=False),
            field,
            Static("", id=f"{field.id}-reason", classes="form-reason", markup=False),
            classes="form-row",
        )

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as form:
            form.border_title = self.form_title()
            if self.ticket is not None:
                yield Static(self.ticket.text(), id="form-context")
            with Vertical(id="form-fields"):
                yield from self.fields()
            yield Static("", id="form-status", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(self.submit_label(), id="form-submit", variant="primary", compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)

    def on_mount(self) -> None:
        for field_id in self._checks:
            self.check(field_id, quiet=True)
        self.show_status(self.key_hint(), "-hint")

    # ------------------------------------------------------------ checking

    def check(self, field_id: str, quiet: bool = False) -> bool:
        """Run one field's check and show the reason beside it; `quiet` keeps errors unshown."""
        verdict = self._checks[field_id]()
        reason = self.query_one(f"#{field_id}-reason", Static)
        field = self.query_one(f"#{field_id}")
        shown = verdict.ok or not quiet
        reason.update(verdict.text if shown else "")
        reason.set_class(not verdict.ok and shown, "-invalid")
        field.set_class(not verdict.ok and shown, "-invalid")
        return verdict.ok

    def check_all(self) -> bool:
        """Check every field, show every reason and put the cursor on the first one that is wrong."""
        first_wrong: str | None = None
        for field_id in self._checks:
            if not self.check(field_id) and first_wrong is None:
                first_wrong = field_id
        if first_wrong is not None:
            self.query_one(f"#{first_wrong}").focus()
            self.show_status(_("Some fields need attention; nothing was written."), "-error")
            return False
        return True

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _field_changed(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        widget = event.control
        if widget is not None and widget.id in self._checks:
            self.check(widget.id)
        self.refreshed(widget)

    def refreshed(self, widget: Widget | None) -> None:
        """A field changed: forms whose checks depend on one another re-check here."""

    def show_status(self, message: str, kind: str = "") -> None:
        """The line above the buttons: what happened to the last submit."""
        status = self.query_one("#form-status", Static)
        status.update(message)
        status.set_classes(kind)

    # ------------------------------------------------------------ submitting

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#form-submit")
    def _pressed_submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _pressed_cancel(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        """Check every field, then write in a thread; the form stays until the write is done."""
        if self.busy or not self.check_all():
            return
        self.busy = True
        self.show_status(_("Saving…"))
        self._send(self.values())

    @work(thread=True, exclusive=True, group="form-submit", exit_on_error=False)
    def _send(self, values: Values) -> None:
        try:
            refusal = self._submit(values)
        except Exception as error:  # noqa: BLE001 - a lost database must not lose what was typed
            refusal = Refusal(_("Nothing was written: {error}").format(error=error))
        self.app.call_from_thread(partial(self._answered, refusal))

    def _answered(self, refusal: Refusal | None) -> None:
        self.busy = False
        if refusal is None:
            self.dismiss(True)
            return
        self.show_status(refusal.message, "-conflict" if refusal.conflict else "-error")

    def action_cancel(self) -> None:
        """Leave without writing anything."""
        if not self.busy:
            self.dismiss(False)
