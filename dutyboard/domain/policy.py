"""The service plan's numbers, in one place: levels, clocks and their budgets."""

from __future__ import annotations

from typing import Final

from dutyboard.i18n import N_

LEVELS: Final = (1, 2, 3, 4)
CLOCKS: Final = ("respond", "arrive", "restore", "report", "update")
SERVICES: Final = ("hardware", "development")
CHANNELS: Final = ("phone", "email", "web", "remote", "onsite", "monitoring", "inspection")
STATUSES: Final = ("open", "acknowledged", "dispatched", "on_site", "restored", "closed")
CLOCK_STATES: Final = ("pending", "running", "breached", "met", "missed", "not_applicable")

MINUTE: Final = 60
HOUR: Final = 3600

#: Budgets in working seconds by clock and level: the time limits the service plan promises.
LEVEL_BUDGETS: Final[dict[str, dict[int, int]]] = {
    "respond": {1: 15 * MINUTE, 2: 15 * MINUTE, 3: 30 * MINUTE, 4: 30 * MINUTE},
    "arrive": {1: 2 * HOUR, 2: 2 * HOUR, 3: 4 * HOUR, 4: 4 * HOUR},
    "restore": {1: 4 * HOUR, 2: 4 * HOUR, 3: 24 * HOUR, 4: 24 * HOUR},
}
#: "1 working day" on the business calendar.
REPORT_BUDGET: Final = 8 * HOUR
#: Crisis mode: an update note every hour, on the wall clock.
UPDATE_BUDGET: Final = 1 * HOUR

#: Levels whose closing needs the fault analysis report.
REPORT_REQUIRED_LEVELS: Final = (1, 2, 3)

#: The five parts of every service record: the fault analysis report and the inspection record.
REPORT_PARTS: Final = ("cause", "response", "process", "result", "precautions")
REPORT_PART_LABELS: Final = {
    "cause": N_("Cause"),
    "response": N_("Response"),
    "process": N_("Process"),
    "result": N_("Result"),
    "precautions": N_("Precautions"),
}

# ---------------------------------------------------------------- the team and its words

#: Every status but closed: the tickets in the queue.
OPEN_STATUSES: Final = tuple(s for s in STATUSES if s != "closed")
#: A person's place in the escalation table (who is called at each level).
ROLES: Final = (
    "dedicated_engineer",
    "local_manager",
    "regional_expert",
    "vendor_expert",
    "regional_gm",
    "national_expert",
)
#: What a person may do on the board, lowest first: read; triage and inspect; also administer.
ACCESS_LEVELS: Final = ("viewer", "engineer", "manager")
#: How a ticket reached a higher level: its restore time limit was missed (auto), by hand
#: (manual), or, already at level 1, the missed limit was reported to management.
ESCALATION_KINDS: Final = ("auto", "manual", "management")

#: Who is called at each level, as the service plan's escalation table lists them:
#: (technical, management) roles.
CALL_TABLE: Final[dict[int, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    1: (
        ("national_expert", "regional_expert", "vendor_expert", "dedicated_engineer"),
        ("regional_gm", "local_manager"),
    ),
    2: (
        ("regional_expert", "vendor_expert", "dedicated_engineer"),
        ("regional_gm", "local_manager"),
    ),
    3: (("dedicated_engineer",), ("local_manager",)),
    4: (("dedicated_engineer",), ()),
}


def service_calendar_name(service: str) -> str:
    """Respond, arrive and restore run on the wall clock for hardware, else on business time."""
    return "24x7" if service == "hardware" else "business"
