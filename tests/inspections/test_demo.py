"""The demo board's inspections: due, overdue, in draft and submitted, whatever the day."""

from __future__ import annotations

from typing import Any

import pytest

from dutyboard.service.demo import make_demo
from dutyboard.service import inspections
from dutyboard.store.models import Ticket


@pytest.mark.parametrize("when", ["2026-11-27T10:00", "2026-11-03T08:30", "2026-02-20T10:00"])
def test_demo_inspections_show_every_state(sqlite_url: str, when: str) -> None:
    from dutyboard.config import Config
    from dutyboard.service.board import Board

    board: Any = Board.open(sqlite_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    try:
        now = board.at(when)
        make_demo(board, at=now, count=5)  # the demo makes its inspections too
        assert len(inspections.list_inspections(board, status="draft")) == 1
        assert len(inspections.list_inspections(board, status="submitted")) >= 5
        findings = Ticket.select().where(Ticket.channel == "inspection").count()
        assert findings >= 1
        rows = inspections.due(board, now)
        assert any(r.overdue for r in rows)
        assert any(r.due_now and not r.overdue for r in rows)
        assert any(not r.due_now for r in rows)  # done this month
        assert any(r.draft is not None for r in rows)
        assert inspections.list_inspections(board, kind="adhoc", status="submitted")
        assert board.actor == "zhangwei"
    finally:
        board.close()
