"""Preventive inspections: the schedule, checklist drafts filled one value at a time, submission.

Every operation is one transaction (`run_write`) that also appends an `inspection_*` event, so
the audit trail and the change marker see it. A draft survives anything: each value is its
own committed write. Submitting opens one ticket per finding in the same transaction, so an
inspection is never submitted without its tickets, nor tickets left without their inspection.

For a form: `show(board, id)` gives the draft with its items and values (and `view.next_key()`
where to resume); `dutyboard.domain.inspection.check(item, text)` checks a value as it is
typed without saving; `set_value(board, id, key, text)` saves one value; `submit(...)` ends it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from dutyboard.domain import inspection as rules
from dutyboard.domain.instants import iso
from dutyboard.domain.policy import REPORT_PARTS
from dutyboard.i18n import _
from dutyboard.service import tickets
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Conflict, NotFound
from dutyboard.store.db import run_write
from dutyboard.store.inspection_models import (
    Inspection,
    InspectionFinding,
    InspectionValue,
    SiteInspectionSettings,
)
from dutyboard.store.models import Engineer, Event, Site, Ticket

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
#: The shipped template each kind starts from.
DEFAULT_TEMPLATES = {"monthly": "monthly", "adhoc": "adhoc"}
NAME_MAX = 200
RECORD_PART_MAX = 20000

# ---------------------------------------------------------------- templates


@cache
def builtin_template(key: str) -> rules.Template:
    """A template shipped in dutyboard/templates (read once per process)."""
    path = TEMPLATE_DIR / f"{key}.json"
    if not key.replace("_", "").replace("-", "").isalnum() or not path.is_file():
        raise BadInput(
            _("There is no inspection template {key!r} (shipped: {keys})").format(
                key=key, keys=", ".join(template_keys())
            )
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return rules.Template.from_json(data)
    except (json.JSONDecodeError, rules.TemplateError) as error:
        raise BadInput(_("The template {path} is broken: {error}").format(path=path, error=error)) from None


def template_keys() -> list[str]:
    """The keys of the shipped templates."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.json"))


def parse_template(text: str) -> rules.Template:
    """A site's own template from its JSON text; BadInput saying what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(_("The template is not valid JSON: {error}").format(error=error)) from None
    try:
        return rules.Template.from_json(data)
    except rules.TemplateError as error:
        raise BadInput(str(error)) from None


# ---------------------------------------------------------------- sites and settings


def get_site(code: str) -> Site:
    """The site with that code; BadInput naming the known sites otherwise."""
    code = (code or "").strip()
    site = Site.get_or_none(Site.code == code) if code else None
    if site is None:
        known = [s.code for s in Site.select(Site.code).order_by(Site.code)]
        if known:
            raise BadInput(
                _("Unknown site {site!r}: the sites are {sites}").format(
                    site=code, sites=", ".join(known)
                )
            )
        raise BadInput(_("Unknown site {site!r}: no sites are registered yet").format(site=code))
    return site


@dataclass(frozen=True)
class SiteSettings:
    """A site's inspection day, its own ranges, and whether it has its own template."""

    site: str
    day_of_month: int
    ranges: dict[str, dict[str, float | None]]
    template_key: str
    own_template: bool
    updated_at: datetime | None
    updated_by: str | None

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "site": self.site,
            "day_of_month": self.day_of_month,
            "ranges": self.ranges,
            "template": self.template_key,
            "own_template": self.own_template,
            "updated_at": iso(self.updated_at, zone),
            "updated_by": self.updated_by,
        }


def _settings_row(site: Site) -> SiteInspectionSettings | None:
    return SiteInspectionSettings.get_or_none(SiteInspectionSettings.site == site.id)


def _site_template(row: SiteInspectionSettings | None) -> rules.Template:
    """The monthly template a site uses: its own, else the shipped one."""
    if row is not None and row.template:
        try:
            return rules.Template.from_json(json.loads(row.template))
        except (json.JSONDecodeError, rules.TemplateError):
            pass  # never stored unchecked; fall back rather than lock the site out
    return builtin_template(DEFAULT_TEMPLATES["monthly"])


