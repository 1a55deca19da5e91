"""The queue screen: header, filter line, the live queue and the footer; triage keys act on the cursor's ticket."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input

from dutyboard.i18n import N_, _
from dutyboard.tui import translate_bindings
from dutyboard.tui.widgets.board_header import BoardHeader
from dutyboard.tui.widgets.filter_bar import FilterBar
from dutyboard.tui.widgets.key_footer import KeyFooter
from dutyboard.tui.widgets.queue_countdowns import QueueCountdowns
from dutyboard.tui.widgets.queue_table import QueueFilter, QueueTable

if TYPE_CHECKING:
    from dutyboard.tui.app import DutyboardApp


def triage_actions() -> list[tuple[str, str, str, bool]]:
    """The triage actions (id, key, label msgid, needs a ticket), or none while they are not installed."""
    try:
        from dutyboard.tui.actions import ACTIONS
    except ImportError:
        return []
    return list(ACTIONS)


class QueueScreen(Screen[None]):
    """What the duty engineer watches all shift."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", N_("Filter"), id="queue.filter", tooltip=N_("Filter as you type over id, title, site and asset")),
        Binding("escape", "clear_filter", N_("Clear filter"), show=False, id="queue.clear_filter"),
        Binding("1", "level(1)", N_("Level 1 only"), show=False, id="queue.level_1"),
        Binding("2", "level(2)", N_("Level 2 only"), show=False, id="queue.level_2"),
        Binding("3", "level(3)", N_("Level 3 only"), show=False, id="queue.level_3"),
        Binding("4", "level(4)", N_("Level 4 only"), show=False, id="queue.level_4"),
        Binding("b", "breached", N_("Breached only"), show=False, id="queue.breached"),
        Binding("m", "mine", N_("Mine only"), show=False, id="queue.mine"),
        Binding("s", "order", N_("Contract / countdown order"), show=False, id="queue.order"),
        Binding("question_mark", "help", N_("Help"), id="queue.help"),
    ]

    #: The keys the footer keeps when not all fit, most used first (binding ids); every key is
    #: in help (`?`) and the palette either way. The essentials fit 80 columns.
    FOOTER_KEYS: ClassVar[tuple[str, ...]] = (
        "queue.open",
        "queue.filter",
        "triage.acknowledge",
        "queue.help",
        "app.quit_q",
        "triage.dispatch",
        "triage.new",
        "triage.arrive",
        "triage.restore",
        "triage.close",
        "triage.note",
        "inspections",
        "triage.report",
        "triage.escalate",
        "triage.level",
        "triage.crisis",
    )

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.bind_triage_keys()

    def bind_triage_keys(self) -> None:
        """Bind each triage action's key to `triage(id)`; they show in the footer, help and palette.

        Help's key stays after them, next to quitting, in the footer and in the help screen.
        """
        table = self._bindings.key_to_bindings
        help_key = table.pop("question_mark", [])
        for action_id, key, label, _needs_ticket in triage_actions():
            table.setdefault(key, []).append(
                Binding(key, f"triage('{action_id}')", _(label), id=f"triage.{action_id}")
            )
        if help_key:
            table["question_mark"] = help_key

    @property
    def board_app(self) -> DutyboardApp:
        return self.app  # type: ignore[return-value]

    #: The screen's widgets, kept from composing on (absent before): a late timer or message
    #: reaches a widget taken away at shutdown, where an update does nothing, never a failed query.
    header: BoardHeader
    filter_bar: FilterBar
    table: QueueTable

    def compose(self) -> ComposeResult:
        board = self.board_app.board
        self.header = BoardHeader(board.actor, board.zone, id="header")
        self.filter_bar = FilterBar(id="filter-bar")
        self.table = QueueTable(board.actor, id="queue")
        yield self.header
        yield self.filter_bar
        with Horizontal(id="queue-area"):
            yield self.table
            yield QueueCountdowns(self.table, id="countdowns")
        yield KeyFooter()

    def widgets_up(self) -> bool:
        """Whether the header and the queue are composed and still mounted (not once taken apart)."""
        header = getattr(self, "header", None)
        table = getattr(self, "table", None)
        return (
            header is not None
            and table is not None
            and header.is_attached
            and table.is_attached
            and header.is_mounted
            and table.is_mounted
        )

    def on_mount(self) -> None:
        self.table.focus()
        self.board_app.queue_ready()

    # -- filters

    def _set_filter(self, new: QueueFilter) -> None:
        self.table.set_filter(new)

    def action_filter(self) -> None:
        bar = self.filter_bar
        bar.add_class("-shown")
        bar.input.focus()

    def action_clear_filter(self) -> None:
        bar = self.filter_bar
        if bar.input.value:
            with bar.input.prevent(Input.Changed):
                bar.input.value = ""
        self._set_filter(self.table.model.filter.cleared())
        self.table.focus()

    def action_level(self, level: int) -> None:
        self._set_filter(self.table.model.filter.toggle_level(level))

    def action_breached(self) -> None:
        current = self.table.model.filter
        self._set_filter(replace(current, breached_only=not current.breached_only))

    def action_mine(self) -> None:
        current = self.table.model.filter
        self._set_filter(replace(current, mine_only=not current.mine_only))

    def action_order(self) -> None:
        current = self.table.model.filter
        self._set_filter(replace(current, countdown_order=not current.countdown_order))

    @on(Input.Changed, "#filter-input")
    def _typed(self, event: Input.Changed) -> None:
        self._set_filter(replace(self.table.model.filter, text=event.value))

    @on(Input.Submitted, "#filter-input")
    def _submitted(self) -> None:
        self.table.focus()

    @on(QueueTable.Refiltered)
    def _refiltered(self, event: QueueTable.Refiltered) -> None:
        self.filter_bar.show_state(self.table.model.filter, event.shown, event.total)

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._hide_idle_bar)

    def _hide_idle_bar(self) -> None:
        model = self.table.model
        self.filter_bar.show_state(model.filter, len(model.order), len(model.rows))

    # -- tickets

    @on(QueueTable.Opened)
    def _opened(self, event: QueueTable.Opened) -> None:
        self.action_open(event.ticket_id)

    def action_open(self, ticket_id: int | None = None) -> None:
        """Show a ticket's detail (the cursor's ticket by default)."""
        if ticket_id is None:
            ticket_id = self.table.cursor_id
        if ticket_id is None:
            self.notify(_("No ticket is selected"), severity="warning")
            return
        from dutyboard.tui.screens.detail import TicketDetailScreen

        self.app.push_screen(TicketDetailScreen(ticket_id))

    def action_triage(self, action_id: str) -> None:
        """Run a triage action on the cursor's ticket (or a new ticket) through part 2's forms."""
        from dutyboard.tui.actions import ACTIONS, run_action

        needs_ticket = next((needs for aid, _k, _l, needs in ACTIONS if aid == action_id), True)
        row = self.table.cursor_row
        if needs_ticket and row is None:
            self.notify(_("No ticket is selected"), severity="warning")
            return
        ticket_id = row.id if (row is not None and needs_ticket) else None
        version = row.version if (row is not None and needs_ticket) else None
        self.run_worker(
            run_action(self.app, action_id, ticket_id, version),
            group="triage",
            exit_on_error=False,
        )

    def action_help(self) -> None:
        from dutyboard.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
