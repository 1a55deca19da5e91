"""The checklist form: sections one after another, a value or a key per item, each saved at once.

Keyboard first, for an engineer standing in a machine room: type a number and Enter moves to
the next item; a choice takes one key (o ok, f fault, n not applicable …) and moves on; Ctrl+N
writes a note on the item; Ctrl+S submits. Each value is checked as it is typed (the domain's
rules, no database) with the reason beside it; an out-of-range value is marked as a finding
and accepted. Every change is its own committed write in a thread worker, so killing the
program, the SSH session or the laptop loses nothing, and the draft resumes at the first
empty item.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, TypeVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import DescendantFocus
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from dutyboard.domain import inspection as rules
from dutyboard.i18n import N_, _, ngettext
from dutyboard.reports.inspection_report import kind_name
from dutyboard.service import inspections
from dutyboard.service.board import Board
from dutyboard.service.errors import ServiceError
from dutyboard.service.inspections import Entry, InspectionView
from dutyboard.tui import literal, translate_bindings
from dutyboard.tui.screens.forms.base import (
    FormScreen,
    Refusal,
    Submit,
    Values,
    Verdict,
    field_input,
    ok,
    wrong,
)
from dutyboard.tui.widgets.checklist_item import ChecklistItem

T = TypeVar("T")


class Saver:
    """Orders the checklist's saves: one write at a time, and a superseded save is skipped.

    Each save is its own thread worker; two saves of the same item may start in either order,
    so a save runs only while it is still the latest of its item (the later one writes).
    """

    def __init__(self) -> None:
        self._write = threading.Lock()
        self._state = threading.Condition()
        self._latest: dict[str, int] = {}
        self._serial = 0
        self._outstanding = 0

    def begin(self, key: str) -> int:
        """Register a save of an item (on the event loop); its serial number."""
        with self._state:
            self._serial += 1
            self._latest[key] = self._serial
            self._outstanding += 1
            return self._serial

    def run(self, key: str, serial: int, write: Callable[[], T]) -> T | None:
        """In the worker: write unless a later save of the item came since (then None)."""
        try:
            with self._write:
                with self._state:
                    if self._latest.get(key) != serial:
                        return None
                return write()
        finally:
            with self._state:
                self._outstanding -= 1
                self._state.notify_all()

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until every save begun so far is done (before submitting)."""
        with self._state:
            return self._state.wait_for(lambda: self._outstanding == 0, timeout)

    @property
    def busy(self) -> bool:
        """Whether a save is on its way."""
        with self._state:
            return self._outstanding > 0


class NoteForm(FormScreen):
    """A note on one checklist item (empty clears it); written at once, like every value."""

    TITLE_MSGID = N_("Note on the item")
    SUBMIT_MSGID = N_("Save note")

    def __init__(self, submit: Submit, entry: Entry) -> None:
        super().__init__(submit)
        self.entry = entry

    def fields(self) -> ComposeResult:
        item = self.entry.item
        context = Text(item.label_text(), style="bold")
        if self.entry.value:
            context.append("  " + literal(self.entry.value_text()))
        if item.range_text():
            context.append("  (" + item.range_text() + ")", style="dim")
        yield Static(context, id="form-context")
        placeholder = _("what was seen, where, and what was done about it")
        yield from self.row(
            _("Note"),
            field_input("item-note", self.entry.note, placeholder=placeholder),
            self._check,
        )

    def key_hint(self) -> str:
        return _("Enter or Ctrl+S: save the note (empty clears it) · Esc: cancel")

    def _check(self) -> Verdict:
        text = self.query_one("#item-note", Input).value.strip()
        if len(text) > rules.NOTE_MAX:
            return wrong(_("At most {n} characters").format(n=rules.NOTE_MAX))
        return ok()

    def values(self) -> Values:
        return {"note": self.query_one("#item-note", Input).value.strip()}