def site_settings(board: Board, site: str) -> SiteSettings:
    """What a site's inspections use now."""
    row_site = get_site(site)
    row = _settings_row(row_site)
    template = _site_template(row)
    return SiteSettings(
        site=row_site.code,
        day_of_month=row.day_of_month if row else rules.DEFAULT_DAY_OF_MONTH,
        ranges=row.ranges_dict if row else {},
        template_key=template.key,
        own_template=bool(row and row.template),
        updated_at=row.updated_at if row else None,
        updated_by=row.updated_by if row else None,
    )


def configure_site(
    board: Board,
    site: str,
    *,
    day_of_month: int | None = None,
    ranges: Mapping[str, Mapping[str, float | None] | None] | None = None,
    template_json: str | None = None,
    default_template: bool = False,
    at: datetime | None = None,
) -> SiteSettings:
    """A manager's action: the site's inspection day, its own ranges, its own monthly template.

    `ranges` maps item keys to {"min": x, "max": y} (None for a key drops the site's range,
    so the template's default is in force again). Drafts already started keep their ranges.
    """
    at = at or board.now()
    row_site = get_site(site)
    if day_of_month is not None:
        try:
            rules.check_day_of_month(day_of_month)
        except rules.BadValue as error:
            raise BadInput(error.reason) from None
    new_template: rules.Template | None = None
    if template_json is not None:
        new_template = parse_template(template_json)
        if new_template.kind != "monthly":
            raise BadInput(_("A site's own template must be a monthly one"))

    def write() -> SiteSettings:
        require(board, "manager")
        row = _settings_row(row_site)
        if row is None:
            row = SiteInspectionSettings(site=row_site.id, day_of_month=rules.DEFAULT_DAY_OF_MONTH)
        current = row.ranges_dict
        for key, bounds in (ranges or {}).items():
            if bounds is None:
                current.pop(key, None)
            else:
                current[key] = {k: v for k, v in bounds.items() if k in ("min", "max")}
        if new_template is not None:
            row.template = json.dumps(new_template.to_json(), ensure_ascii=False)
        elif default_template:
            row.template = None
        template = _site_template(row)
        try:
            template.with_ranges(current)
        except rules.TemplateError as error:
            raise BadInput(str(error)) from None
        if day_of_month is not None:
            row.day_of_month = day_of_month
        row.ranges = json.dumps(current, ensure_ascii=False, sort_keys=True)
        row.updated_at = at
        row.updated_by = board.actor
        row.save()
        _event(board, at, "inspection_settings", {
            "site": row_site.code, "day_of_month": row.day_of_month, "ranges": current,
            "template": template.key, "own_template": bool(row.template),
        })
        return site_settings(board, row_site.code)

    return run_write(write)


# ---------------------------------------------------------------- the schedule


@dataclass(frozen=True)
class DueRow:
    """One site on the inspections screen: last done, next due, overdue first."""

    site: str
    site_name: str
    last_done: datetime | None
    next_due: date
    overdue: bool
    #: Whether this month's (or a spilled previous month's) inspection is still owed.
    due_now: bool
    period: rules.Period
    day_of_month: int
    #: A monthly draft in progress for the site, to resume.
    draft: int | None

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "site": self.site,
            "last_done": iso(self.last_done, zone),
            "next_due": self.next_due.isoformat(),
            "overdue": self.overdue,
        }


def _local_day(board: Board, at: datetime) -> date:
    return at.astimezone(board.zone).date()


def _done_periods(site_ids: list[int] | None = None) -> dict[int, set[rules.Period]]:
    query = Inspection.select(Inspection.site, Inspection.period).where(
        (Inspection.kind == "monthly") & (Inspection.status == "submitted")
    )
    if site_ids is not None:
        query = query.where(Inspection.site.in_(site_ids))
    done: dict[int, set[rules.Period]] = {}
    for site_id, period in query.tuples():
        done.setdefault(site_id, set()).add(rules.parse_period(period))
    return done


