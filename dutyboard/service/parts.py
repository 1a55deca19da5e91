"""The spare-parts store (备件) and parts on tickets: stock, counts, the parts clock, backup units.

Managers add parts and change what they are; engineers use them on tickets and count the stock
at an inspection. A stock never goes below zero. When a change takes a part below its minimum
(low stock), a `part_low` event is recorded by `system` in the same transaction and every
registered low-stock hook is called there too, so a notification can be written atomically
with its cause.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from dutyboard.domain import archive as rules
from dutyboard.domain import ticket as ticket_rules
from dutyboard.domain.notices import SYSTEM
from dutyboard.i18n import _
from dutyboard.service import tickets
from dutyboard.service.access import require
from dutyboard.service.archive import UNSET, PartView, checked, part_row, part_view
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.store.archive_models import Part, PartUse
from dutyboard.store.db import run_write
from dutyboard.store.models import Event

LowStockHook = Callable[[Board, Event, PartView], None]
#: Called inside the transaction that takes a part below its minimum, with the part_low event.
_LOW_STOCK_HOOKS: list[LowStockHook] = []


def on_low_stock(hook: LowStockHook) -> LowStockHook:
    """Register a hook called, in the same transaction, each time a part drops into low stock."""
    if hook not in _LOW_STOCK_HOOKS:
        _LOW_STOCK_HOOKS.append(hook)
    return hook


def remove_low_stock_hook(hook: LowStockHook) -> None:
    """Unregister a hook (tests, a service shutting down)."""
    if hook in _LOW_STOCK_HOOKS:
        _LOW_STOCK_HOOKS.remove(hook)


def stock_changed(
    board: Board, part_id: int, before: tuple[int, int] | None, at: datetime | None = None
) -> PartView | None:
    """After a write changed a part's qty or min (before: the old pair, None for a new part):
    record and announce a drop into low stock. Call it inside the write's transaction.

    Returns the part when it just dropped below its minimum, else None.
    """
    row = Part.get_by_id(part_id)
    view = part_view(row)
    if view.retired or not rules.dropped_low(before, (view.qty, view.min)):
        return None
    event = board.record(
        "part_low",
        {"code": view.code, "qty": view.qty, "min": view.min, "store": view.store},
        at=at,
        by=SYSTEM,
    )
    for hook in list(_LOW_STOCK_HOOKS):
        hook(board, event, view)
    return view


# ---------------------------------------------------------------- the store


def _part_fields(name: Any, kind: Any, minimum: Any, store: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if name is not UNSET:
        out["name"] = checked(rules.check_text, name, _("The name"), True)
    if kind is not UNSET:
        out["kind"] = checked(rules.check_kind, kind)
    if minimum is not UNSET:
        out["min_qty"] = checked(rules.check_quantity, minimum, _("The minimum"))
    if store is not UNSET:
        out["store"] = checked(rules.check_store, store)
    return out


def add_part(
    board: Board,
    code: str,
    name: str,
    kind: str,
    qty: int | str = 0,
    minimum: int | str = 0,
    store: str = "local",
    at: datetime | None = None,
) -> PartView:
    """A new spare part in the store (a manager's action)."""
    code = checked(rules.check_code, code, _("part"))
    values = _part_fields(name, kind, minimum, store)
    values["qty"] = checked(rules.check_quantity, qty, _("The quantity"))

    def write() -> PartView:
        require(board, "manager")
        if Part.get_or_none(Part.code == code) is not None:
            raise BadInput(_("There is already a part {code}").format(code=code))
        row = Part.create(code=code, **values)
        board.record("part_added", {"code": code, **values}, at=at)
        stock_changed(board, row.id, None, at)
        return part_view(Part.get_by_id(row.id))

    return run_write(write)


def set_part(
    board: Board,
    code: str,
    *,
    qty: int | str | None = None,
    reason: str | None = None,
    name: Any = UNSET,
    kind: Any = UNSET,
    minimum: Any = UNSET,
    store: Any = UNSET,
    retired: bool | None = None,
    at: datetime | None = None,
) -> PartView:
    """Count the stock (`qty` with a reason: an engineer's job at an inspection), or change what
    the part is, its minimum, its store or retire it (a manager's)."""
    values = _part_fields(name, kind, minimum, store)
    if retired is not None:
        values["retired"] = retired
    counted = None
    if qty is not None:
        counted = checked(rules.check_quantity, qty, _("The quantity"))
        reason = (reason or "").strip()
        if not reason:
            raise BadInput(
                _("A stock count needs a reason (--reason), e.g. the inspection it was counted at")
            )
    elif reason:
        raise BadInput(_("A reason goes with a stock count (--qty)"))
    if counted is None and not values:
        raise BadInput(_("Nothing to change: give --qty with --reason, or what to change"))

    def write() -> PartView:
        require(board, "manager" if values else "engineer")
        row = part_row(code)
        before = (int(row.qty), int(row.min_qty))
        if values:
            Part.update(**values).where(Part.id == row.id).execute()
            board.record("part_changed", {"code": row.code, **values}, at=at)
        if counted is not None:
            Part.update(qty=counted).where(Part.id == row.id).execute()
            board.record(
                "part_counted",
                {"code": row.code, "from": before[0], "to": counted, "reason": reason},
                at=at,
            )
        stock_changed(board, row.id, before, at)
        return part_view(Part.get_by_id(row.id))

    return run_write(write)


def count_stock(
    board: Board, code: str, qty: int | str, reason: str, at: datetime | None = None
) -> PartView:
    """The stock counted on the shelf (the inspection's spare-parts item)."""
    return set_part(board, code, qty=qty, reason=reason, at=at)


def list_parts(board: Board, low: bool = False) -> list[PartView]:
    """The store by code (retired parts too, marked); only the low ones with `low`."""
    views = [part_view(p) for p in Part.select().order_by(Part.code)]
    return [v for v in views if v.low] if low else views


def low_stock(board: Board) -> list[PartView]:
    """Parts below their minimum (the board's header shows how many)."""
    return list_parts(board, low=True)


# ---------------------------------------------------------------- parts on tickets


def _known_part(code: str) -> str:
    """A part code as waited for: held to the store once the store has any parts."""
    code = (code or "").strip()
    if not code:
        raise BadInput(_("Name the part (--part CODE)"))
    if Part.select().exists():
        row = part_row(code)
        if row.retired:
            raise BadInput(_("Part {code} is retired").format(code=row.code))
        return str(row.code)
    return str(checked(rules.check_code, code, _("part")))


def wait_part(
    board: Board,
    ticket_id: int,
    code: str,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """The ticket waits for a replacement part: the parts clock runs 48 h from then."""
    note = note.strip()

    def make(state: ticket_rules.TicketState, when: datetime) -> ticket_rules.Fact:
        return ticket_rules.wait_part(state, when, _known_part(code), note)

    tickets.step(board, ticket_id, make, expected_version, at)


def use_part(
    board: Board,
    ticket_id: int,
    code: str,
    qty: int | str = 1,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> PartView:
    """Take parts from stock for the ticket; stops a running parts clock. The stock never goes
    below zero (bad input, nothing changed)."""
    count = checked(rules.check_quantity, qty, _("The quantity"))
    if count < 1:
        raise BadInput(_("The quantity must be 1 or more, not {qty}").format(qty=count))
    used: list[int] = []

    def make(state: ticket_rules.TicketState, when: datetime) -> ticket_rules.Fact:
        row = part_row(code)
        if row.retired:
            raise BadInput(_("Part {code} is retired").format(code=row.code))
        if row.qty < count:
            raise BadInput(
                _("Only {qty} of part {code} in stock; cannot take {n}").format(
                    qty=row.qty, code=row.code, n=count
                )
            )
        used[:] = [row.id]
        return ticket_rules.use_part(state, when, row.code, count)

    def take(tid: int, when: datetime) -> None:
        part_id = used[0]
        row = Part.get_by_id(part_id)
        before = (int(row.qty), int(row.min_qty))
        changed = (
            Part.update(qty=Part.qty - count)
            .where((Part.id == part_id) & (Part.qty >= count))
            .execute()
        )
        if changed != 1:
            raise BadInput(_("Part {code} ran out in the meantime").format(code=row.code))
        PartUse.create(ticket=tid, part=part_id, qty=count, at=when, by=board.actor)
        stock_changed(board, part_id, before, when)

    tickets.step(board, ticket_id, make, expected_version, at, take)
    return part_view(Part.get_by_id(used[0]))


def backup_unit(
    board: Board,
    ticket_id: int,
    source: str,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """A replacement unit brought in from the local store or shipped from Hangzhou."""
    store = checked(rules.check_store, source)
    note = note.strip()
    tickets.step(
        board, ticket_id, lambda s, when: ticket_rules.backup_unit(s, when, store, note),
        expected_version, at,
    )
