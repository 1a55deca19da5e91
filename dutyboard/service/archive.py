"""The customer archive (用户维护档案): sites, assets and the customer's people.

Managers add and change them; everyone reads. Nothing with history is deleted: a site or an
asset is retired (hidden from pickers, kept in reports and history). Every change is one
transaction that leaves an audit-trail event, so every dashboard sees it at once.

Tickets name sites and assets by code; once the archive has any, `place_for_ticket` holds them
to known ones (an asset implies its site) and names the closest codes when one is mistyped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from peewee import fn

from dutyboard.domain import archive as rules
from dutyboard.domain.instants import iso
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, NotFound
from dutyboard.store.archive_models import Contact, Part, PartUse
from dutyboard.store.db import run_write
from dutyboard.store.inspection_models import Inspection, InspectionFinding, InspectionValue
from dutyboard.store.models import Asset, Site, Ticket

#: Marks an optional argument that was not given (None may mean "clear it").
UNSET: Any = object()


def checked(make: Any, *args: Any) -> Any:
    """Run one of the archive's rules; its refusal becomes bad input (exit status 2)."""
    try:
        return make(*args)
    except rules.ArchiveError as error:
        raise BadInput(str(error)) from None


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class SiteView:
    """A site as listed: code, name, address, whether it is retired, how many assets it has."""

    code: str
    name: str
    address: str
    retired: bool
    assets: int = 0
    contacts: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "address": self.address,
            "retired": self.retired,
            "assets": self.assets,
            "contacts": self.contacts,
        }


@dataclass(frozen=True)
class AssetView:
    """An asset as listed, with the end of its free service (from its or the board's acceptance)."""

    code: str
    site: str
    name: str
    kind: str
    model: str
    serial: str
    accepted: date | None
    retired: bool
    free_service_until: date | None
    in_free_service: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "site": self.site,
            "name": self.name,
            "kind": self.kind,
            "model": self.model,
            "serial": self.serial,
            "accepted": self.accepted.isoformat() if self.accepted else None,
            "retired": self.retired,
            "free_service_until": (
                self.free_service_until.isoformat() if self.free_service_until else None
            ),
            "in_free_service": self.in_free_service,
        }


@dataclass(frozen=True)
class ContactView:
    """One of the customer's people; `reporter`: one of the agreed people who report faults."""

    site: str
    name: str
    phone: str
    email: str
    title: str
    reporter: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "title": self.title,
            "reporter": self.reporter,
        }


@dataclass(frozen=True)
class PartView:
    """A spare part and its stock; low when qty < min."""

    code: str
    name: str
    kind: str
    qty: int
    min: int
    store: str
    retired: bool

    @property
    def low(self) -> bool:
        return not self.retired and rules.is_low(self.qty, self.min)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "qty": self.qty,
            "min": self.min,
            "store": self.store,
            "retired": self.retired,
            "low": self.low,
        }


def part_view(row: Part) -> PartView:
    return PartView(
        row.code, row.name, row.kind, int(row.qty), int(row.min_qty), row.store, bool(row.retired)
    )


@dataclass(frozen=True)
class SiteDetail:
    """`site show`: the site, its assets, its people and the spare parts for its kinds of device."""

    site: SiteView
    assets: list[AssetView]
    contacts: list[ContactView]
    parts: list[PartView]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.site.to_json(),
            "assets": [a.to_json() for a in self.assets],
            "contacts": [c.to_json() for c in self.contacts],
            "parts": [p.to_json() for p in self.parts],
        }


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an asset's maintenance record: a ticket, an inspection or a part used."""

    at: datetime
    type: str  # ticket | inspection | part
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self, zone: Any) -> dict[str, Any]:
        data = {k: (iso(v, zone) if isinstance(v, datetime) else v) for k, v in self.data.items()}
        return {"at": iso(self.at, zone), "type": self.type, **data}


