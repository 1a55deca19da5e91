"""What an inspection looks like to a form, a report or `--json`: entries, findings, summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dutyboard.domain import inspection as rules
from dutyboard.domain.instants import iso
from dutyboard.domain.policy import REPORT_PARTS
from dutyboard.i18n import _
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, NotFound
from dutyboard.service.inspections.sites import get_site
from dutyboard.store.inspection_models import Inspection, InspectionFinding, InspectionValue
from dutyboard.store.models import Site, Ticket


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


def get_inspection(inspection_id: int) -> Inspection:
    """The inspection's row; NotFound when there is none."""
    row = Inspection.get_or_none(Inspection.id == inspection_id)
    if row is None:
        raise NotFound(_("There is no inspection {id}").format(id=inspection_id))
    return row


def template_of(row: Inspection) -> rules.Template:
    """The template as the inspection used it (its own copy, ranges in force then)."""
    try:
        return rules.Template.from_json(row.template_dict)
    except rules.TemplateError as error:  # only if the stored copy was damaged by hand
        raise BadInput(
            _("Inspection {id} has a damaged template copy: {error}").format(id=row.id, error=error)
        ) from None


def show(board: Board, inspection_id: int) -> InspectionView:
    """An inspection with its items, values, verdicts, findings (with tickets) and record."""
    row = get_inspection(inspection_id)
    return view_of(row)


def view_of(row: Inspection, resumed: bool = False) -> InspectionView:
    """The view of an inspection row; `resumed` says a start call found this draft."""
    template = template_of(row)
    stored = {
        v.key: v for v in InspectionValue.select().where(InspectionValue.inspection == row.id)
    }
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
        findings = [
            FindingView(f.item, f.value, f.reason) for f in rules.findings(template, values)
        ]
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
        check_choice(status, rules.STATUSES, _("status"))
        query = query.where(Inspection.status == status)
    if kind is not None:
        check_choice(kind, rules.KINDS, _("kind"))
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
        ).tuples().iterator():
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


def check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    """BadInput unless `value` is one of `allowed` (`what` names the option for the message)."""
    if value not in allowed:
        raise BadInput(
            _("{what} must be one of {allowed}, not {value!r}").format(
                what=what, allowed=", ".join(allowed), value=value
            )
        )
