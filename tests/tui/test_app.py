"""The app shell: quitting, notices, no blinking cursors, and exiting when the terminal goes away."""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from dutyboard.service.board import Board
from dutyboard.tui.app import EXIT_HANGUP, DutyboardApp
from dutyboard.tui.widgets.board_header import BoardHeader

SettleFn = Callable[[Pilot[object]], Awaitable[None]]
ROOT = Path(__file__).resolve().parents[2]


async def test_q_quits(board: Board, settle: SettleFn) -> None:
    """`q` ends the dashboard with status 0."""
    app = DutyboardApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code == 0
    assert not app.hung_up


async def test_board_notices_are_shown_once(board: Board, settle: SettleFn) -> None:
    """A notice from the board (e.g. a year without official calendar data) becomes a notification."""
    board.notices.append("The official calendar has no data for 2027")
    app = DutyboardApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["The official calendar has no data for 2027"]
        assert board.take_notices() == []


async def test_inputs_never_blink(board: Board, settle: SettleFn) -> None:
    """Every Input that takes the focus has its cursor blink turned off (each blink costs bytes)."""
    app = DutyboardApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        assert app.focused.cursor_blink is False


async def test_overdue_inspections_hook(board: Board, settle: SettleFn) -> None:
    """The header shows overdue inspections only when there are some."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = app.queue_screen.query_one(BoardHeader)
        assert "inspections overdue" not in str(header.render())
        header.set_overdue_inspections(2)
        assert "2 inspections overdue" in str(header.render())
        header.set_overdue_inspections(0)
        assert "inspections overdue" not in str(header.render())


async def test_hang_up_exits_with_its_status(board: Board, settle: SettleFn) -> None:
    """A lost terminal ends the app at once with status 129 (128 + SIGHUP)."""
    app = DutyboardApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.hang_up()
        await pilot.pause()
    assert app.hung_up
    assert app.return_code == EXIT_HANGUP


async def test_timer_callbacks_while_the_queue_is_taken_apart(board: Board, settle: SettleFn) -> None:
    """A tick, a count or a database mark landing while the queue's widgets go away does nothing."""
    from dutyboard.tui.messages import DatabaseStatus

    app = DutyboardApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.queue_screen
        await screen.query_one(BoardHeader).remove()  # the header first, as shutting down may do
        app.tick()
        app._show_counts()
        app._database_status(DatabaseStatus(False, "disk gone"))
        await pilot.pause()
        assert app.is_running


async def test_timer_callbacks_during_shutdown_are_harmless(
    board: Board, settle: SettleFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ticks that land while the app shuts down (each queue widget unmounting) raise nothing."""
    from dutyboard.tui.widgets.queue_table import QueueTable

    app = DutyboardApp(board)
    errors: list[BaseException] = []
    calls: list[str] = []

    def tick_now(widget: object) -> None:
        calls.append(type(widget).__name__)
        try:
            app.tick()
            app._show_counts()
        except Exception as error:  # noqa: BLE001 - recorded for the assertion
            errors.append(error)

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(BoardHeader, "on_unmount", tick_now, raising=False)
        monkeypatch.setattr(QueueTable, "on_unmount", tick_now, raising=False)
    assert sorted(calls) == ["BoardHeader", "QueueTable"]
    assert errors == []



# ---------------------------------------------------------------- a real terminal that goes away

LAUNCH = """
import signal, sys
if sys.argv[1] == "ignore-sighup":
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    real = signal.signal
    signal.signal = lambda sig, handler: None if sig == signal.SIGHUP else real(sig, handler)
from dutyboard.program import main
sys.exit(main(["--db", sys.argv[2]]))
"""


def _run_then_close_terminal(db: str, mode: str) -> tuple[int, float]:
    """Start the dashboard on a new pty, wait for its first screen, close the pty: (status, seconds)."""
    env = dict(os.environ)
    env.update(
        TERM="xterm-256color", DUTYBOARD_NOW="2026-11-25T14:00:00+08:00", DUTYBOARD_USER="zhangwei",
        DUTYBOARD_TIMEZONE="Asia/Shanghai", PYTHONPATH=str(ROOT),
    )
    env.pop("NO_COLOR", None)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", LAUNCH, mode, db], env)
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    deadline = time.monotonic() + 20
    while b"Loading" not in seen and b"No open" not in seen and time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    assert b"No open" in seen or b"Loading" in seen, seen[-500:]
    closed = time.monotonic()
    os.close(fd)
    deadline = closed + 10
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status, time.monotonic() - closed
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"the dashboard was still running 10 s after its terminal went away ({mode})")


@pytest.mark.parametrize("mode", ["normal", "ignore-sighup"])
def test_the_dashboard_exits_when_its_terminal_goes_away(board: Board, mode: str) -> None:
    """SSH dropped: SIGHUP ends it; with SIGHUP ignored, the hung-up terminal is noticed instead."""
    status, seconds = _run_then_close_terminal(str(board.db.database), mode)
    assert seconds < 5
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_HANGUP
