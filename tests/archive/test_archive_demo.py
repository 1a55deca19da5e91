"""The demo fills the archive: the bureau's sites and devices, its people, one part low in store."""

from __future__ import annotations

from pathlib import Path

from dutyboard.config import Config
from dutyboard.service.demo import make_demo
from dutyboard.service import admin, archive, parts, tickets
from dutyboard.service.board import Board
from dutyboard.store.models import Ticket


def test_the_demo_has_an_archive_to_show(tmp_path: Path) -> None:
    board = Board.open(
        str(tmp_path / "d.db"), actor="zhangwei", config=Config(timezone="Asia/Shanghai")
    )
    try:
        now = board.at("2026-11-25T14:00")
        make_demo(board, at=now)
        assets = archive.list_assets(board)
        assert len(assets) >= 15 and all(a.accepted is not None for a in assets)
        assert {a.kind for a in assets} >= {"server", "storage", "network", "database", "platform"}
        assert any(not a.in_free_service for a in assets)
        for site in archive.list_sites(board):
            assert archive.reporters(board, site.code), site.code
        assert [p.code for p in parts.low_stock(board)] == ["DISK-SAS-1.8T"]
        rows = list(Ticket.select())
        assert any(r.billable == "out_of_period" for r in rows)
        assert any(r.caller and r.caller_is_reporter for r in rows)
        waiting = [r for r in rows if r.parts_start is not None and r.parts_done is None]
        assert (
            len(waiting) == 1
            and tickets.view(board, waiting[0].id, now).clocks["parts"].state == "running"
        )
        assert any(tickets.view(board, r.id).parts_used for r in rows)
        assert any(tickets.view(board, r.id).backup_units for r in rows)
        record = archive.show_asset(board, "HQ-STO-01")
        assert {h.type for h in record.history} >= {"ticket", "inspection"}
        assert admin.check(board).ok
    finally:
        board.close()
