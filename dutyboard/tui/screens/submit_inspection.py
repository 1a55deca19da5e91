"""Submitting an inspection: who did it, who signs for the customer, the optional service record.

The form names the required items still empty and the submit is refused while there are any
(the service says which). Once submitted, every finding has opened a ticket in the same
transaction, and `SubmittedScreen` shows the findings with their tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from dutyboard import fmt
from dutyboard.domain.policy import REPORT_PART_LABELS, REPORT_PARTS
from dutyboard.i18n import N_, _, ngettext
from dutyboard.service import inspections
from dutyboard.service.board import Board
from dutyboard.service.errors import Conflict, ServiceError
from dutyboard.service.inspections import FindingView, InspectionView, SubmitResult
from dutyboard.tui import literal, translate_bindings
from dutyboard.tui.screens.forms.base import (
    FormScreen,
    Refusal,
    Values,
    Verdict,
    field_input,
    ok,
    wrong,
)
from dutyboard.tui.screens.forms.report import PART_PROMPTS


class InspectionSubmission:
    """The write behind the form, run in the form's thread worker; keeps the result for the screen."""

    def __init__(self, board: Board, inspection_id: int, wait: Callable[[], object]) -> None:
        self.board = board
        self.inspection_id = inspection_id
        self._wait = wait
        self.result: SubmitResult | None = None

    def __call__(self, values: Values) -> Refusal | None:
        self._wait()  # values still on their way land before the draft is judged
        try:
            self.result = inspections.submit(
                self.board,
                self.inspection_id,
                engineer=values["engineer"],
                customer_rep=values["customer_rep"],
                record=values["record"],
            )
        except ServiceError as error:
            return Refusal(error.message, conflict=isinstance(error, Conflict))
        return None

    def summary(self) -> str:
        """The notification once submitted: how many findings, which tickets."""
        result = self.result
        if result is None:
            return ""
        if not result.tickets:
            return _("Inspection #{id} submitted: no findings").format(id=result.id)
        return ngettext(
            "Inspection #{id} submitted: {n} finding, ticket {tickets} opened",
            "Inspection #{id} submitted: {n} findings, tickets {tickets} opened",
            len(result.tickets),
        ).format(
            id=result.id, n=len(result.findings),
            tickets=", ".join(f"#{t}" for t in result.tickets),
        )


def missing_text(view: InspectionView) -> str:
    """The required items still empty, by label and key: "Dust (env.dust), Power (env.power)"."""
    return ", ".join(
        f"{view.template.item(key).label_text()} ({key})" for key in view.missing
    )


