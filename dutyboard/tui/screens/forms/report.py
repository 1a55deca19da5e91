"""The fault analysis report: the service record's five parts (起因、响应、过程、结果、今后注意事项)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import TextArea

from dutyboard.domain.policy import REPORT_PART_LABELS, REPORT_PARTS
from dutyboard.i18n import N_, _
from dutyboard.tui.screens.forms.base import FormScreen, Values, Verdict, field_area, ok, wrong

PART_MAX = 4000

#: What each part should say, as placeholders (service plan, "Service record").
PART_PROMPTS = {
    "cause": N_("what caused the fault"),
    "response": N_("how and when the report was answered"),
    "process": N_("what was done, in order"),
    "result": N_("what was repaired, when it was back to normal"),
    "precautions": N_("what to watch from now on"),
}


class ReportForm(FormScreen):
    """Five text areas; every part is required, since the customer's record has all five."""

    TITLE_MSGID = N_("Fault analysis report")
    SUBMIT_MSGID = N_("Submit report")

    DEFAULT_CSS = """
    ReportForm {
        #form { height: 100%; max-height: 40; }
        #form-fields { height: 1fr; }
        .form-row { height: 1fr; min-height: 2; }
        .form-row > TextArea { height: 1fr; }
    }
    """

    def fields(self) -> ComposeResult:
        for part in REPORT_PARTS:
            area = field_area(f"report-{part}", placeholder=_(PART_PROMPTS[part]))
            yield from self.row(_(REPORT_PART_LABELS[part]), area, self._checker(part))

    def key_hint(self) -> str:
        return _("Ctrl+S: submit · Tab: next part · Enter: new line · Esc: cancel")

    def _checker(self, part: str) -> Callable[[], Verdict]:
        def check() -> Verdict:
            text = self.query_one(f"#report-{part}", TextArea).text.strip()
            if not text:
                return wrong(_("Required: the customer's record has all five parts"))
            if len(text) > PART_MAX:
                return wrong(_("At most {n} characters").format(n=PART_MAX))
            return ok()

        return check

    def values(self) -> Values:
        return {
            "parts": {
                p: self.query_one(f"#report-{p}", TextArea).text.strip() for p in REPORT_PARTS
            }
        }
