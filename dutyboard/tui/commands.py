"""Every dashboard action in the command palette (ctrl+p), by name, with its key beside it.

The commands act on the screen the palette was opened from: the queue's actions and the
triage actions on the cursor's ticket from the queue, the triage actions on the shown ticket
from its detail screen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from dutyboard.i18n import N_, _

#: (action on the queue screen, label msgid, key) for the actions of the queue itself.
QUEUE_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("open", N_("Open the selected ticket"), "enter"),
    ("filter", N_("Filter the queue"), "/"),
    ("clear_filter", N_("Clear every filter"), "esc"),
    ("level(1)", N_("Show level 1 only (toggle)"), "1"),
    ("level(2)", N_("Show level 2 only (toggle)"), "2"),
    ("level(3)", N_("Show level 3 only (toggle)"), "3"),
    ("level(4)", N_("Show level 4 only (toggle)"), "4"),
    ("breached", N_("Show breached tickets only (toggle)"), "b"),
    ("mine", N_("Show my tickets only (toggle)"), "m"),
    ("order", N_("Switch between contract order and countdown order"), "s"),
    ("help", N_("Show every key"), "?"),
)

#: (action on the detail screen, label msgid, key) for the detail screen's own actions.
DETAIL_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("back", N_("Back to the queue"), "esc"),
    ("help", N_("Show every key"), "?"),
)


Command = tuple[str, Callable[[], object], str]


class ListedCommands(Provider):
    """A provider whose commands are a list of (label, callback, help) made for the calling screen."""

    def commands(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for label, callback, help_text in self.commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self.commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)


class DashboardCommands(ListedCommands):
    """The actions of the screen the palette was opened from and the triage actions (quitting is a system command)."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(label, callback, help) for each command available from the calling screen.

        Triage commands run through the calling screen's own `triage` action, so they act on the
        ticket that screen shows: the queue's cursor ticket, or the detail screen's ticket.
        """
        from dutyboard.tui.screens.detail import TicketDetailScreen
        from dutyboard.tui.screens.queue import QueueScreen, triage_actions

        screen = self.screen
        key = _("key {key}")
        found: list[tuple[str, Callable[[], object], str]] = []
        own: tuple[tuple[str, str, str], ...] = ()
        if isinstance(screen, QueueScreen):
            own = QUEUE_COMMANDS
        elif isinstance(screen, TicketDetailScreen):
            own = DETAIL_COMMANDS
        for action, label, shown in own:
            found.append((_(label), partial(screen.run_action, action), key.format(key=shown)))
        if own:
            for action_id, shown, label, _needs in triage_actions():
                found.append(
                    (_(label), partial(screen.run_action, f"triage('{action_id}')"), key.format(key=shown))
                )
        return found
