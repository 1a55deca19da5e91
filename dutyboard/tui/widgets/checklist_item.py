"""One line of the inspection checklist: label, the field, and the verdict or reason beside it.

A number or a text is typed into an Input and checked at each keystroke by the domain's rules
(no database); a choice takes one key. The item never writes: it says what should be saved
with a `Commit` message, and the screen saves it in a worker and hands the stored entry back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from dutyboard.domain import inspection as rules
from dutyboard.i18n import _
from dutyboard.service.inspections import Entry
from dutyboard.tui import literal
from dutyboard.tui.widgets.choice_field import ChoiceField

#: A good value typed and left alone this long is saved without Enter (a laptop may die first).
AUTOSAVE_SECONDS = 1.5


def widget_id(key: str) -> str:
    """A DOM id for an item key (keys have dots, ids may not)."""
    return "item-" + key.replace(".", "-").replace("_", "-")


class ChecklistItem(Widget):
    """An item of the checklist with its saved entry, and what is typed into it now."""

    DEFAULT_CSS = """
    ChecklistItem {
        height: auto;
        padding: 0 1 0 0;
        &:focus-within { background: $boost; }
        .item-row { height: 1; }
        .item-mark { width: 2; color: $success; }
        .item-label { width: 24; text-wrap: nowrap; text-overflow: ellipsis; }
        .item-required { width: 2; color: $accent; }
        .item-unit { width: 5; padding-left: 1; color: $text-muted; }
        .item-reason { width: 1fr; padding-left: 1; color: $text-muted; }
        .item-note { padding-left: 4; color: $text-muted; text-style: italic; }
        Input { height: 1; background: $surface-lighten-1; }
        Input:focus { background: $surface-lighten-2; }
        &.-number Input { width: 12; }
        &.-text Input { width: 2fr; }
        &.-choice ChoiceField { width: auto; max-width: 55%; }
        &.-finding .item-mark, &.-finding .item-reason { color: $warning; text-style: bold; }
        &.-finding .item-label { color: $warning; }
        &.-finding Input { color: $warning; text-style: bold; }
        &.-bad .item-mark, &.-bad .item-reason { color: $error; text-style: bold; }
        &.-bad Input { background-tint: $error 25%; }
        &.-pending .item-mark { color: $text-muted; }
    }
    ChecklistItem:nocolor.-finding .item-reason { text-style: bold underline; }
    ChecklistItem:nocolor.-bad .item-reason { text-style: bold reverse; }
    """

    #: Marks at the start of the line: saved fine, saved as a finding, typed but not saved,
    #: being saved, cannot be saved.
    MARKS: ClassVar[dict[str, str]] = {
        "ok": "✓", "na": "✓", "finding": "!", "pending": "·", "saving": "…", "bad": "✗", "": " ",
    }

    class Commit(Message):
        """Save `value` for the item ("" clears it; None: nothing to save) and maybe move on."""

        def __init__(self, item: ChecklistItem, value: str | None, advance: bool) -> None:
            super().__init__()
            self.item = item
            self.value = value
            self.advance = advance

    def __init__(self, entry: Entry) -> None:
        super().__init__(id=widget_id(entry.key), classes=f"-{entry.item.type}")
        self.entry = entry
        #: Saves on their way to the database.
        self.saving = 0
        #: Why the last save failed ("" when it did not).
        self.error = ""
        #: The value last sent to be saved, so Enter and the blur after it save it once.
        self._sent: str | None = None
        self._autosave: Timer | None = None

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def item(self) -> rules.Item:
        return self.entry.item

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        item = self.item
        with Horizontal(classes="item-row"):
            yield Static(" ", classes="item-mark", markup=False)
            yield Static(item.label_text(), classes="item-label", markup=False)
            yield Static("*" if item.required else "", classes="item-required", markup=False)
            if item.type == "choice":
                yield ChoiceField(
                    item.choices,
                    {c: item.choice_text(c) for c in item.choices},
                    item.findings,
                    self.entry.value,
                    classes="item-field",
                )
            else:
                box = Input(
                    self.entry.value or "",
                    compact=True,
                    max_length=rules.TEXT_MAX if item.type == "text" else 40,
                    classes="item-field",
                    select_on_focus=False,
                )
                box.cursor_blink = False
                yield box
                if item.type == "number":
                    yield Static(literal(item.unit or ""), classes="item-unit", markup=False)
            yield Static("", classes="item-reason", markup=False)
        yield Static("", classes="item-note", markup=False)

    def on_mount(self) -> None:
        self.refresh_look()

    @property
    def field(self) -> Input | ChoiceField:
        return self.query_one(".item-field", Widget)  # type: ignore[return-value]

    def focus_field(self) -> None:
        """Put the cursor in the item's field (at the end of what is there)."""
        field = self.field
        field.focus()
        if isinstance(field, Input):
            field.cursor_position = len(field.value)

    # ------------------------------------------------------------ what is typed

    def typed(self) -> str | None:
        """The value in the field now: the Input's text, or the chosen choice's key ("" none)."""
        field = self.field
        if isinstance(field, ChoiceField):
            return field.value or ""
        return field.value

    def check_typed(self) -> tuple[str, str, str | None]:
        """(state, reason, value to save) for what is in the field now.

        state is "", "ok", "na", "finding" or "bad"; the value to save is None when nothing
        needs saving (the same as stored, or it cannot be stored), "" to clear the item.
        """
        text = self.typed() or ""
        stored = self.entry.value or ""
        if not text.strip():
            return "", "", ("" if stored else None)
        try:
            checked = rules.check(self.item, text)
        except rules.BadValue as error:
            return "bad", error.reason, None
        return checked.verdict, checked.reason, (None if checked.value == stored else text)

    def commit(self, advance: bool) -> None:
        """Ask the screen to save what is typed (if it can and must be saved), and to move on."""
        if self.check_typed()[0] == "bad":
            self.refresh_look()
            if advance:
                self.app.bell()
            return
        self.post_message(self.Commit(self, self.take_pending(), advance))

    def take_pending(self) -> str | None:
        """What is typed and should be saved now (marked as on its way), or None.

        None when the field holds the stored value, what cannot be stored, or a value already
        sent (Enter and the blur that follows it save once).
        """
        state, _reason, value = self.check_typed()
        if state == "bad" or value is None or value == self._sent:
            return None
        self._sent = value
        return value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.error = ""
        self.refresh_look()
        self._schedule_autosave()

    def _schedule_autosave(self) -> None:
        """Save a good new value once typing pauses; never a half-typed bad one, nor a clearing."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        state, _reason, value = self.check_typed()
        if state != "bad" and value:
            self._autosave = self.set_timer(AUTOSAVE_SECONDS, self._autosave_now, name="autosave")

    def _autosave_now(self) -> None:
        self._autosave = None
        if self.is_attached:
            self.commit(advance=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit(advance=True)

    @on(ChoiceField.Chosen)
    def _chosen(self, event: ChoiceField.Chosen) -> None:
        event.stop()
        self.error = ""
        self.refresh_look()
        self.post_message(self.Commit(self, self.take_pending(), advance=event.choice is not None))

    @on(ChoiceField.Confirmed)
    def _confirmed(self, event: ChoiceField.Confirmed) -> None:
        event.stop()
        self.post_message(self.Commit(self, self.take_pending(), advance=True))

    @on(ChoiceField.Refused)
    def _refused(self, event: ChoiceField.Refused) -> None:
        event.stop()
        self.app.bell()
        self.error = _("{key!r}: press {keys}").format(
            key=event.key, keys=", ".join(event.field.keys[c] for c in event.field.choices)
        )
        self.refresh_look()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the field saves a good value that was typed but not entered."""
        if isinstance(event.widget, Input) and self.is_attached:
            self.commit(advance=False)

    # ------------------------------------------------------------ saved state

    def save_started(self) -> None:
        """A save of this item left for the database."""
        self.saving += 1
        self.refresh_look()

    def save_finished(self, entry: Entry | None) -> None:
        """A save came back: the entry as stored now (None: a later save of the item superseded it).

        The field shows the stored value's canonical form unless the cursor is in it, or
        what is there cannot be stored (then it stays, with its reason, until corrected).
        """
        self.saving = max(0, self.saving - 1)
        if entry is not None:
            self.entry = entry
            self.error = ""
        if not self.saving:
            self._sent = None
            stored = self.entry.value
            field = self.field
            if isinstance(field, ChoiceField):
                field.value = stored
            elif (
                not field.has_focus
                and self.check_typed()[0] != "bad"
                and field.value != (stored or "")
            ):
                with field.prevent(Input.Changed):
                    field.value = stored or ""
        self.refresh_look()

    def note_saved(self, entry: Entry) -> None:
        """The note was saved (the value is unchanged)."""
        self.entry = entry
        self.refresh_look()

    def save_failed(self, message: str) -> None:
        """The store refused or could not be reached: the typed value stays, the reason shows."""
        self.saving = max(0, self.saving - 1)
        self._sent = None
        self.error = message
        self.refresh_look()

    def refresh_look(self) -> None:
        """The mark, the reason beside the field and the note line, from the typed and saved state."""
        if not self.children:  # not composed yet: on_mount draws it
            return
        state, reason, pending = self.check_typed()
        unsaved = pending is not None
        if self.error:
            mark, shown, look = "bad", self.error, "bad"
        elif state == "bad":
            mark, shown, look = "bad", reason, "bad"
        else:
            mark = "saving" if self.saving else ("pending" if unsaved else state)
            look = state
            shown = self._reason_text(state, reason)
        self.set_class(look == "finding", "-finding")
        self.set_class(look == "bad", "-bad")
        self.set_class(unsaved and not self.saving and look != "bad", "-pending")
        self.query_one(".item-mark", Static).update(self.MARKS.get(mark, " "))
        self.query_one(".item-reason", Static).update(Text(shown, no_wrap=True, overflow="ellipsis"))
        note = self.query_one(".item-note", Static)
        note.display = bool(self.entry.note)
        if self.entry.note:
            note.update(Text("✎ " + literal(self.entry.note), no_wrap=True, overflow="ellipsis"))

    def _reason_text(self, state: str, reason: str) -> str:
        item = self.item
        if item.type == "choice":
            return ""  # the chosen choice says it, in the finding colour when it is one
        if state == "finding":
            return "⚠ " + reason
        if state == "na":
            return _("not applicable")
        if item.type == "number":
            return item.range_text()
        return ""

    def hint_text(self) -> str:
        """What the hint line says for this item: its range and how to measure or judge it."""
        item = self.item
        parts = [item.label_text()]
        if item.range_text():
            parts.append(_("acceptable: {range}").format(range=item.range_text()))
        if item.hint_text():
            parts.append(item.hint_text())
        return " · ".join(parts)

    def keys_text(self) -> str:
        """Which keys work in this item's field."""
        field = self.field
        if isinstance(field, ChoiceField):
            return _("{keys} · ⌫ clear · Enter next").format(keys=field.keys_text())
        if self.item.type == "number":
            extra = _(" (or na)") if self.item.allow_na else ""
            return _("Type the number{extra}, Enter saves and moves on").format(extra=extra)
        return _("Type the text, Enter saves and moves on")
