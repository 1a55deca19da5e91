"""On PostgreSQL the dashboard LISTENs: another host's change shows within a second, not at the next poll."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest

from dutyboard.config import Config
from dutyboard.service.board import Board
from dutyboard.tui.app import POLL_SECONDS_LISTENING, DutyboardApp


@pytest.mark.postgres
async def test_a_change_from_another_process_arrives_by_notify(postgres_url: str) -> None:
    board = Board.open(postgres_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    app = DutyboardApp(board)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(100):
                if app._listening:
                    break
                await asyncio.sleep(0.05)
            assert app._listening, "the dashboard never started listening"
            await pilot.app.poll_now()  # type: ignore[attr-defined]
            await pilot.pause()
            env = {**os.environ, "DUTYBOARD_DB": postgres_url, "DUTYBOARD_USER": "lina"}
            done = subprocess.run(
                [sys.executable, "-m", "dutyboard", "ticket", "open", "--level", "1",
                 "--title", "Flood centre power lost", "--json"],
                env=env, capture_output=True, text=True, timeout=60,
            )
            assert done.returncode == 0, done.stderr
            committed = time.monotonic()
            table = app.queue_screen.table
            while time.monotonic() - committed < POLL_SECONDS_LISTENING - 1:
                if table.model.order:
                    break
                await asyncio.sleep(0.05)
            assert table.model.order, "the new ticket did not arrive before the fallback poll"
            assert time.monotonic() - committed < 1.5
    finally:
        board.close()