def due(board: Board, at: datetime | None = None) -> list[DueRow]:
    """Every site with its last monthly inspection and next due day; overdue ones first."""
    at = at or board.now()
    today = _local_day(board, at)
    sites = list(Site.select().order_by(Site.code))
    settings = {row.site_id: row for row in SiteInspectionSettings.select()}
    done = _done_periods()
    last: dict[int, datetime] = {}
    for site_id, submitted_at in (
        Inspection.select(Inspection.site, Inspection.submitted_at)
        .where((Inspection.kind == "monthly") & (Inspection.status == "submitted"))
        .tuples()
    ):
        if site_id not in last or submitted_at > last[site_id]:
            last[site_id] = submitted_at
    drafts: dict[int, int] = {}
    for site_id, draft_id in (
        Inspection.select(Inspection.site, Inspection.id)
        .where((Inspection.kind == "monthly") & (Inspection.status == "draft"))
        .order_by(Inspection.id)
        .tuples()
    ):
        drafts.setdefault(site_id, draft_id)
    rows = []
    for site in sites:
        row = settings.get(site.id)
        day = row.day_of_month if row else rules.DEFAULT_DAY_OF_MONTH
        status = rules.schedule_status(
            today, day, done.get(site.id, set()), board.business.is_working_day
        )
        rows.append(
            DueRow(
                site=site.code,
                site_name=site.name,
                last_done=last.get(site.id),
                next_due=status.next_due,
                overdue=status.overdue,
                due_now=status.due_now,
                period=status.period,
                day_of_month=day,
                draft=drafts.get(site.id),
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.next_due, r.site))
    return rows


def overdue_count(board: Board, at: datetime | None = None) -> int:
    """How many sites' monthly inspections are overdue (the queue's header shows it)."""
    return sum(1 for row in due(board, at) if row.overdue)


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class Entry:
    """An item of the checklist with what was entered for it."""

    item: rules.Item
    value: str | None
    note: str
    verdict: str | None
    reason: str
    set_at: datetime | None
    set_by: str | None

    @property
    def key(self) -> str:
        return self.item.key

    def value_text(self) -> str:
        """The value as shown: "31 °C", "Fault", the text; "" when empty."""
        return self.item.value_text(self.value)

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "value": self.value,
            "text": self.value_text(),
            "note": self.note,
            "verdict": self.verdict,
            "reason": self.reason,
            "set_at": iso(self.set_at, zone),
            "set_by": self.set_by,
        }


@dataclass(frozen=True)
class FindingView:
    """A failed item and, once submitted, the ticket it opened."""

    item: rules.Item
    value: str
    reason: str
    ticket: int | None = None
    ticket_level: int | None = None
    ticket_status: str | None = None

    @property
    def key(self) -> str:
        return self.item.key

    def value_text(self) -> str:
        return self.item.value_text(self.value)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.item.key,
            "label": self.item.label_text(),
            "value": self.value,
            "text": self.value_text(),
            "range": self.item.range_text() or None,
            "reason": self.reason,
            "ticket": self.ticket,
        }


def _num(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == int(value) else value


def item_json(item: rules.Item) -> dict[str, Any]:
    """An item as `inspection start --json` lists it (the range in force, label translated)."""
    return {
        "key": item.key,
        "section": item.section,
        "label": item.label_text(),
        "type": item.type,
        "unit": item.unit if item.type == "number" else None,
        "min": _num(item.min) if item.type == "number" else None,
        "max": _num(item.max) if item.type == "number" else None,
        "choices": list(item.choices) if item.type == "choice" else None,
        "required": item.required,
    }


@dataclass(frozen=True)
class InspectionView:
    """An inspection with its checklist (the template as used), values, findings and record."""

    id: int
    version: int
    site: str
    site_name: str
    kind: str
    status: str
    period: rules.Period
    template: rules.Template
    started_at: datetime
    started_by: str
    submitted_at: datetime | None
    submitted_by: str | None
    engineers: str
    customer_rep: str
    record: dict[str, str]
    entries: list[Entry]
    findings: list[FindingView]
    missing: list[str]
    resumed: bool = False
    _by_key: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_key.update({e.key: e for e in self.entries})

    def entry(self, key: str) -> Entry:
        """The entry of an item; KeyError for a key the checklist does not have."""
        return self._by_key[key]

    def sections(self) -> list[tuple[rules.Section, list[Entry]]]:
        """The checklist section by section, as the form and the report show it."""
        return [(s, [self._by_key[i.key] for i in s.items]) for s in self.template.sections]

    def next_key(self) -> str | None:
        """Where to resume: the first item without a value (required ones first), or None."""
        for entry in self.entries:
            if entry.item.required and not entry.value:
                return entry.key
        for entry in self.entries:
            if not entry.value:
                return entry.key
        return None

    @property
    def tickets(self) -> list[int]:
        return [f.ticket for f in self.findings if f.ticket is not None]

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "site_name": self.site_name,
            "kind": self.kind,
            "status": self.status,
            "period": rules.period_text(self.period),
            "template": self.template.key,
            "started_at": iso(self.started_at, zone),
            "started_by": self.started_by,
            "submitted_at": iso(self.submitted_at, zone),
            "submitted_by": self.submitted_by,
            "engineers": self.engineers,
            "customer_rep": self.customer_rep,
            "resumed": self.resumed,
            "items": [item_json(e.item) for e in self.entries],
            "values": {e.key: e.to_json(zone) for e in self.entries if e.value or e.note},
            "missing": list(self.missing),
            "findings": [f.to_json() for f in self.findings],
            "tickets": self.tickets,
            "record": dict(self.record),
        }


