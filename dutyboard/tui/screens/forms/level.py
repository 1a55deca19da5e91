"""Re-classify a ticket (any level, with a reason) or escalate it one level up (a reason, pre-filled)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.widgets import Input, Static

from dutyboard import fmt
from dutyboard.domain.policy import LEVELS
from dutyboard.i18n import N_, _
from dutyboard.service.roster import Callee
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
from dutyboard.tui.widgets.call_list import CallList, call_table

REASON_MAX = 500

#: What each level looks like (service plan, "Fault levels"), shown beside the level field.
LEVEL_MEANINGS = {
    1: N_("business stopped or data lost"),
    2: N_("machine down, failed part, degraded"),
    3: N_("errors or a failed part; a hazard"),
    4: N_("question, appointment; no impact"),
}


def level_field(field_id: str, value: str = "") -> Input:
    """One digit, 1 to 4: the fastest way to say a level on the phone."""
    return field_input(field_id, value, placeholder="1-4", restrict=r"[1-4]?", max_length=1)


def check_level_text(text: str) -> Verdict:
    """A level typed as a digit: its plan name and meaning beside it, or why it is wrong."""
    if not text:
        return wrong(_("Choose a level, 1 (urgent) to 4 (ordinary)"))
    level = int(text)
    if level not in LEVELS:
        return wrong(_("Level must be 1, 2, 3 or 4, not {level}").format(level=level))
    return ok(
        _("{name}: {meaning}").format(name=fmt.level_name(level), meaning=_(LEVEL_MEANINGS[level]))
    )


def check_reason(text: str) -> Verdict:
    """A reason is required, and short enough for the audit trail."""
    if not text.strip():
        return wrong(_("Say why: it goes into the audit trail"))
    if len(text.strip()) > REASON_MAX:
        return wrong(_("At most {n} characters").format(n=REASON_MAX))
    return ok()


class LevelForm(FormScreen):
    """Re-classification: the fault was this level from the start, so live clocks are recomputed."""

    TITLE_MSGID = N_("Re-classify")
    SUBMIT_MSGID = N_("Re-classify")

    def fields(self) -> ComposeResult:
        yield from self.row(_("Level"), level_field("level-level"), self._check_level)
        yield from self.row(
            _("Reason"),
            field_input("level-reason", placeholder=_("why the level changes")),
            lambda: check_reason(self.query_one("#level-reason", Input).value),
        )

    def _check_level(self) -> Verdict:
        text = self.query_one("#level-level", Input).value
        verdict = check_level_text(text)
        assert self.ticket is not None
        if verdict.ok and int(text) == self.ticket.level:
            return wrong(_("The ticket is already level {level}").format(level=self.ticket.level))
        return verdict

    def values(self) -> Values:
        return {
            "level": int(self.query_one("#level-level", Input).value),
            "reason": self.query_one("#level-reason", Input).value.strip(),
        }


def default_escalation_reason(old: int, new: int, actor: str) -> str:
    """The reason an escalation is given unless the engineer writes another."""
    return _("Escalated from {old} to {new} by {who}").format(
        old=fmt.level_short(old), new=fmt.level_short(new), who=actor
    )


class EscalateForm(FormScreen):
    """One level up, with who will be called at the new level (service plan table 8.5.5.1)."""

    TITLE_MSGID = N_("Escalate one level")
    SUBMIT_MSGID = N_("Escalate")

    DEFAULT_CSS = """
    EscalateForm #escalate-heading { text-style: bold; }
    """

    def __init__(
        self, submit: Submit, ticket: TicketLine, actor: str, callees: Sequence[Callee]
    ) -> None:
        super().__init__(submit, ticket)
        self.new_level = max(1, ticket.level - 1)
        self.actor = actor
        self.callees = list(callees)

    def fields(self) -> ComposeResult:
        assert self.ticket is not None
        default = default_escalation_reason(self.ticket.level, self.new_level, self.actor)
        yield from self.row(
            _("Reason"),
            field_input("escalate-reason", default),
            lambda: check_reason(self.query_one("#escalate-reason", Input).value),
        )
        yield Static(
            _("At {level} the plan calls:").format(level=fmt.level_name(self.new_level)),
            id="escalate-heading",
            markup=False,
        )
        yield CallList(call_table(self.new_level, self.callees), id="escalate-callees")

    def values(self) -> Values:
        return {"reason": self.query_one("#escalate-reason", Input).value.strip()}