@dataclass(frozen=True)
class AssetDetail:
    """`asset show`: the asset and its maintenance record, newest first."""

    asset: AssetView
    site_name: str
    history: list[HistoryEntry]

    def of_type(self, kind: str) -> list[HistoryEntry]:
        return [h for h in self.history if h.type == kind]

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            **self.asset.to_json(),
            "site_name": self.site_name,
            "history": [h.to_json(zone) for h in self.history],
            "tickets": [h.to_json(zone) for h in self.of_type("ticket")],
            "inspections": [h.to_json(zone) for h in self.of_type("inspection")],
            "parts_used": [h.to_json(zone) for h in self.of_type("part")],
        }


# ---------------------------------------------------------------- finding rows


def _unknown(what: str, code: str, known: list[str]) -> BadInput:
    near = rules.closest(code, known)
    if near:
        return NotFound(
            _("Unknown {what} {code!r}; the closest known: {near}").format(
                what=what, code=code, near=", ".join(near)
            )
        )
    if known:
        return NotFound(
            _("Unknown {what} {code!r}; none of the {n} known is close").format(
                what=what, code=code, n=len(known)
            )
        )
    return NotFound(
        _("Unknown {what} {code!r}: the archive has none yet").format(what=what, code=code)
    )


def _pairs(query: Any) -> Iterable[tuple[Any, Any]]:
    """The rows of a two-column query as plain pairs."""
    return cast(Iterable[tuple[Any, Any]], query.tuples())


def site_row(code: str) -> Site:
    """The site with that code; bad input naming the closest codes otherwise."""
    code = (code or "").strip()
    row = Site.get_or_none(Site.code == code) if code else None
    if row is None:
        known = [s.code for s in Site.select(Site.code).where(~Site.retired).order_by(Site.code)]
        raise _unknown(_("site"), code, known)
    return row


def asset_row(code: str) -> Asset:
    """The asset with that code (its site read with it); bad input naming the closest otherwise."""
    code = (code or "").strip()
    row: Asset | None = None
    if code:
        row = Asset.select(Asset, Site).join(Site).where(Asset.code == code).first()
    if row is None:
        known = [
            a.code for a in Asset.select(Asset.code).where(~Asset.retired).order_by(Asset.code)
        ]
        raise _unknown(_("asset"), code, known)
    return row


def part_row(code: str) -> Part:
    """The spare part with that code; bad input naming the closest codes otherwise."""
    code = (code or "").strip()
    row = Part.get_or_none(Part.code == code) if code else None
    if row is None:
        known = [p.code for p in Part.select(Part.code).where(~Part.retired).order_by(Part.code)]
        raise _unknown(_("part"), code, known)
    return row


def contact_row(site: Site, name: str) -> Contact:
    name = (name or "").strip()
    row = Contact.get_or_none((Contact.site == site.id) & (Contact.name == name))
    if row is None:
        known = [c.name for c in Contact.select(Contact.name).where(Contact.site == site.id)]
        raise _unknown(_("contact at {site}").format(site=site.code), name, known)
    return row


# ---------------------------------------------------------------- free service


def free_service_end(board: Board, accepted: date | None) -> date | None:
    """The first day outside the free service of an asset accepted then (else the board's date)."""
    start = accepted or board.config.accepted_date
    return rules.free_service_end(start) if start is not None else None


def asset_view(board: Board, row: Asset, site_code: str, on: date | None = None) -> AssetView:
    end = free_service_end(board, row.accepted)
    today = on or board.now().astimezone(board.zone).date()
    return AssetView(
        row.code,
        site_code,
        row.name,
        row.kind,
        row.model,
        row.serial,
        row.accepted,
        bool(row.retired),
        date.fromordinal(end.toordinal() - 1) if end else None,
        end is None or today < end,
    )


# ---------------------------------------------------------------- sites


def _site_view(row: Site, assets: int = 0, contacts: int = 0) -> SiteView:
    return SiteView(row.code, row.name, row.address, bool(row.retired), assets, contacts)


