"""Every dashboard action in the command palette (ctrl+p), by name, with its key beside it."""

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


class DashboardCommands(Provider):
    """The queue's own actions, the triage actions and quitting, runnable by name."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(label, callback, help) for each command available from the queue screen."""
        from dutyboard.tui.screens.queue import QueueScreen, triage_actions

        app = self.app
        queue = next((s for s in app.screen_stack if isinstance(s, QueueScreen)), None)
        found: list[tuple[str, Callable[[], object], str]] = []
        if queue is not None:
            for action, label, key in QUEUE_COMMANDS:
                found.append((_(label), partial(queue.run_action, action), _("key {key}").format(key=key)))
            for action_id, key, label, _needs in triage_actions():
                found.append(
                    (_(label), partial(queue.run_action, f"triage('{action_id}')"), _("key {key}").format(key=key))
                )
        found.append((_("Quit dutyboard"), app.exit, _("key {key}").format(key="q")))
        return found

    async def discover(self) -> Hits:
        for label, callback, help_text in self.commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self.commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
