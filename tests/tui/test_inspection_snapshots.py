"""Snapshots of the inspections screen, the checklist form and the submit form, at a fixed instant.

The story (inspection_support) is made through the service at 2026-11-25 14:00 Asia/Shanghai
with the board's clock frozen there (DUTYBOARD_NOW), so every date and mark is the same on each
run. Regenerate with `pytest tests/tui/test_inspection_snapshots.py --snapshot-update` and look
at the pictures before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from inspection_support import local, press, sites_story
from textual.pilot import Pilot

from dutyboard.service import inspections
from dutyboard.service.board import Board
from dutyboard.tui.app import DutyboardApp

Before = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture()
def story(board: Board) -> dict[str, Any]:
    """The four sites, and HQ-DC's draft started this morning with a few values and a note."""
    made = sites_story(board)
    draft = inspections.start(board, "HQ-DC", at=local("2026-11-25 09:30"))
    inspections.set_value(board, draft.id, "env.temperature", "29.5", note="冷通道 A 列 1.1 m 处",
                          at=local("2026-11-25 09:32"))
    inspections.set_value(board, draft.id, "env.humidity", "45", at=local("2026-11-25 09:33"))
    made["draft"] = draft.id
    return made


def keys(*pressed: str) -> Before:
    """Press keys one by one, each followed by its workers."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await press(pilot, *pressed)

    return run_before


def snap(board: Board, snap_compare: Any, size: tuple[int, int], run_before: Before) -> bool:
    return bool(snap_compare(DutyboardApp(board, watch=False), terminal_size=size, run_before=run_before))


def test_inspections_120x40(board: Board, story: dict[str, Any], snap_compare: Any) -> None:
    """Every site: two overdue first, one due with nothing started, one done; HQ-DC's draft marked."""
    assert snap(board, snap_compare, (120, 40), keys("i"))


def test_inspections_80x24(board: Board, story: dict[str, Any], snap_compare: Any) -> None:
    """The same at 80×24: the name column takes what is left."""
    assert snap(board, snap_compare, (80, 24), keys("i"))


def test_checklist_120x40(board: Board, story: dict[str, Any], snap_compare: Any) -> None:
    """HQ-DC's draft resumed at the dust; fault by one key, then a letter typed into a number."""
    assert snap(board, snap_compare, (120, 40), keys("i", "down", "enter", "f", "o", "n", "p", "3", "x"))


def test_checklist_80x24(board: Board, story: dict[str, Any], snap_compare: Any) -> None:
    """The same form at 80×24: narrower labels, long choices shortened to their keys, hint below."""
    assert snap(board, snap_compare, (80, 24), keys("i", "down", "enter", "f", "o", "n", "p", "3", "x"))


def test_submit_refused_120x40(board: Board, story: dict[str, Any], snap_compare: Any) -> None:
    """The submit form over a draft with required items empty, after a refused submit."""
    assert snap(board, snap_compare, (120, 40), keys("i", "down", "enter", "f", "ctrl+s", "ctrl+s"))