def add_site(
    board: Board, code: str, name: str, address: str = "", at: datetime | None = None
) -> SiteView:
    """Register a site (a machine room, a station)."""
    code = checked(rules.check_code, code, _("site"))
    name = checked(rules.check_text, name, _("The name"), True)
    address = checked(rules.check_text, address, _("The address"))

    def write() -> SiteView:
        require(board, "manager")
        if Site.get_or_none(Site.code == code) is not None:
            raise BadInput(_("There is already a site {code}").format(code=code))
        row = Site.create(code=code, name=name, address=address)
        board.record("site_added", {"code": code, "name": name, "address": address}, at=at)
        return _site_view(row)

    return run_write(write)


def set_site(
    board: Board,
    code: str,
    *,
    name: str | None = None,
    address: str | None = None,
    retired: bool | None = None,
    at: datetime | None = None,
) -> SiteView:
    """Change a site's name or address, or retire it (once its assets are retired)."""
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = checked(rules.check_text, name, _("The name"), True)
    if address is not None:
        changes["address"] = checked(rules.check_text, address, _("The address"))
    if retired is not None:
        changes["retired"] = retired

    def write() -> SiteView:
        require(board, "manager")
        row = site_row(code)
        if retired:
            in_service = Asset.select().where((Asset.site == row.id) & ~Asset.retired).count()
            if in_service:
                raise BadInput(
                    _("Site {code} still has {n} assets in service; retire them first").format(
                        code=row.code, n=in_service
                    )
                )
        if changes:
            Site.update(**changes).where(Site.id == row.id).execute()
        board.record("site_changed", {"code": row.code, **changes}, at=at)
        return _site_view(Site.get_by_id(row.id))

    return run_write(write)


def list_sites(board: Board) -> list[SiteView]:
    """Every site by code, retired ones too (marked), with their numbers of assets and people."""
    in_service = (
        Asset.select(Asset.site, fn.COUNT(Asset.id)).where(~Asset.retired).group_by(Asset.site)
    )
    assets: dict[int, int] = dict(_pairs(in_service))
    people = Contact.select(Contact.site, fn.COUNT(Contact.id)).group_by(Contact.site)
    contacts: dict[int, int] = dict(_pairs(people))
    return [
        _site_view(row, int(assets.get(row.id, 0)), int(contacts.get(row.id, 0)))
        for row in Site.select().order_by(Site.code)
    ]


def show_site(board: Board, code: str) -> SiteDetail:
    """A site with its assets, its people and the spare parts for the kinds of device it has."""
    row = site_row(code)
    asset_rows = list(Asset.select().where(Asset.site == row.id).order_by(Asset.code))
    assets = [asset_view(board, a, row.code) for a in asset_rows]
    contacts = [
        _contact_view(c, row.code)
        for c in Contact.select().where(Contact.site == row.id).order_by(Contact.name)
    ]
    return SiteDetail(
        _site_view(row, sum(1 for a in assets if not a.retired), len(contacts)),
        assets,
        contacts,
        parts_for_kinds({a.kind for a in assets if not a.retired}),
    )


def parts_for_kinds(kinds: set[str]) -> list[PartView]:
    """The spare parts (not retired) that fit these kinds of device, by code."""
    if not kinds:
        return []
    query = Part.select().where(Part.kind.in_(sorted(kinds)) & ~Part.retired)
    return [part_view(p) for p in query.order_by(Part.code)]


# ---------------------------------------------------------------- assets


def _asset_fields(name: Any, kind: Any, model: Any, serial: Any, accepted: Any) -> dict[str, Any]:
    """The checked values of an asset's fields that were given (UNSET ones are left out)."""
    out: dict[str, Any] = {}
    if name is not UNSET:
        out["name"] = checked(rules.check_text, name, _("The name"), True)
    if kind is not UNSET:
        out["kind"] = checked(rules.check_kind, kind)
    if model is not UNSET:
        out["model"] = checked(rules.check_text, model, _("The model"))
    if serial is not UNSET:
        out["serial"] = checked(rules.check_text, serial, _("The serial number"))
    if accepted is not UNSET:
        out["accepted"] = (
            accepted
            if isinstance(accepted, date) or accepted is None
            else checked(rules.parse_date, accepted, _("The acceptance date"))
        )
    return out


