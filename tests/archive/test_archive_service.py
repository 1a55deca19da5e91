"""The archive's service on both engines: transactions, low stock once, stock never below 0."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from dutyboard.config import Config
from dutyboard.service import archive, parts, tickets
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.store.db import change_marker
from dutyboard.store.models import Event


def _fill(board: Board) -> None:
    archive.add_site(board, "HQ-DC", "中心机房")
    archive.add_asset(board, "HQ-SRV-01", "HQ-DC", "应用服务器 01", "server")
    parts.add_part(board, "PSU-550", "550W 电源", "server", qty=2, minimum=2)


def test_every_archive_change_leaves_an_event_so_dashboards_see_it(board: Board) -> None:
    marks = [change_marker()]
    archive.add_site(board, "HQ-DC", "中心机房")
    marks.append(change_marker())
    archive.set_site(board, "HQ-DC", address="锦城街道")
    marks.append(change_marker())
    archive.add_contact(board, "李主任", "HQ-DC", phone="0571-63701234", reporter=True)
    marks.append(change_marker())
    assert marks == sorted(set(marks))
    kinds = [e.kind for e in Event.select().order_by(Event.id)]
    assert kinds == ["site_added", "site_changed", "contact_added"]


def test_a_part_dropping_below_its_minimum_is_recorded_once_by_system_with_its_hooks(
    board: Board,
) -> None:
    _fill(board)
    seen: list[tuple[str, int, bool]] = []

    def hook(b: Board, event: Any, part: archive.PartView) -> None:
        from dutyboard.store.db import database

        seen.append((part.code, event.id, database.in_transaction()))

    parts.on_low_stock(hook)
    try:
        tid = tickets.open_ticket(board, level=2, title="电源故障", asset="HQ-SRV-01")
        parts.use_part(board, tid, "PSU-550")  # 2 -> 1, below the minimum of 2
        parts.use_part(board, tid, "PSU-550")  # 1 -> 0, still low: not again
        parts.count_stock(board, "PSU-550", 5, "restocked")  # back above
        parts.set_part(board, "PSU-550", minimum=6)  # a raised minimum drops it again
    finally:
        parts.remove_low_stock_hook(hook)
    lows = list(Event.select().where(Event.kind == "part_low").order_by(Event.id))
    assert [(e.by, e.details_dict["qty"], e.details_dict["min"]) for e in lows] == [
        ("system", 1, 2),
        ("system", 5, 6),
    ]
    assert seen == [("PSU-550", lows[0].id, True), ("PSU-550", lows[1].id, True)]


def test_a_failing_hook_rolls_the_use_back(board: Board) -> None:
    _fill(board)
    tid = tickets.open_ticket(board, level=2, title="电源故障", asset="HQ-SRV-01")

    def hook(b: Board, event: Any, part: archive.PartView) -> None:
        raise BadInput("the outbox refused")

    parts.on_low_stock(hook)
    try:
        with pytest.raises(BadInput):
            parts.use_part(board, tid, "PSU-550")
    finally:
        parts.remove_low_stock_hook(hook)
    assert parts.list_parts(board)[0].qty == 2
    assert tickets.view(board, tid).parts_used == []


def test_two_engineers_taking_the_last_part_at_once_leave_the_stock_at_zero(db_url: str) -> None:
    config = Config(timezone="Asia/Shanghai")
    setup = Board.open(db_url, actor="zhangwei", config=config)
    try:
        _fill(setup)
        parts.count_stock(setup, "PSU-550", 1, "one left")
        ids = [
            tickets.open_ticket(setup, level=2, title=f"fault {i}", asset="HQ-SRV-01")
            for i in range(2)
        ]
    finally:
        setup.close()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(ticket_id: int) -> None:
        board = Board.open(db_url, actor="zhangwei", config=config)
        try:
            barrier.wait(timeout=30)
            parts.use_part(board, ticket_id, "PSU-550")
            outcomes.append("ok")
        except BadInput:
            outcomes.append("refused")

    workers = [threading.Thread(target=take, args=(tid,)) for tid in ids]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert sorted(outcomes) == ["ok", "refused"]
    board = Board.open(db_url, actor="zhangwei", config=config)
    try:
        assert parts.list_parts(board)[0].qty == 0
        assert sum(len(tickets.view(board, tid).parts_used) for tid in ids) == 1
    finally:
        board.close()


def test_a_site_show_lists_the_parts_for_its_kinds_of_device(board: Board) -> None:
    _fill(board)
    parts.add_part(board, "DISK-1.8T", "1.8TB SAS 硬盘", "storage", qty=3, minimum=1)
    detail = archive.show_site(board, "HQ-DC")
    assert [p.code for p in detail.parts] == ["PSU-550"]
    archive.add_asset(board, "HQ-STO-01", "HQ-DC", "集中存储", "storage")
    assert [p.code for p in archive.show_site(board, "HQ-DC").parts] == ["DISK-1.8T", "PSU-550"]
    assert archive.reporters(board, "HQ-DC") == []
