"""Roles: viewer reads, engineer triages, manager also keeps the calendar and the roster."""

from __future__ import annotations

from datetime import date

import pytest

from dutyboard.service import calendar, team, tickets
from dutyboard.service.access import access_of
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Forbidden
from dutyboard.store.models import Event, Ticket


def test_an_empty_roster_lets_everyone_act(board: Board) -> None:
    assert access_of("anyone") == "manager"
    tickets.open_ticket(board, level=3, title="first")


def test_roles_are_enforced_and_say_which_role_is_needed(board: Board) -> None:
    board.actor = "wangqiang"
    team.add_person(board, "wangqiang", "王强", "local_manager", "manager")
    team.add_person(board, "zhangwei", "张伟", "dedicated_engineer", "engineer")
    team.add_person(board, "guest", "值班室", "dedicated_engineer", "viewer")
    board.actor = "zhangwei"
    tid = tickets.open_ticket(board, level=3, title="fan")
    tickets.acknowledge(board, tid)
    with pytest.raises(Forbidden) as refused:
        calendar.set_day(board, date(2027, 2, 6), True)
    assert "manager" in refused.value.message
    for stranger in ("guest", "nobody"):
        board.actor = stranger
        events = Event.select().count()
        with pytest.raises(Forbidden) as refused:
            tickets.add_note(board, tid, "hello")
        assert "engineer" in refused.value.message
        with pytest.raises(Forbidden):
            tickets.open_ticket(board, level=1, title="x")
        assert Event.select().count() == events
    assert tickets.view(board, tid).status == "acknowledged"  # reading is for everyone
    board.actor = "wangqiang"
    calendar.set_day(board, date(2027, 2, 6), True)
    team.set_person(board, "zhangwei", active=False)
    board.actor = "zhangwei"
    with pytest.raises(Forbidden):
        tickets.restore(board, tid)
    assert Ticket.get_by_id(tid).status == "acknowledged"


def test_roster_input_is_checked(board: Board) -> None:
    board.actor = "x"
    with pytest.raises(BadInput):
        team.add_person(board, "x", "X", "wizard")
    with pytest.raises(BadInput):
        team.add_person(board, "x", "X", "dedicated_engineer", "root")
    team.add_person(board, "x", "X", "dedicated_engineer", "manager")
    with pytest.raises(BadInput):
        team.add_person(board, "x", "X2", "dedicated_engineer")
    with pytest.raises(BadInput):
        team.set_person(board, "nobody", access="viewer")