def _site_in_service(code: str) -> Site:
    row = site_row(code)
    if row.retired:
        raise BadInput(_("Site {code} is retired").format(code=row.code))
    return row


def _event_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def add_asset(
    board: Board,
    code: str,
    site: str,
    name: str,
    kind: str,
    model: str = "",
    serial: str = "",
    accepted: date | str | None = None,
    at: datetime | None = None,
) -> AssetView:
    """Register something sold and maintained at a site."""
    code = checked(rules.check_code, code, _("asset"))
    values = _asset_fields(name, kind, model, serial, accepted)

    def write() -> AssetView:
        require(board, "manager")
        site_of = _site_in_service(site)
        if Asset.get_or_none(Asset.code == code) is not None:
            raise BadInput(_("There is already an asset {code}").format(code=code))
        row = Asset.create(code=code, site=site_of.id, **values)
        details = {"code": code, "site": site_of.code, **_event_values(values)}
        board.record("asset_added", details, at=at)
        return asset_view(board, row, site_of.code, _day(board, at))

    return run_write(write)


def set_asset(
    board: Board,
    code: str,
    *,
    site: Any = UNSET,
    name: Any = UNSET,
    kind: Any = UNSET,
    model: Any = UNSET,
    serial: Any = UNSET,
    accepted: Any = UNSET,
    retired: bool | None = None,
    at: datetime | None = None,
) -> AssetView:
    """Change an asset (move it to another site, correct it, retire it); UNSET leaves a field."""
    values = _asset_fields(name, kind, model, serial, accepted)
    if retired is not None:
        values["retired"] = retired

    def write() -> AssetView:
        require(board, "manager")
        row = asset_row(code)
        site_of = row.site
        if site is not UNSET and site is not None:
            site_of = _site_in_service(site)
            values["site"] = site_of.id
        if values:
            Asset.update(**values).where(Asset.id == row.id).execute()
        details = _event_values({k: v for k, v in values.items() if k != "site"})
        board.record("asset_changed", {"code": row.code, "site": site_of.code, **details}, at=at)
        return asset_view(board, Asset.get_by_id(row.id), site_of.code, _day(board, at))

    return run_write(write)


def _day(board: Board, at: datetime | None) -> date:
    """The day an instant falls on in the board's zone (default today)."""
    return (at or board.now()).astimezone(board.zone).date()


def list_assets(
    board: Board, site: str | None = None, at: datetime | None = None
) -> list[AssetView]:
    """Assets by code, all or those of one site, retired ones too (marked); free service as of
    `at` (default now)."""
    query = Asset.select(Asset, Site.code).join(Site).order_by(Asset.code)
    if site is not None:
        query = query.where(Site.id == site_row(site).id)
    day = _day(board, at)
    return [asset_view(board, a, a.site.code, day) for a in query]


def show_asset(board: Board, code: str, at: datetime | None = None) -> AssetDetail:
    """The asset and its maintenance record: tickets, inspections that named it, parts used;
    its free service as of `at` (default now)."""
    row = asset_row(code)
    site = row.site
    history = _ticket_history(row.code) + _part_history(row.code) + _inspection_history(row, site)
    history.sort(key=lambda h: (h.at, h.type, h.data.get("id", 0)), reverse=True)
    return AssetDetail(asset_view(board, row, site.code, _day(board, at)), site.name, history)


def _ticket_history(code: str) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            t.reported_at,
            "ticket",
            {
                "id": t.id,
                "title": t.title,
                "level": t.level,
                "status": t.status,
                "restored_at": t.restored_at,
                "closed_at": t.closed_at,
                "billable": t.billable,
            },
        )
        for t in Ticket.select().where(Ticket.asset == code).order_by(Ticket.id)
    ]


def _part_history(code: str) -> list[HistoryEntry]:
    query = (
        PartUse.select(PartUse, Part.code, Part.name, Ticket.id)
        .join(Part)
        .switch(PartUse)
        .join(Ticket)
        .where(Ticket.asset == code)
        .order_by(PartUse.id)
    )
    return [
        HistoryEntry(
            u.at,
            "part",
            {
                "id": u.id,
                "ticket": u.ticket.id,
                "part": u.part.code,
                "name": u.part.name,
                "qty": u.qty,
                "by": u.by,
            },
        )
        for u in query
    ]


