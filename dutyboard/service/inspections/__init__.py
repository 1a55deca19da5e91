"""Preventive inspections: the schedule, checklist drafts filled one value at a time, submission.

Every operation is one transaction (`run_write`) that also appends an `inspection_*` event, so
the audit trail and the change marker see it. A draft survives anything: each value is its
own committed write. Submitting opens one ticket per finding in the same transaction, so an
inspection is never submitted without its tickets, nor tickets left without their inspection.

For a form: `show(board, id)` gives the draft with its items and values (and `view.next_key()`
where to resume); `dutyboard.domain.inspection.check(item, text)` checks a value as it is
typed without saving; `set_value(board, id, key, text)` saves one value; `submit(...)` ends it.

One module per job: `templates`, `sites` (a site's settings), `schedule`, `views`, `drafts`
and `submission`; their public names are all importable from here.
"""

from __future__ import annotations

from dutyboard.service.inspections.drafts import set_value, start
from dutyboard.service.inspections.schedule import DueRow, due, overdue_count
from dutyboard.service.inspections.sites import (
    SiteSettings,
    configure_site,
    get_site,
    site_settings,
)
from dutyboard.service.inspections.submission import (
    NAME_MAX,
    RECORD_PART_MAX,
    SubmitResult,
    default_engineer,
    submit,
)
from dutyboard.service.inspections.templates import (
    DEFAULT_TEMPLATES,
    TEMPLATE_DIR,
    builtin_template,
    parse_template,
    template_keys,
)
from dutyboard.service.inspections.views import (
    Entry,
    FindingView,
    InspectionSummary,
    InspectionView,
    item_json,
    list_inspections,
    show,
)

__all__ = [
    "DEFAULT_TEMPLATES",
    "NAME_MAX",
    "RECORD_PART_MAX",
    "TEMPLATE_DIR",
    "DueRow",
    "Entry",
    "FindingView",
    "InspectionSummary",
    "InspectionView",
    "SiteSettings",
    "SubmitResult",
    "builtin_template",
    "configure_site",
    "default_engineer",
    "due",
    "get_site",
    "item_json",
    "list_inspections",
    "overdue_count",
    "parse_template",
    "set_value",
    "show",
    "site_settings",
    "start",
    "submit",
    "template_keys",
]