@dataclass(frozen=True)
class InspectionSummary:
    """One line of `inspection list`."""

    id: int
    site: str
    kind: str
    status: str
    period: rules.Period
    started_at: datetime
    started_by: str
    submitted_at: datetime | None
    engineers: str
    findings: int

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "kind": self.kind,
            "status": self.status,
            "period": rules.period_text(self.period),
            "started_at": iso(self.started_at, zone),
            "started_by": self.started_by,
            "submitted_at": iso(self.submitted_at, zone),
            "engineers": self.engineers,
            "findings": self.findings,
        }


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


def _get(inspection_id: int) -> Inspection:
    row = Inspection.get_or_none(Inspection.id == inspection_id)
    if row is None:
        raise NotFound(_("There is no inspection {id}").format(id=inspection_id))
    return row


def _template_of(row: Inspection) -> rules.Template:
    try:
        return rules.Template.from_json(row.template_dict)
    except rules.TemplateError as error:  # only if the stored copy was damaged by hand
        raise BadInput(
            _("Inspection {id} has a damaged template copy: {error}").format(id=row.id, error=error)
        ) from None


def show(board: Board, inspection_id: int) -> InspectionView:
    """An inspection with its items, values, verdicts, findings (with tickets) and record."""
    row = _get(inspection_id)
    return _view(row)


def _view(row: Inspection, resumed: bool = False) -> InspectionView:
    template = _template_of(row)
    stored = {v.key: v for v in InspectionValue.select().where(InspectionValue.inspection == row.id)}
    entries = []
    for item in template.items:
        v = stored.get(item.key)
        entries.append(
            Entry(
                item=item,
                value=v.value if v is not None else None,
                note=v.note if v is not None else "",
                verdict=v.verdict if v is not None else None,
                reason=_reason_now(item, v.value) if v is not None else "",
                set_at=v.set_at if v is not None else None,
                set_by=v.set_by if v is not None else None,
            )
        )
    values = {e.key: e.value for e in entries}
    if row.status == "submitted":
        linked = {
            f.key: f
            for f in InspectionFinding.select().where(InspectionFinding.inspection == row.id)
        }
        ticket_rows = {
            t.id: t
            for t in Ticket.select(Ticket.id, Ticket.level, Ticket.status).where(
                Ticket.id.in_([f.ticket_id for f in linked.values()] or [0])
            )
        }
        findings = []
        for key, f in linked.items():
            try:
                item = template.item(key)
            except rules.BadValue:
                continue
            t = ticket_rows.get(f.ticket_id)
            findings.append(
                FindingView(
                    item, f.value, _reason_now(item, f.value) or f.reason, f.ticket_id,
                    t.level if t else None, t.status if t else None,
                )
            )
        order = {item.key: n for n, item in enumerate(template.items)}
        findings.sort(key=lambda f: order.get(f.key, 0))
    else:
        findings = [FindingView(f.item, f.value, f.reason) for f in rules.findings(template, values)]
    site = Site.get_by_id(row.site_id)
    return InspectionView(
        id=row.id,
        version=row.version,
        site=site.code,
        site_name=site.name,
        kind=row.kind,
        status=row.status,
        period=rules.parse_period(row.period),
        template=template,
        started_at=row.started_at,
        started_by=row.started_by,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        engineers=row.engineers,
        customer_rep=row.customer_rep,
        record={part: getattr(row, part) for part in REPORT_PARTS},
        entries=entries,
        findings=findings,
        missing=rules.missing_required(template, values),
        resumed=resumed,
    )


def _reason_now(item: rules.Item, value: str | None) -> str:
    """The reason in the current language (stored reasons are in the language of whoever typed)."""
    checked = rules.verdict_of(item, value)
    return checked.reason if checked is not None else ""


