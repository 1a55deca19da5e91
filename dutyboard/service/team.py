"""Keeping the roster: who is on the team, their role in the escalation table and their access."""

from __future__ import annotations

from typing import Any

from dutyboard.domain.policy import ACCESS_LEVELS, ROLES
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, NotFound
from dutyboard.store.db import run_write
from dutyboard.store.models import Engineer


def _check(role: str | None, access: str | None) -> None:
    if role is not None and role not in ROLES:
        raise BadInput(
            _("Role must be one of {choices}, not {value!r}").format(
                choices=", ".join(ROLES), value=role
            )
        )
    if access is not None and access not in ACCESS_LEVELS:
        raise BadInput(
            _("Access must be one of {choices}, not {value!r}").format(
                choices=", ".join(ACCESS_LEVELS), value=access
            )
        )


def add_person(
    board: Board,
    login: str,
    name: str,
    role: str,
    access: str = "engineer",
    phone: str = "",
    email: str = "",
) -> None:
    """Put someone on the roster (a manager's action; anyone may add the first person)."""
    login, name = login.strip(), name.strip()
    if not login or not name:
        raise BadInput(_("A person needs a login and a name"))
    _check(role, access)

    def write() -> None:
        require(board, "manager")
        if Engineer.get_or_none(Engineer.login == login) is not None:
            raise BadInput(_("{login} is already on the roster").format(login=login))
        Engineer.create(login=login, name=name, role=role, access=access, phone=phone, email=email)
        board.record("roster_add", {"login": login, "name": name, "role": role, "access": access})

    run_write(write)


def set_person(board: Board, login: str, **changes: Any) -> None:
    """Change someone's role, access, phone, e-mail or whether they are active."""
    allowed = {"name", "role", "access", "phone", "email", "active"}
    unknown = set(changes) - allowed
    if unknown:
        raise BadInput(_("Cannot change {fields}").format(fields=", ".join(sorted(unknown))))
    changes = {k: v for k, v in changes.items() if v is not None}
    _check(changes.get("role"), changes.get("access"))

    def write() -> None:
        require(board, "manager")
        person = Engineer.get_or_none(Engineer.login == login)
        if person is None:
            raise NotFound(_("{login} is not on the roster").format(login=login))
        if changes:
            Engineer.update(**changes).where(Engineer.id == person.id).execute()
        board.record("roster_set", {"login": login, **changes})

    run_write(write)


def people(board: Board) -> list[Engineer]:
    return list(Engineer.select().order_by(Engineer.id))
