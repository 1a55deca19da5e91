"""Snapshots of the ticket detail screen and of every triage form, at a fixed instant.

The story (triage_support) is made through the service at 2026-11-25 14:10 Asia/Shanghai with
the board's clock frozen there (DUTYBOARD_NOW), so every countdown and due is the same on each
run. Regenerate with `pytest tests/tui/test_triage_snapshots.py --snapshot-update` and look at
the pictures before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea
from triage_support import TriageApp, open_board, settle, show_ticket, story

from dutyboard.service.board import Board

Before = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture()
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    opened = open_board(tmp_path / "board.db", monkeypatch)
    yield opened
    opened.close()


@pytest.fixture()
def ids(board: Board) -> dict[str, int]:
    return story(board)


def on_ticket(ticket_id: int, *keys: str, then: Before | None = None) -> Before:
    """Open a ticket's detail, press keys there (each followed by its workers), then more."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await show_ticket(pilot, ticket_id)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)

    return run_before


def typing(*keys: str) -> Before:
    async def type_keys(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)

    return type_keys


def snap(board: Board, snap_compare: Any, size: tuple[int, int], run_before: Before) -> bool:
    return bool(snap_compare(TriageApp(board), terminal_size=size, run_before=run_before))


def test_detail_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """An escalated ticket in crisis mode: clocks (one breached), call list, escalations, trail."""
    assert snap(board, snap_compare, (120, 40), on_ticket(ids["escalated"]))


def test_detail_80x24(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """The same ticket at 80×24: one column that scrolls below the clocks."""
    assert snap(board, snap_compare, (80, 24), on_ticket(ids["escalated"]))


def test_detail_with_report_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """A restored development ticket with its five-part fault analysis report."""
    assert snap(board, snap_compare, (120, 40), on_ticket(ids["reported"]))


def test_form_intake_refused_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """Intake submitted with a level and a site but no title: the reasons stand beside the fields."""
    before = on_ticket(ids["open"], "N", then=typing("2", "tab", "tab", "tab", *"HQ-DC", "ctrl+s"))
    assert snap(board, snap_compare, (120, 40), before)


def test_form_dispatch_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """Dispatch narrowed by typing: two engineers match "li"."""
    assert snap(board, snap_compare, (120, 40), on_ticket(ids["acknowledged"], "d", "l", "i"))


def test_form_report_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """The fault analysis report's five parts, the first one filled in."""

    async def fill_cause(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query(TextArea)[0].insert("电源模块老化，输出电压不稳")

    assert snap(board, snap_compare, (120, 40), on_ticket(ids["restored"], "R", then=fill_cause))


def test_form_level_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """Re-classify: level 1 chosen, its meaning beside it; the reason still to write."""
    assert snap(board, snap_compare, (120, 40), on_ticket(ids["acknowledged"], "L", "1"))


def test_form_escalate_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """Escalate: the default reason and the people level 2 calls."""
    assert snap(board, snap_compare, (120, 40), on_ticket(ids["acknowledged"], "e"))


def test_form_note_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """A note on a ticket in crisis mode: it is the hourly update."""
    before = on_ticket(ids["escalated"], "n", then=typing(*"vendor engineer on the way"))
    assert snap(board, snap_compare, (120, 40), before)


def test_form_confirm_close_120x40(board: Board, ids: dict[str, int], snap_compare: Any) -> None:
    """Closing asks first."""
    assert snap(board, snap_compare, (120, 40), on_ticket(ids["reported"], "c"))
