"""A fixed story for the detail and triage tests: a roster and six tickets at a frozen instant.

Everything is made through the service layer at given instants, so the screens show exactly
what real use would leave; the board's clock is frozen at NOW so countdowns never move.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from dutyboard.config import Config
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.store.models import Asset, Engineer, Site
from dutyboard.tui.app import DutyboardApp

ZONE = ZoneInfo("Asia/Shanghai")
NOW_TEXT = "2026-11-25T14:10:00+08:00"
NOW = datetime.fromisoformat(NOW_TEXT)
ACTOR = "zhangwei"
#: A title that would be markup and an escape sequence if it were not shown literally.
TRICKY_TITLE = "集中存储 [bold]双控制器[/bold] 离线 \x1b[31m"

ROSTER = [
    ("zhangwei", "张伟", "13805711001", "dedicated_engineer"),
    ("lina", "李娜", "13805711002", "dedicated_engineer"),
    ("zhoujie", "周杰", "13805711003", "dedicated_engineer"),
    ("wangqiang", "王强", "13805711010", "local_manager"),
    ("chenjing", "陈静", "13905710020", "regional_expert"),
    ("liuyang", "刘洋", "13905710030", "vendor_expert"),
    ("zhaomin", "赵敏", "13905710040", "regional_gm"),
]


def at(clock: str) -> datetime:
    """An instant on 2026-11-25 in Shanghai: at("09:05")."""
    return datetime.fromisoformat(f"2026-11-25T{clock}:00").replace(tzinfo=ZONE)


def open_board(path: Path, monkeypatch: pytest.MonkeyPatch) -> Board:
    """A board on a fresh SQLite file, as of NOW (DUTYBOARD_NOW), its clock frozen there."""
    monkeypatch.setenv("DUTYBOARD_NOW", NOW_TEXT)
    board = Board.open(str(path), actor=ACTOR, config=Config(timezone="Asia/Shanghai"))
    board.clock = lambda: NOW
    return board


def fill_roster() -> None:
    hq = Site.create(code="HQ-DC", name="临安市水利水电局 中心机房")
    dam = Site.create(code="QINGSHAN", name="青山水库管理站")
    Asset.create(code="HQ-STO-01", site=hq, name="集中存储", kind="storage")
    Asset.create(code="HQ-SRV-01", site=hq, name="应用服务器 01", kind="server")
    Asset.create(code="QS-RTU-GW", site=dam, name="遥测网关", kind="network")
    for login, name, phone, role in ROSTER:
        Engineer.create(login=login, name=name, phone=phone, role=role)


def as_(board: Board, actor: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a service call as someone else (another engineer, or the sweep)."""
    saved, board.actor = board.actor, actor
    try:
        return call(board, *args, **kwargs)
    finally:
        board.actor = saved


def story(board: Board) -> dict[str, int]:
    """The roster and six tickets, one at each stage the triage keys need; returns their ids."""
    fill_roster()
    ids: dict[str, int] = {}

    # Reported as level 3, re-classified to 2, escalated to 1 by the sweep; in crisis mode.
    tid = tickets.open_ticket(
        board, level=3, title=TRICKY_TITLE, service="hardware", channel="phone",
        site="HQ-DC", asset="HQ-STO-01", description="客户来电：水情数据无法写入。", at=at("09:00"),
    )
    tickets.set_level(board, tid, 2, "影响范围扩大：水情数据无法写入", at("09:05"))
    tickets.acknowledge(board, tid, at("09:10"))
    tickets.dispatch(board, tid, "zhoujie", at("09:20"))
    as_(board, "zhoujie", tickets.arrive, tid, at("10:30"))
    tickets.set_crisis(board, tid, True, at("10:35"))
    as_(board, "zhoujie", tickets.add_note, tid, "危急情况小组已成立，厂商专家远程接入。", at("10:40"))
    as_(board, "system", tickets.sweep, at("13:30"))
    ids["escalated"] = tid

    ids["open"] = tickets.open_ticket(
        board, level=2, title="Core switch line card failed", site="HQ-DC", asset="HQ-SRV-01",
        at=at("13:58"),
    )

    tid = tickets.open_ticket(board, level=3, title="遥测网关间歇性丢包", site="QINGSHAN",
                              asset="QS-RTU-GW", channel="monitoring", at=at("12:00"))
    tickets.acknowledge(board, tid, at("12:10"))
    ids["acknowledged"] = tid

    tid = tickets.open_ticket(board, level=3, title="闸门监控服务器风扇告警", at=at("11:00"))
    tickets.acknowledge(board, tid, at("11:05"))
    tickets.dispatch(board, tid, "lina", at("11:10"))
    ids["dispatched"] = tid

    tid = tickets.open_ticket(board, level=2, title="应用服务器 02 宕机，电源模块告警", at=at("08:00"))
    tickets.acknowledge(board, tid, at("08:05"))
    tickets.restore(board, tid, at("09:30"))
    ids["restored"] = tid

    tid = tickets.open_ticket(board, level=3, title="水文测报数据库备份作业失败", service="development",
                              at=at("07:00"))
    tickets.acknowledge(board, tid, at("09:05"))
    tickets.restore(board, tid, at("09:40"))
    as_(board, "lina", tickets.submit_report, tid, {
        "cause": "备份目录所在磁盘已满",
        "response": "09:05 接报后电话确认现象",
        "process": "清理过期归档，扩容备份卷，重跑备份作业",
        "result": "09:40 备份恢复正常，恢复演练通过",
        "precautions": "下次巡检检查备份卷容量告警阈值",
    }, at("10:00"))
    ids["reported"] = tid
    return ids


class TriageApp(DutyboardApp):
    """The dashboard without the queue's one-second tick and board watcher.

    What these tests drive (the detail screen, the forms, the writes) reads nothing from the
    queue, and a queue tick landing while the app shuts down only adds noise here.
    """

    def __init__(self, board: Board) -> None:
        super().__init__(board, watch=False)

    def queue_ready(self) -> None:
        """The queue is mounted: nothing to start for these tests."""


async def workers_done(app: App[Any]) -> None:
    """Until every worker running now has ended, whether it completed or was cancelled.

    A screen's once-a-second look for changes is an exclusive worker: when a loaded machine
    makes two overlap, the newer cancels the older, which has ended all the same (Textual's
    wait_for_complete raises WorkerCancelled for it). A worker that failed still raises.
    """
    for worker in list(app.workers):
        with suppress(WorkerCancelled):
            await worker.wait()


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, workers and the callbacks they schedule all finish (never a sleep)."""
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


async def show_ticket(pilot: Pilot[Any], ticket_id: int) -> Any:
    """Open a ticket's detail screen and wait until its data is on screen."""
    from dutyboard.tui.screens.detail import TicketDetailScreen

    await settle(pilot)
    screen = TicketDetailScreen(ticket_id)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    assert screen.detail is not None
    return screen