def list_inspections(
    board: Board,
    site: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[InspectionSummary]:
    """Inspections, newest first, optionally of one site, status or kind."""
    query = Inspection.select(Inspection, Site.code).join(Site)
    if site is not None:
        query = query.where(Inspection.site == get_site(site).id)
    if status is not None:
        _check_choice(status, rules.STATUSES, _("status"))
        query = query.where(Inspection.status == status)
    if kind is not None:
        _check_choice(kind, rules.KINDS, _("kind"))
        query = query.where(Inspection.kind == kind)
    query = query.order_by(Inspection.started_at.desc(), Inspection.id.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(query)
    counts: dict[int, int] = {}
    ids = [r.id for r in rows]
    if ids:
        for inspection_id, in InspectionFinding.select(InspectionFinding.inspection).where(
            InspectionFinding.inspection.in_(ids)
        ).tuples():
            counts[inspection_id] = counts.get(inspection_id, 0) + 1
    return [
        InspectionSummary(
            id=r.id, site=r.site.code, kind=r.kind, status=r.status,
            period=rules.parse_period(r.period), started_at=r.started_at,
            started_by=r.started_by, submitted_at=r.submitted_at, engineers=r.engineers,
            findings=counts.get(r.id, 0),
        )
        for r in rows
    ]


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise BadInput(
            _("{what} must be one of {allowed}, not {value!r}").format(
                what=what, allowed=", ".join(allowed), value=value
            )
        )


# ---------------------------------------------------------------- writing


def _event(
    board: Board, at: datetime, kind: str, details: dict[str, Any], ticket: int | None = None
) -> Event:
    return board.record(kind, details, ticket, at)


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
    _check_choice(kind, rules.KINDS, _("kind"))
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
        settings = _settings_row(row_site)
        if chosen is not None:
            base = chosen
        elif kind == "monthly":
            base = _site_template(settings)
        else:
            base = builtin_template(DEFAULT_TEMPLATES[kind])
        ranges = settings.ranges_dict if settings else {}
        numbers = {i.key for i in base.items if i.type == "number"}
        try:
            used = base.with_ranges({k: v for k, v in ranges.items() if k in numbers})
        except rules.TemplateError as error:
            raise BadInput(str(error)) from None
        today = _local_day(board, at)
        if kind == "monthly":
            day = settings.day_of_month if settings else rules.DEFAULT_DAY_OF_MONTH
            done = _done_periods([row_site.id]).get(row_site.id, set())
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
        _event(board, at, "inspection_started", {
            "inspection": row.id, "site": row_site.code, "kind": kind,
            "period": rules.period_text(period), "template": used.key,
        })
        return int(row.id), False

    inspection_id, resumed = run_write(write)
    return _view(_get(inspection_id), resumed=resumed)


def _claim_draft(inspection_id: int) -> Inspection:
    """Lock the draft for this write (bumping its version); BadInput once it is submitted."""
    row = _get(inspection_id)
    if row.status != "draft":
        raise BadInput(_submitted_message(row))
    changed = (
        Inspection.update(version=Inspection.version + 1)
        .where((Inspection.id == inspection_id) & (Inspection.status == "draft"))
        .execute()
    )
    if changed != 1:
        raise BadInput(_submitted_message(_get(inspection_id)))
    return _get(inspection_id)


def _submitted_message(row: Inspection) -> str:
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
    row = _get(inspection_id)
    if row.status != "draft":
        raise BadInput(_submitted_message(row))
    template = _template_of(row)
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
        _claim_draft(inspection_id)
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
        _event(board, at, "inspection_value", details)

    run_write(write)
    return _view(_get(inspection_id)).entry(key)


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
        row = _claim_draft(inspection_id)
        template = _template_of(row)
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
            _event(board, at, "inspection_finding", {
                "inspection": inspection_id, "key": finding.item.key, "value": finding.value,
                "range": finding.item.range_text(), "reason": finding.reason,
            }, ticket=ticket_id)
            opened.append(ticket_id)
        _event(board, at, "inspection_submitted", {
            "inspection": inspection_id, "site": site.code, "kind": row.kind,
            "period": row.period, "engineers": engineers, "customer_rep": customer,
            "findings": [f.item.key for f in found], "tickets": opened,
        })
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
