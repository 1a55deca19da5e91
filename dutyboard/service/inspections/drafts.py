"""Drafts: starting (or resuming) a checklist, and saving it one value at a time.

Each value is its own committed write, so a draft survives a dead battery or a dropped SSH
session; every write bumps the draft's version, so a submission sees the values it checked.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dutyboard.domain import inspection as rules
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.service.inspections.schedule import done_periods, local_day
from dutyboard.service.inspections.sites import get_site, settings_row, site_template
from dutyboard.service.inspections.templates import DEFAULT_TEMPLATES, builtin_template
from dutyboard.service.inspections.views import (
    Entry,
    InspectionView,
    check_choice,
    get_inspection,
    template_of,
    view_of,
)
from dutyboard.store.db import run_write
from dutyboard.store.inspection_models import Inspection, InspectionValue


def start(
    board: Board,
    site: str,
    kind: str = "monthly",
    at: datetime | None = None,
    template: str | None = None,
) -> InspectionView:
    """A new draft checklist for a site; a monthly draft already in progress is resumed instead.

    The draft keeps a copy of its template with the site's ranges in force, so later changes
    to either never alter it. `template` picks another shipped template by key.
    """
    at = at or board.now()
    check_choice(kind, rules.KINDS, _("kind"))
    row_site = get_site(site)
    chosen = builtin_template(template) if template else None
    if chosen is not None and chosen.kind != kind:
        raise BadInput(
            _("The template {key} is for {template_kind} inspections, not {kind}").format(
                key=chosen.key, template_kind=chosen.kind, kind=kind
            )
        )

    def write() -> tuple[int, bool]:
        require(board, "engineer")
        if kind == "monthly" and template is None:
            existing = (
                Inspection.select(Inspection.id)
                .where(
                    (Inspection.site == row_site.id)
                    & (Inspection.kind == "monthly")
                    & (Inspection.status == "draft")
                )
                .order_by(Inspection.id)
                .first()
            )
            if existing is not None:
                return existing.id, True
        settings = settings_row(row_site)
        if chosen is not None:
            base = chosen
        elif kind == "monthly":
            base = site_template(settings)
        else:
            base = builtin_template(DEFAULT_TEMPLATES[kind])
        ranges = settings.ranges_dict if settings else {}
        numbers = {i.key for i in base.items if i.type == "number"}
        try:
            used = base.with_ranges({k: v for k, v in ranges.items() if k in numbers})
        except rules.TemplateError as error:
            raise BadInput(str(error)) from None
        today = local_day(board, at)
        if kind == "monthly":
            day = settings.day_of_month if settings else rules.DEFAULT_DAY_OF_MONTH
            done = done_periods([row_site.id]).get(row_site.id, set())
            period = rules.period_for_start(today, day, done, board.business.is_working_day)
        else:
            period = rules.period_of(today)
        row = Inspection.create(
            site=row_site.id,
            kind=kind,
            status="draft",
            period=rules.period_text(period),
            started_at=at,
            started_by=board.actor,
            template_key=used.key,
            template=json.dumps(used.to_json(), ensure_ascii=False),
        )
        board.record("inspection_started", {
            "inspection": row.id, "site": row_site.code, "kind": kind,
            "period": rules.period_text(period), "template": used.key,
        }, at=at)
        return int(row.id), False

    inspection_id, resumed = run_write(write)
    return view_of(get_inspection(inspection_id), resumed=resumed)


def claim_draft(inspection_id: int) -> Inspection:
    """Lock the draft for this write (bumping its version); BadInput once it is submitted."""
    row = get_inspection(inspection_id)
    if row.status != "draft":
        raise BadInput(submitted_message(row))
    changed = (
        Inspection.update(version=Inspection.version + 1)
        .where((Inspection.id == inspection_id) & (Inspection.status == "draft"))
        .execute()
    )
    if changed != 1:
        raise BadInput(submitted_message(get_inspection(inspection_id)))
    return get_inspection(inspection_id)


def submitted_message(row: Inspection) -> str:
    """Why a submitted inspection refuses a change."""
    return _(
        "Inspection {id} was submitted by {who}; a submitted inspection cannot be changed "
        "(start an ad-hoc one to record more)"
    ).format(id=row.id, who=row.submitted_by or "?")


def set_value(
    board: Board,
    inspection_id: int,
    key: str,
    value: str | None,
    note: str | None = None,
    at: datetime | None = None,
) -> Entry:
    """Save one item of a draft at once (its own transaction): a value, a note, or both.

    `value` None keeps the value (only the note changes); "" clears it. Wrong type, an unknown
    key or choice, an impossible number, or a submitted inspection: BadInput, nothing stored.
    An out-of-range number is stored with verdict "finding" and the reason.
    """
    at = at or board.now()
    if note is not None:
        note = note.strip()
        if len(note) > rules.NOTE_MAX:
            raise BadInput(_("The note is longer than {n} characters").format(n=rules.NOTE_MAX))
    if value is None and note is None:
        raise BadInput(_("Give a value or a note"))
    row = get_inspection(inspection_id)
    if row.status != "draft":
        raise BadInput(submitted_message(row))
    template = template_of(row)
    try:
        item = template.item(key)
    except rules.BadValue as error:
        raise BadInput(error.reason) from None
    try:
        checked = rules.check(item, value) if value is not None and value.strip() else None
    except rules.BadValue as error:
        raise BadInput(_("{key}: {reason}").format(key=key, reason=error.reason)) from None

    def write() -> None:
        require(board, "engineer")
        claim_draft(inspection_id)
        stored = InspectionValue.get_or_none(
            (InspectionValue.inspection == inspection_id) & (InspectionValue.key == key)
        )
        if stored is None:
            stored = InspectionValue(inspection=inspection_id, key=key, note="")
        if value is not None:
            stored.value = checked.value if checked else None
            stored.verdict = checked.verdict if checked else None
            stored.reason = checked.reason if checked else ""
        if note is not None:
            stored.note = note
        stored.set_at = at
        stored.set_by = board.actor
        if stored.value is None and not stored.note:
            if stored.id is not None:
                stored.delete_instance()
        else:
            stored.save()
        details: dict[str, Any] = {"inspection": inspection_id, "key": key}
        if value is not None:
            details.update(value=stored.value, verdict=stored.verdict)
        if note is not None:
            details["note"] = note
        board.record("inspection_value", details, at=at)

    run_write(write)
    return view_of(get_inspection(inspection_id)).entry(key)
