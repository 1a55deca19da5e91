"""Read helpers over the roster: who can be dispatched, who is called at a level, where things are.

The dashboard's forms and detail screen read these in thread workers; nothing here writes.
"""

from __future__ import annotations

from typing import NamedTuple

from dutyboard.domain.policy import CALL_TABLE
from dutyboard.i18n import _
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.store.models import Asset, Engineer, Site

#: Roster accounts that only look at the board: never dispatched, never called.
READ_ONLY_ACCESS = "viewer"


class Callee(NamedTuple):
    """One line of the escalation table filled from the roster.

    Name and phone are None when nobody holds the role.
    """

    role: str
    name: str | None
    phone: str | None


def _reachable() -> list[Engineer]:
    """Active people who work the plan (not read-only accounts), in roster order."""
    return list(
        Engineer.select()
        .where(Engineer.active == True, Engineer.access != READ_ONLY_ACCESS)  # noqa: E712 - SQL
        .order_by(Engineer.id)
    )


def engineers(board: Board) -> list[Engineer]:
    """The people a ticket can be dispatched to, in roster order."""
    return _reachable()


def people_to_call(board: Board, level: int) -> list[Callee]:
    """Who is called at a level (the plan's escalation table): technical roles, then management.

    A role nobody on the roster holds still appears, with no name, so the gap shows on screen.
    """
    if level not in CALL_TABLE:
        raise BadInput(_("Level must be 1, 2, 3 or 4, not {level}").format(level=level))
    technical, management = CALL_TABLE[level]
    by_role: dict[str, list[Engineer]] = {}
    for person in _reachable():
        by_role.setdefault(person.role, []).append(person)
    callees: list[Callee] = []
    for role in (*technical, *management):
        people = by_role.get(role, [])
        if not people:
            callees.append(Callee(role, None, None))
        callees.extend(Callee(role, p.name, p.phone) for p in people)
    return callees


def sites(board: Board) -> list[Site]:
    """The customer's sites, by code."""
    return list(Site.select().order_by(Site.code))


def assets(board: Board, site: str | None = None) -> list[Asset]:
    """Assets by code, all of them or those of one site (given by its code)."""
    query = Asset.select(Asset, Site).join(Site).order_by(Asset.code)
    if site is not None:
        query = query.where(Site.code == site)
    return list(query)
