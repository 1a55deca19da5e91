"""A throwaway database per test with a fixed instant, and the queue fixture the dashboard tests share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.notifications import SeverityLevel
from textual.pilot import Pilot

from dutyboard.config import Config
from dutyboard.i18n import current_language, setup_language
from dutyboard.service import tickets
from dutyboard.service.board import Board

SH = ZoneInfo("Asia/Shanghai")
NOW_ISO = "2026-11-25T14:00:00+08:00"
NOW = datetime.fromisoformat(NOW_ISO)
ACTOR = "zhangwei"


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The tests read English labels whatever the machine's locale."""
    before = current_language()
    setup_language("en")
    yield
    setup_language(before)


#: How long a toast stays in a test: longer than any test runs, however loaded the machine.
TOAST_SECONDS = 3600.0


@pytest.fixture(autouse=True)
def toasts_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Toasts outlive the test: what a picture or a check sees must not hang on the speed.

    A toast lasts a few seconds of wall time; on a loaded machine the keys a test presses can
    take longer than that, and the toast (e.g. "Resuming draft") was gone from the picture.
    """
    notify = App.notify

    def lasting(
        self: App[object], message: str, *, title: str = "",
        severity: SeverityLevel = "information", timeout: float | None = None, markup: bool = True,
    ) -> None:
        notify(self, message, title=title, severity=severity, timeout=TOAST_SECONDS, markup=markup)

    monkeypatch.setattr(App, "notify", lasting)


@pytest.fixture(autouse=True)
def typing_pauses_when_the_test_says(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checklist's autosave waits for the test: a pause in typing is `item._autosave_now()`.

    Its timer runs on wall time; on a loaded machine the keys of "3x" came further apart
    than the pause, so "3" was saved and the picture counted one item more.
    """
    monkeypatch.setattr("dutyboard.tui.widgets.checklist_item.AUTOSAVE_SECONDS", 3600.0)


@pytest.fixture
def board(tmp_path, monkeypatch) -> Iterator[Board]:
    """A board on a fresh SQLite file, its clock stopped at NOW so countdowns are exact."""
    monkeypatch.setenv("DUTYBOARD_NOW", NOW_ISO)
    monkeypatch.delenv("NO_COLOR", raising=False)
    config = Config(timezone="Asia/Shanghai", sweep_interval=60.0)
    opened = Board.open(str(tmp_path / "tui.db"), actor=ACTOR, config=config)
    opened.clock = lambda: NOW
    yield opened
    opened.close()


def make_queue(board: Board) -> dict[str, int]:
    """Seven tickets covering every level, look and status the queue shows; one closed."""
    made: dict[str, int] = {}
    actor = board.actor

    def open_(name: str, level: int, title: str, minutes: float, **kw: object) -> int:
        made[name] = tickets.open_ticket(board, level=level, title=title, at=ago(minutes), **kw)  # type: ignore[arg-type]
        return made[name]

    board.actor = "lina"
    # respond due in 5 min: past half its budget, so warning
    open_("storage", 2, "集中存储双控制器离线", 10, site="HQ-DC", asset="HQ-STO-01")
    # dispatched to me: arrive due in 20 min, restore in 2h20m
    switch = open_("switch", 1, "Core switch down", 100, site="FLOOD-CC", asset="FCC-SW-01")
    tickets.acknowledge(board, switch, at=ago(95))
    tickets.dispatch(board, switch, to=ACTOR, at=ago(90))
    # respond breached ten minutes ago; the title must be shown literally
    open_("markup", 3, "Title with [bold]markup[/bold] \x1b[31m", 40, site="QINGSHAN")
    # development service, far countdown on the business calendar
    dev = open_("question", 4, "Firmware question", 60, service="development", site="HQ-DC")
    tickets.acknowledge(board, dev, at=ago(55))
    # re-classified from 3 to 1: shows L3→L1
    raised = open_("raised", 3, "Telemetry gateway dropping packets", 30, site="QINGSHAN", asset="QS-RTU-GW")
    tickets.acknowledge(board, raised, at=ago(25))
    tickets.set_level(board, raised, 1, "wider impact", at=ago(20))
    # someone else's, on site
    onsite = open_("onsite", 2, "Dam monitoring server kernel panic", 70, site="QINGSHAN", asset="QS-SRV-01")
    tickets.acknowledge(board, onsite, at=ago(65))
    tickets.dispatch(board, onsite, to="lina", at=ago(60))
    tickets.arrive(board, onsite, at=ago(30))
    # closed: never in the queue
    done = open_("closed", 4, "Answered question", 300, service="hardware")
    tickets.acknowledge(board, done, at=ago(290))
    tickets.restore(board, done, at=ago(200))
    tickets.close(board, done, at=ago(100))
    board.actor = actor
    return made


@pytest.fixture
def queue_ids(board: Board) -> dict[str, int]:
    """The shared queue, made in the board: name -> ticket id."""
    return make_queue(board)


@pytest.fixture(name="make_queue")
def make_queue_fixture() -> Callable[[Board], dict[str, int]]:
    """The queue maker, for tests that make the queue themselves (snapshots)."""
    return make_queue


async def settle_app(pilot: Pilot[object]) -> None:
    """Run one poll of the board to its end and let the queue take the result."""
    await pilot.app.poll_now()  # type: ignore[attr-defined]
    await pilot.pause()


@pytest.fixture
def settle() -> Callable[[Pilot[object]], Awaitable[None]]:
    """`await settle(pilot)`: one poll to its end, its rows merged into the queue."""
    return settle_app