def _inspection_history(asset: Asset, site: Site) -> list[HistoryEntry]:
    """Inspections of the asset's site whose values, notes or record name the asset's code,
    or whose findings opened a ticket on it."""
    named: dict[int, set[str]] = {}
    values = (
        InspectionValue.select(InspectionValue.inspection, InspectionValue.key)
        .join(Inspection)
        .where(
            (Inspection.site == site.id)
            & (
                InspectionValue.note.contains(asset.code)
                | InspectionValue.value.contains(asset.code)
            )
        )
    )
    for inspection_id, key in _pairs(values):
        named.setdefault(inspection_id, set()).add(key)
    findings = (
        InspectionFinding.select(InspectionFinding.inspection, InspectionFinding.key)
        .join(Ticket)
        .where(Ticket.asset == asset.code)
    )
    for inspection_id, key in _pairs(findings):
        named.setdefault(inspection_id, set()).add(key)
    record = (
        Inspection.cause.contains(asset.code)
        | Inspection.response.contains(asset.code)
        | Inspection.process.contains(asset.code)
        | Inspection.result.contains(asset.code)
        | Inspection.precautions.contains(asset.code)
    )
    for row in Inspection.select(Inspection.id).where((Inspection.site == site.id) & record):
        named.setdefault(row.id, set())
    if not named:
        return []
    return [
        HistoryEntry(
            i.submitted_at or i.started_at,
            "inspection",
            {
                "id": i.id,
                "kind": i.kind,
                "period": i.period,
                "status": i.status,
                "items": sorted(named[i.id]),
            },
        )
        for i in Inspection.select().where(Inspection.id.in_(sorted(named)))
    ]


# ---------------------------------------------------------------- contacts


def _contact_view(row: Contact, site_code: str) -> ContactView:
    return ContactView(site_code, row.name, row.phone, row.email, row.title, bool(row.reporter))