class SubmitInspectionForm(FormScreen):
    """Engineer (prefilled), the customer's representative and the five-part record (optional)."""

    TITLE_MSGID = N_("Submit the inspection")
    SUBMIT_MSGID = N_("Submit")

    DEFAULT_CSS = """
    SubmitInspectionForm {
        #form-fields { height: auto; max-height: 100%; }
        .form-row { margin-bottom: 0; }
        .form-row.-gap { margin-bottom: 1; }
        #submit-context { height: auto; }
        .submit-gap { height: 1; }
        #submit-missing {
            height: 1; color: $error; text-style: bold;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
        #form-status { max-height: 4; overflow: hidden; }
        #submit-record { color: $text-muted; margin-top: 1; }
    }
    """

    def __init__(self, submission: InspectionSubmission, view: InspectionView, engineer: str) -> None:
        super().__init__(submission)
        self.view = view
        self.engineer = engineer

    def form_title(self) -> str:
        return _("Submit inspection #{id}").format(id=self.view.id)

    def context(self) -> Text:
        """Which site and month, how many findings will open tickets, what is still empty."""
        view = self.view
        text = Text()
        text.append(f"#{view.id} ", style="bold")
        text.append(literal(view.site), style="bold")
        text.append(" " + literal(view.site_name) + " · " + f"{view.period[0]:04d}-{view.period[1]:02d}")
        text.append("\n")
        if view.findings:
            text.append(
                ngettext(
                    "{n} finding will open a ticket: {items}",
                    "{n} findings will each open a ticket: {items}",
                    len(view.findings),
                ).format(
                    n=len(view.findings),
                    items=", ".join(f.item.label_text() for f in view.findings),
                ),
                style="yellow",
            )
        else:
            text.append(_("No findings: no ticket will be opened."))
        return text

    def fields(self) -> ComposeResult:
        yield Static(self.context(), id="submit-context")
        if self.view.missing:
            missing = ", ".join(
                self.view.template.item(key).label_text() for key in self.view.missing
            )
            yield Static(
                _("Required items still empty ({n}): {items}").format(
                    n=len(self.view.missing), items=missing
                ),
                id="submit-missing",
                markup=False,
            )
        yield Static("", classes="submit-gap")
        yield from self.row(
            _("Engineer"), field_input("submit-engineer", self.engineer), self._check_engineer
        )
        yield from self.row(
            _("Customer rep."),
            field_input("submit-customer", placeholder=_("who signs for the customer")),
            self._check_customer,
        )
        yield Static(_("Service record (optional)"), id="submit-record", markup=False)
        for part in REPORT_PARTS:
            yield from self.row(
                _(REPORT_PART_LABELS[part]),
                field_input(f"submit-{part}", placeholder=_(PART_PROMPTS[part])),
                self._part_checker(part),
            )

    def on_mount(self) -> None:
        # FormScreen's own on_mount runs after this one and shows the key hint: say what is
        # missing once it has.
        self.query_one("#submit-engineer", Input).focus()
        self.call_after_refresh(self._show_missing)

    def _show_missing(self) -> None:
        if self.view.missing:
            self.show_status(
                _("Cannot submit yet: required items are empty: {items}").format(
                    items=missing_text(self.view)
                ),
                "-error",
            )

    def key_hint(self) -> str:
        return _("Enter or Ctrl+S: submit · Tab: next field · Esc: back to the checklist")

    def _check_engineer(self) -> Verdict:
        text = self.query_one("#submit-engineer", Input).value.strip()
        if not text:
            return wrong(_("Who did the inspection?"))
        if len(text) > inspections.NAME_MAX:
            return wrong(_("At most {n} characters").format(n=inspections.NAME_MAX))
        return ok()

    def _check_customer(self) -> Verdict:
        text = self.query_one("#submit-customer", Input).value.strip()
        if len(text) > inspections.NAME_MAX:
            return wrong(_("At most {n} characters").format(n=inspections.NAME_MAX))
        return ok(_("signs the report") if text else _("optional"))

    def _part_checker(self, part: str) -> Callable[[], Verdict]:
        def check() -> Verdict:
            text = self.query_one(f"#submit-{part}", Input).value.strip()
            if len(text) > inspections.RECORD_PART_MAX:
                return wrong(_("At most {n} characters").format(n=inspections.RECORD_PART_MAX))
            return ok()

        return check

    def values(self) -> Values:
        def value(field_id: str) -> str:
            return self.query_one(f"#{field_id}", Input).value.strip()

        return {
            "engineer": value("submit-engineer"),
            "customer_rep": value("submit-customer"),
            "record": {p: value(f"submit-{p}") for p in REPORT_PARTS if value(f"submit-{p}")},
        }


def finding_line(finding: FindingView) -> Text:
    """A finding and its ticket: "Temperature 31 °C (18–27 °C) outside 18–27 °C → #12 L3"."""
    line = Text("• ")
    line.append(finding.item.label_text(), style="bold")
    line.append(" " + literal(finding.value_text()))
    if finding.item.range_text():
        line.append(" (" + finding.item.range_text() + ")", style="dim")
    if finding.reason and finding.item.type == "number":
        line.append("  " + literal(finding.reason))
    if finding.ticket is not None:
        line.append("  → ")
        line.append(_("ticket #{id}").format(id=finding.ticket), style="bold")
        if finding.ticket_level is not None:
            line.append(" " + fmt.level_short(finding.ticket_level))
    return line


class SubmittedScreen(ModalScreen[None]):
    """What the submit did: the findings, each with the ticket it opened."""

    DEFAULT_CSS = """
    SubmittedScreen {
        align: center middle;
        & > VerticalScroll {
            width: 96;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $success;
            border-title-color: $success;
            background: $panel;
            padding: 0 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", N_("Close"), id="submitted.close"),
    ]

    def __init__(self, view: InspectionView, result: SubmitResult) -> None:
        super().__init__()
        translate_bindings(self)
        self.view = view
        self.result = result

    def body(self) -> Text:
        """The findings with their tickets, then every ticket opened."""
        result = self.result
        text = Text()
        text.append(literal(self.view.site), style="bold")
        text.append(" " + literal(self.view.site_name) + "\n\n")
        if not result.findings:
            text.append(_("No findings."))
        else:
            text.append(_("Findings: {n}").format(n=len(result.findings)), style="bold")
            for finding in result.findings:
                text.append("\n")
                text.append_text(finding_line(finding))
        text.append("\n\n")
        if result.tickets:
            text.append(
                _("Tickets opened: {tickets}").format(
                    tickets=", ".join(f"#{t}" for t in result.tickets)
                ),
                style="bold",
            )
        else:
            text.append(_("No ticket was opened."))
        text.append("\n\n")
        text.append(_("Enter or Esc: back to the inspections"), style="dim")
        return text

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(Static(self.body(), id="submitted-body"))
        scroll.border_title = _("Inspection #{id} submitted").format(id=self.result.id)
        yield scroll

    def action_close(self) -> None:
        """Back to the inspections."""
        self.dismiss()