class ChecklistScreen(Screen[None]):
    """A draft's checklist; Esc goes back (everything is already saved), Ctrl+S submits."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 - typed by Screen

    DEFAULT_CSS = """
    ChecklistScreen {
        #checklist-head {
            height: 2; background: $panel; padding: 0 1;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
        #checklist-body { height: 1fr; padding: 0 0 0 1; }
        .checklist-section {
            margin-top: 1;
            color: $accent;
            text-style: bold;
            border-bottom: solid $panel-lighten-2;
            height: 2;
        }
        .checklist-section.-first { margin-top: 0; }
        #checklist-hint {
            height: 2; background: $panel; padding: 0 1; color: $text-muted;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
        &.-narrow ChecklistItem .item-label { width: 18; }
        &.-narrow .checklist-section { border-bottom: none; height: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="checklist.back",
                tooltip=N_("Back to the inspections; every value is already saved")),
        # Priority: the scrolling body would otherwise take the arrows to scroll by a line.
        Binding("down", "move(1)", N_("Next item"), show=False, priority=True, id="checklist.next"),
        Binding("up", "move(-1)", N_("Previous item"), show=False, priority=True,
                id="checklist.previous"),
        Binding("ctrl+n", "note", N_("Note"), id="checklist.note",
                tooltip=N_("Write a note on the item")),
        Binding("ctrl+s", "submit", N_("Submit"), id="checklist.submit",
                tooltip=N_("Submit the inspection: names, service record, findings to tickets")),
        Binding("f1", "help", N_("Help"), id="checklist.help"),
    ]

    class Saved(Message):
        """A save came back: the entry as stored (None: a later save of the item superseded it)."""

        def __init__(self, key: str, entry: Entry | None) -> None:
            super().__init__()
            self.key = key
            self.entry = entry

    class SaveFailed(Message):
        """A save wrote nothing: the reason is shown beside the item."""

        def __init__(self, key: str, message: str) -> None:
            super().__init__()
            self.key = key
            self.message = message

    class SubmitFailed(Message):
        """The draft could not be read before submitting."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class ReadyToSubmit(Message):
        """Every save landed and the draft was read again: the submit form can open."""

        def __init__(self, view: InspectionView, engineer: str) -> None:
            super().__init__()
            self.view = view
            self.engineer = engineer

    def __init__(self, view: InspectionView) -> None:
        super().__init__()
        translate_bindings(self)
        self.view = view
        self.saver = Saver()
        self.items: dict[str, ChecklistItem] = {}
        self.titles: dict[str, Static] = {}
        self.order: list[str] = [e.key for e in view.entries]
        self._submitting = False

    @property
    def board(self) -> Board:
        board: Board = cast(Any, self.app).board
        return board

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys, less the App's single letters (q, i): here every letter is typing."""
        return {
            key: active
            for key, active in super().active_bindings.items()
            if not (active.node is self.app and len(active.binding.key) == 1)
        }

    @property
    def inspection_id(self) -> int:
        return self.view.id

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static("", id="checklist-head", markup=False)
        with VerticalScroll(id="checklist-body"):
            for n, (section, entries) in enumerate(self.view.sections()):
                title = Static(
                    section.title_text(),
                    classes="checklist-section" + (" -first" if n == 0 else ""),
                    markup=False,
                )
                self.titles[section.key] = title
                yield title
                for entry in entries:
                    item = ChecklistItem(entry)
                    self.items[entry.key] = item
                    yield item
        yield Static("", id="checklist-hint", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_head()
        start = self.view.next_key() or self.order[0]
        self.call_after_refresh(self.go_to, start)

    def go_to(self, key: str) -> None:
        """Put the cursor on an item (scrolled into view, with its section title when first)."""
        item = self.items[key]
        item.focus_field()
        section = item.item.section
        if key == next(k for k in self.order if self.items[k].item.section == section):
            self.query_one("#checklist-body", VerticalScroll).scroll_to_widget(
                self.titles[section], animate=False
            )

    @property
    def current(self) -> ChecklistItem | None:
        """The item the cursor is in."""
        node = self.focused
        while node is not None:
            if isinstance(node, ChecklistItem):
                return node
            node = node.parent  # type: ignore[assignment]
        return None

    def first_missing(self) -> str | None:
        """The first required item still empty, in checklist order."""
        return next(
            (k for k in self.order if self.items[k].item.required and not self.items[k].entry.value),
            None,
        )

    def entries(self) -> list[Entry]:
        """The entries as last saved, in checklist order."""
        return [self.items[k].entry for k in self.order]

    def show_head(self) -> None:
        """Which inspection, and how far it is: filled, findings, required items still empty."""
        view = self.view
        entries = self.entries()
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"#{view.id} ", style="bold")
        line.append(kind_name(view.kind))
        line.append(" · ")
        line.append(literal(view.site), style="bold")
        line.append(" " + literal(view.site_name))
        line.append(" · " + rules.period_text(view.period))
        filled = sum(1 for e in entries if e.value)
        findings = sum(1 for e in entries if e.value and e.verdict == "finding")
        missing = sum(1 for e in entries if e.item.required and not e.value)
        counts = Text(no_wrap=True, overflow="ellipsis")
        counts.append(_("{filled} of {total} filled").format(filled=filled, total=len(entries)))
        counts.append("  ")
        counts.append(
            ngettext("{n} finding", "{n} findings", findings).format(n=findings),
            style="bold yellow" if findings else "dim",
        )
        counts.append("  ")
        counts.append(
            _("{n} required empty").format(n=missing), style="bold" if missing else "dim"
        )
        counts.append("  ")
        if self.saver.busy:
            counts.append(_("saving…"), style="dim")
        else:
            counts.append(_("✓ every change saved"), style="green")
        head = Text("\n").join([line, counts])
        head.no_wrap, head.overflow = True, "ellipsis"
        self.query_one("#checklist-head", Static).update(head)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        item = self.current
        if item is None:
            return
        hint = Text(no_wrap=True, overflow="ellipsis")
        hint.append(item.hint_text())
        keys = Text(item.keys_text(), style="bold")
        lines = Text("\n").join([hint, keys])
        lines.no_wrap, lines.overflow = True, "ellipsis"
        self.query_one("#checklist-hint", Static).update(lines)

    # ------------------------------------------------------------ moving

    def action_move(self, step: int) -> None:
        """The next (1) or previous (-1) item, across sections."""
        item = self.current
        if item is None:
            self.go_to(self.order[0])
            return
        index = self.order.index(item.key) + step
        if 0 <= index < len(self.order):
            self.go_to(self.order[index])

    # ------------------------------------------------------------ saving

    @on(ChecklistItem.Commit)
    def _commit(self, event: ChecklistItem.Commit) -> None:
        event.stop()
        if event.value is not None:
            self.save(event.item.key, event.value)
        if event.advance:
            index = self.order.index(event.item.key) + 1
            if index < len(self.order):
                self.go_to(self.order[index])
            else:
                self.notify(
                    _("That was the last item. Ctrl+S submits the inspection."), timeout=5
                )

    def flush(self) -> None:
        """Save at once what is typed in the current item and good, before the screen changes."""
        item = self.current
        if item is None:
            return
        value = item.take_pending()
        if value is not None:
            self.save(item.key, value)

    def save(self, key: str, value: str) -> None:
        """Write one item's value at once, in a thread worker ("" clears the item)."""
        self.items[key].save_started()
        serial = self.saver.begin(key)
        self.show_head()
        # On the App, so leaving the screen never cancels a save on its way.
        self.app.run_worker(
            partial(self._write_value, key, value, serial),
            name=f"save {key}",
            group="checklist-save",
            thread=True,
            exit_on_error=False,
        )

    def _write_value(self, key: str, value: str, serial: int) -> None:
        board, inspection_id = self.board, self.inspection_id
        try:
            entry = self.saver.run(
                key, serial, lambda: inspections.set_value(board, inspection_id, key, value)
            )
        except ServiceError as error:
            self.post_message(self.SaveFailed(key, error.message))
            return
        except Exception as error:  # noqa: BLE001 - a lost database: the typed value stays
            self.post_message(
                self.SaveFailed(key, _("Not saved: {error}").format(error=error))
            )
            return
        self.post_message(self.Saved(key, entry))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self.items[event.key].save_finished(event.entry)
        self.show_head()

    @on(SaveFailed)
    def _save_failed(self, event: SaveFailed) -> None:
        self.items[event.key].save_failed(event.message)
        self.show_head()
        self.notify(event.message, severity="error", markup=False, timeout=10)

    # ------------------------------------------------------------ notes

    def action_note(self) -> None:
        """A note on the item the cursor is in, saved at once."""
        item = self.current
        if item is None:
            return
        self.flush()
        key = item.key
        board, inspection_id = self.board, self.inspection_id
        written: list[Entry] = []

        def write(values: Values) -> Refusal | None:
            try:
                written.append(
                    inspections.set_value(board, inspection_id, key, None, note=values["note"])
                )
            except ServiceError as error:
                return Refusal(error.message)
            return None

        def done(saved: bool | None) -> None:
            if saved and written:
                self.items[key].note_saved(written[-1])
            self.items[key].focus_field()

        self.app.push_screen(NoteForm(write, item.entry), callback=done)

    # ------------------------------------------------------------ submitting

    def action_submit(self) -> None:
        """Save what is typed, wait for every save, read the draft again, then ask for names."""
        if self._submitting:
            return
        self.flush()
        self._submitting = True
        self.app.run_worker(
            self._prepare_submit,
            name="prepare submit",
            group="checklist-submit",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _prepare_submit(self) -> None:
        board = self.board
        try:
            self.saver.wait_idle()
            view = inspections.show(board, self.inspection_id)
            engineer = inspections.default_engineer(board)
        except ServiceError as error:
            self.post_message(self.SubmitFailed(error.message))
            return
        except Exception as error:  # noqa: BLE001 - a lost database: say so
            self.post_message(
                self.SubmitFailed(_("Could not reach the database: {error}").format(error=error))
            )
            return
        self.post_message(self.ReadyToSubmit(view, engineer))

    @on(ReadyToSubmit)
    def _ready(self, event: ReadyToSubmit) -> None:
        from dutyboard.tui.screens.submit_inspection import (
            InspectionSubmission,
            SubmitInspectionForm,
            SubmittedScreen,
        )

        self._submitting = False
        if event.view.status != "draft":
            self.notify(
                _("Inspection #{id} is already submitted").format(id=event.view.id),
                severity="warning",
            )
            self.dismiss()
            return
        submission = InspectionSubmission(self.board, event.view.id, self.saver.wait_idle)
        current = self.current
        current_key = current.key if current is not None else None

        def submitted(done: bool | None) -> None:
            if not done or submission.result is None:
                self.go_to(self.first_missing() or (current_key or self.order[0]))
                return
            from dutyboard.tui.screens.inspections import count_overdue

            count_overdue(self.app)
            result = submission.result
            self.notify(submission.summary(), markup=False, timeout=10)
            def closed(_result: None) -> None:
                self.dismiss()  # not returned: the callback's caller would await it

            self.app.push_screen(SubmittedScreen(event.view, result), callback=closed)

        self.app.push_screen(
            SubmitInspectionForm(submission, event.view, event.engineer), callback=submitted
        )

    @on(SubmitFailed)
    def _submit_failed(self, event: SubmitFailed) -> None:
        self._submitting = False
        self.notify(event.message, severity="error", markup=False, timeout=10)

    # ------------------------------------------------------------ leaving

    def action_back(self) -> None:
        """Back to the inspections: what is typed and good is saved on the way out."""
        self.flush()
        self.dismiss()

    def help_rows(self) -> list[tuple[str, str]]:
        """The keys of the checklist as an engineer uses them (the Input's editing keys left out)."""
        app = self.app
        rows = [
            (_("0–9 . na"), _("Type a number (its unit may follow); Enter saves it and moves on")),
            (_("o f n …"), _("Choose with one key, the letter before each choice; the next item follows")),
            ("⏎", _("Keep the item as it is and move on")),
            ("⌫", _("Clear a choice")),
            ("↑ ↓ tab", _("Previous or next item")),
        ]
        for binding in self._bindings.key_to_bindings.values():
            for each in binding:
                if each.show:
                    rows.append((app.get_key_display(each), each.description))
        rows.append(("^q", _("Quit dutyboard (every value is already saved)")))
        return rows

    def action_help(self) -> None:
        """The keys of this screen."""
        from dutyboard.tui.screens.help import HelpScreen

        help_screen = HelpScreen(cast("Screen[object]", self))
        help_screen.rows = self.help_rows()
        self.app.push_screen(help_screen)