def _contact_fields(phone: Any, email: Any, title: Any, reporter: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if phone is not UNSET:
        out["phone"] = checked(rules.check_phone, phone)
    if email is not UNSET:
        out["email"] = checked(rules.check_email, email)
    if title is not UNSET:
        out["title"] = checked(rules.check_text, title, _("The title"))
    if reporter is not UNSET:
        out["reporter"] = bool(reporter)
    return out


def _reachable(phone: str, email: str, name: str) -> None:
    if not phone and not email:
        raise BadInput(
            _("Contact {name} needs a phone number or an e-mail address").format(name=name)
        )


def add_contact(
    board: Board,
    name: str,
    site: str,
    phone: str = "",
    email: str = "",
    title: str = "",
    reporter: bool = False,
    at: datetime | None = None,
) -> ContactView:
    """One of the customer's people at a site; reachable by phone or e-mail."""
    name = checked(rules.check_text, name, _("The name"), True)
    values = _contact_fields(phone, email, title, reporter)
    _reachable(values["phone"], values["email"], name)

    def write() -> ContactView:
        require(board, "manager")
        site_of = _site_in_service(site)
        if Contact.get_or_none((Contact.site == site_of.id) & (Contact.name == name)) is not None:
            raise BadInput(
                _("{name} is already a contact at {site}").format(name=name, site=site_of.code)
            )
        row = Contact.create(site=site_of.id, name=name, **values)
        board.record("contact_added", {"site": site_of.code, "name": name, **values}, at=at)
        return _contact_view(row, site_of.code)

    return run_write(write)


def set_contact(
    board: Board,
    name: str,
    site: str,
    *,
    phone: Any = UNSET,
    email: Any = UNSET,
    title: Any = UNSET,
    reporter: Any = UNSET,
    at: datetime | None = None,
) -> ContactView:
    """Change a contact, known by site and name; they must stay reachable."""
    values = _contact_fields(phone, email, title, reporter)

    def write() -> ContactView:
        require(board, "manager")
        site_of = site_row(site)
        row = contact_row(site_of, name)
        _reachable(values.get("phone", row.phone), values.get("email", row.email), row.name)
        if values:
            Contact.update(**values).where(Contact.id == row.id).execute()
        board.record("contact_changed", {"site": site_of.code, "name": row.name, **values}, at=at)
        return _contact_view(Contact.get_by_id(row.id), site_of.code)

    return run_write(write)


def list_contacts(board: Board, site: str | None = None) -> list[ContactView]:
    """The customer's people, by site and name (or of one site)."""
    query = Contact.select(Contact, Site.code).join(Site).order_by(Site.code, Contact.name)
    if site is not None:
        query = query.where(Site.id == site_row(site).id)
    return [_contact_view(c, c.site.code) for c in query]


def reporters(board: Board, site: str) -> list[ContactView]:
    """A site's agreed reporters: the people whose calls the plan covers."""
    return [c for c in list_contacts(board, site) if c.reporter]


# ---------------------------------------------------------------- tickets' places and callers


@dataclass(frozen=True)
class Place:
    """Where a ticket is: the site and asset codes as stored (None when not given)."""

    site: str | None
    asset: str | None
    asset_accepted: date | None = None
    known_site: bool = False


def place_for_ticket(site: str | None, asset: str | None) -> Place:
    """Hold a new ticket's site and asset to the archive once it has any.

    An asset implies its site; a site given with it must be the asset's. Free text is kept
    while the archive has no sites (or no assets): a board may be used before it is filled.
    """
    site = (site or "").strip() or None
    asset = (asset or "").strip() or None
    asset_site: Site | None = None
    accepted: date | None = None
    if asset is not None and Asset.select().exists():
        row = asset_row(asset)
        if row.retired:
            raise BadInput(_("Asset {code} is retired").format(code=row.code))
        asset_site = row.site
        asset, accepted = row.code, row.accepted
    if site is not None and Site.select().exists():
        row_site = site_row(site)
        if row_site.retired:
            raise BadInput(_("Site {code} is retired").format(code=row_site.code))
        if asset_site is not None and asset_site.id != row_site.id:
            raise BadInput(
                _("Asset {asset} is at site {site}, not {given}").format(
                    asset=asset, site=asset_site.code, given=row_site.code
                )
            )
        site = row_site.code
    if asset_site is not None:
        site = asset_site.code
    known = site is not None and Site.get_or_none(Site.code == site) is not None
    return Place(site, asset, accepted, known)


def caller_is_reporter(site: str | None, caller: str | None) -> bool | None:
    """Whether the caller is one of the site's agreed reporters; None when it cannot be told
    (no caller, or a site the archive does not know)."""
    caller = (caller or "").strip()
    if not caller or site is None:
        return None
    row = Site.get_or_none(Site.code == site)
    if row is None:
        return None
    return (
        Contact.select()
        .where((Contact.site == row.id) & (Contact.name == caller) & (Contact.reporter == True))  # noqa: E712
        .exists()
    )


def out_of_period(board: Board, place: Place, at: datetime) -> bool:
    """Whether a ticket opened at `at` on this place's asset falls outside the free service."""
    if place.asset is None:
        return False
    end = free_service_end(board, place.asset_accepted)
    return end is not None and at.astimezone(board.zone).date() >= end


# ---------------------------------------------------------------- parts on a ticket


@dataclass(frozen=True)
class PartUsed:
    """A part taken from stock for a ticket."""

    part: str
    name: str
    qty: int
    at: datetime
    by: str

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "part": self.part,
            "name": self.name,
            "qty": self.qty,
            "at": iso(self.at, zone),
            "by": self.by,
        }


def parts_used(ticket_id: int) -> list[PartUsed]:
    """The parts a ticket used, oldest first."""
    query = (
        PartUse.select(PartUse, Part.code, Part.name)
        .join(Part)
        .where(PartUse.ticket == ticket_id)
        .order_by(PartUse.id)
    )
    return [PartUsed(u.part.code, u.part.name, int(u.qty), u.at, u.by) for u in query]
