"""Submitting a draft: the required items checked, a ticket opened per finding, all at once.

The submission and its tickets are one transaction, so an inspection is never submitted
without its tickets, nor tickets left without their inspection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dutyboard.domain import inspection as rules
from dutyboard.domain.policy import REPORT_PARTS
from dutyboard.i18n import _
from dutyboard.service import tickets
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Conflict
from dutyboard.service.inspections.drafts import claim_draft
from dutyboard.service.inspections.views import FindingView, show, template_of
from dutyboard.store.db import run_write
from dutyboard.store.inspection_models import Inspection, InspectionFinding, InspectionValue
from dutyboard.store.models import Engineer, Site

NAME_MAX = 200
RECORD_PART_MAX = 20000


@dataclass(frozen=True)
class SubmitResult:
    """What `inspection submit --json` prints."""

    id: int
    status: str
    findings: list[FindingView]
    tickets: list[int]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "findings": [f.to_json() for f in self.findings],
            "tickets": list(self.tickets),
        }


def _clean_name(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if len(text) > NAME_MAX:
        raise BadInput(_("The {what} is longer than {n} characters").format(what=what, n=NAME_MAX))
    return text


def default_engineer(board: Board) -> str:
    """The name of whoever acts, from the roster (their login when they are not on it)."""
    row = Engineer.get_or_none(Engineer.login == board.actor)
    return row.name if row is not None else board.actor


def submit(
    board: Board,
    inspection_id: int,
    engineer: str | None = None,
    customer_rep: str | None = None,
    record: Mapping[str, str] | None = None,
    at: datetime | None = None,
) -> SubmitResult:
    """Submit a draft: refuse while required items are empty, open a ticket per finding, at once.

    Each finding opens a ticket (the template's level, 3 by default; channel "inspection"; the
    site's code; the measured value in the title), linked to the inspection and the item, all in
    the same transaction as the submission.
    """
    at = at or board.now()
    engineers = _clean_name(engineer, _("engineer's name")) or default_engineer(board)
    customer = _clean_name(customer_rep, _("customer's representative"))
    unknown = sorted(set(record or {}) - set(REPORT_PARTS))
    if unknown:
        raise BadInput(
            _("Unknown record parts: {parts} (expected {expected})").format(
                parts=", ".join(unknown), expected=", ".join(REPORT_PARTS)
            )
        )
    parts = {p: (record or {}).get(p, "").strip() for p in REPORT_PARTS}
    for part, text in parts.items():
        if len(text) > RECORD_PART_MAX:
            raise BadInput(
                _("The record's {part} is longer than {n} characters").format(
                    part=part, n=RECORD_PART_MAX
                )
            )

    def write() -> tuple[list[rules.Finding], list[int]]:
        require(board, "engineer")
        row = claim_draft(inspection_id)
        template = template_of(row)
        values = {
            v.key: v.value
            for v in InspectionValue.select().where(InspectionValue.inspection == inspection_id)
        }
        missing = rules.missing_required(template, values)
        if missing:
            raise BadInput(
                _("Cannot submit inspection {id}: required items are empty: {items}").format(
                    id=inspection_id,
                    items=", ".join(f"{k} ({template.item(k).label_text()})" for k in missing),
                )
            )
        found = rules.findings(template, values)
        site = Site.get_by_id(row.site_id)
        changed = (
            Inspection.update(
                status="submitted", submitted_at=at, submitted_by=board.actor,
                engineers=engineers, customer_rep=customer, version=Inspection.version + 1,
                **parts,
            )
            .where((Inspection.id == inspection_id) & (Inspection.version == row.version))
            .execute()
        )
        if changed != 1:
            raise Conflict(
                _("Inspection {id} was changed in the meantime; nothing was written. Try again.")
                .format(id=inspection_id)
            )
        opened = []
        for finding in found:
            ticket_id = tickets.open_ticket(
                board,
                level=finding.item.ticket_level,
                title=_fit_title(finding.ticket_title()),
                service=finding.item.ticket_service,
                channel="inspection",
                site=site.code,
                description=_finding_description(row, site, finding),
                at=at,
            )
            InspectionFinding.create(
                inspection=inspection_id, key=finding.item.key, ticket=ticket_id,
                value=finding.value, reason=finding.reason,
            )
            board.record("inspection_finding", {
                "inspection": inspection_id, "key": finding.item.key, "value": finding.value,
                "range": finding.item.range_text(), "reason": finding.reason,
            }, ticket_id, at)
            opened.append(ticket_id)
        board.record("inspection_submitted", {
            "inspection": inspection_id, "site": site.code, "kind": row.kind,
            "period": row.period, "engineers": engineers, "customer_rep": customer,
            "findings": [f.item.key for f in found], "tickets": opened,
        }, at=at)
        return found, opened

    _found, opened = run_write(write)
    view = show(board, inspection_id)
    return SubmitResult(inspection_id, view.status, view.findings, opened)


def _fit_title(title: str) -> str:
    if len(title) <= tickets.TITLE_MAX:
        return title
    return title[: tickets.TITLE_MAX - 1] + "…"


def _finding_description(row: Inspection, site: Site, finding: rules.Finding) -> str:
    note = (
        InspectionValue.select(InspectionValue.note)
        .where((InspectionValue.inspection == row.id) & (InspectionValue.key == finding.item.key))
        .scalar()
    )
    lines = [
        _("Found by inspection {id} at {site} ({name}), item {key}.").format(
            id=row.id, site=site.code, name=site.name, key=finding.item.key
        ),
        _("Measured: {value}").format(value=finding.value_text())
        + (_("; acceptable: {range}").format(range=finding.item.range_text())
           if finding.item.range_text() else ""),
    ]
    if finding.reason:
        lines.append(_("Reason: {reason}").format(reason=finding.reason))
    if note:
        lines.append(_("Note: {note}").format(note=note))
    return "\n".join(lines)
