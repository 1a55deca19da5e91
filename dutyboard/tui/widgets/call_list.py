"""Who to call at a level: the service plan's table 8.5.5.1 filled with names and phones from the roster."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from dutyboard import fmt
from dutyboard.domain.policy import CALL_TABLE
from dutyboard.i18n import _
from dutyboard.service.roster import Callee
from dutyboard.tui import literal


def call_table(level: int, callees: Sequence[Callee]) -> Table:
    """Technical lead and responsible manager, a person a line; a role nobody holds says so."""
    technical, management = CALL_TABLE[level]
    table = Table.grid(padding=(0, 1))
    table.add_column(ratio=1, overflow="fold")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    for heading, roles in (
        (_("Technical lead"), technical),
        (_("Responsible manager"), management),
    ):
        table.add_row(Text(heading, style="underline"), "", "")
        people = [c for c in callees if c.role in roles]
        if not people:
            table.add_row(Text("· " + _("nobody at this level"), style="italic"), "", "")
        for callee in people:
            role = Text("· " + fmt.role_name(callee.role))
            if callee.name is None:
                table.add_row(role, Text(_("nobody on the roster"), style="italic"), "")
            else:
                table.add_row(
                    role, Text(literal(callee.name), style="bold"), Text(literal(callee.phone))
                )
    return table


class CallList(Static):
    """The people to call at a ticket's level, with their phones."""

    DEFAULT_CSS = """
    CallList { height: auto; }
    """

    def show(self, level: int, callees: Sequence[Callee]) -> None:
        """Show the call list of `level`."""
        self.update(call_table(level, callees))
