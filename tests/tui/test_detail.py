"""The ticket detail screen: what it shows, how it stays current, and its keys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static
from triage_support import NOW, TriageApp, as_, open_board, settle, show_ticket, story

from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.tui.messages import BoardChanged, TicketChanged
from dutyboard.tui.screens.detail import TicketDetailScreen
from dutyboard.tui.screens.help import HelpScreen
from dutyboard.tui.screens.queue import QueueScreen
from dutyboard.tui.widgets.countdown import Countdown

SIZE = (120, 40)


@pytest.fixture()
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    opened = open_board(tmp_path / "board.db", monkeypatch)
    yield opened
    opened.close()


@pytest.fixture()
def ids(board: Board) -> dict[str, int]:
    return story(board)


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text, a line a row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


def cell(screen: TicketDetailScreen, cell_id: str) -> Static:
    return screen.query_one(f"#{cell_id}", Static)


async def test_shows_the_five_clocks_with_due_state_and_budget(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, ids["escalated"])
        lines = {line.split()[0]: line for line in screen_text(app).splitlines()[6:12] if line.strip()}
        # Dues in the board's zone; stopped clocks show when; the restore clock restarted at the
        # automatic escalation (13:00) with level 1's four hours.
        assert lines["respond"].split()[1:6] == ["11-25", "09:15", "11-25", "09:10", "met"]
        assert lines["arrive"].split()[1:6] == ["11-25", "11:00", "11-25", "10:30", "met"]
        assert lines["restore"].split()[1:5] == ["11-25", "17:00", "running", "2h50m"]
        assert lines["report"].split()[1:3] == ["—", "pending"]
        assert lines["update"].split()[1:5] == ["11-25", "11:40", "breached", "-2h30m"]
        assert "29%" in lines["restore"] and "350%" in lines["update"]
        # The alarm colour on the breached clock, none on the running one.
        assert cell(screen, "clock-update-state").has_class("-breached")
        assert cell(screen, "clock-update-bar").has_class("-breached")
        assert not cell(screen, "clock-restore-state").classes & {"-warning", "-breached"}


async def test_a_clock_past_half_its_budget_is_in_the_warning_colour(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, ids["open"])  # respond: 12 of 15 minutes used
        assert cell(screen, "clock-respond-state").has_class("-warning")
        assert "warning" in str(cell(screen, "clock-respond-state").render())
        assert screen.query_one("#clock-respond-left", Countdown).shown == "3:00"


async def test_the_clocks_tick_without_reading_the_ticket_again(
    board: Board, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, ids["open"])
        reads: list[int] = []
        monkeypatch.setattr(tickets, "view", lambda *a, **k: reads.append(1))
        board.clock = lambda: NOW + timedelta(minutes=4)
        screen._tick()
        await settle(pilot)
        assert screen.query_one("#clock-respond-left", Countdown).shown == "-1:00"
        assert cell(screen, "clock-respond-state").has_class("-breached")
        assert reads == []  # nothing changed in the database: no reload


async def test_escalations_call_list_and_audit_trail(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=(120, 80)) as pilot:
        await show_ticket(pilot, ids["escalated"])
        text = screen_text(app)
        # The level now and as reported; crisis mode.
        assert "L1 urgent" in text and "reported as L3" in text and "CRISIS" in text
        # Level 1's people from the roster, with phones; a role nobody holds says so.
        assert "Call now: L1 urgent" in text
        assert "陈静" in text and "13905710020" in text and "赵敏" in text and "13905710040" in text
        assert "nobody on the roster" in text  # no national technical service centre expert
        # Both escalations, the manual one with its reason, the sweep's in words.
        assert "L3→L2 by hand" in text and "影响范围扩大" in text
        assert "L2→L1 automatic restore time limit missed" in text
        # Who did what: the dispatch names the engineer, the note keeps its text.
        assert "zhangwei dispatched" in text and "→ 周杰 (zhoujie)" in text
        assert "zhoujie  note" in text and "危急情况小组已成立" in text
        assert "system   escalated" in text


async def test_the_fault_analysis_report_is_shown(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=(120, 60)) as pilot:
        await show_ticket(pilot, ids["reported"])
        text = screen_text(app)
        assert "Filed 11-25 10:00 by 李娜 (lina)" in text
        for part in ("Cause: 备份目录所在磁盘已满", "Result: 09:40 备份恢复正常", "Precautions: 下次巡检"):
            assert part in text


async def test_text_from_the_database_is_shown_literally(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, ids["escalated"])
        assert "集中存储 [bold]双控制器[/bold] 离线 ␛[31m" in screen_text(app)


async def test_reloads_when_someone_else_changes_the_ticket(board: Board, ids: dict[str, int]) -> None:
    tid = ids["acknowledged"]
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, tid)
        as_(board, "lina", tickets.dispatch, tid, "lina")
        screen._look_for_changes()  # what the one-second tick does
        await settle(pilot)
        assert screen.detail.view.status == "dispatched"
        assert "→ 李娜 (lina)" in screen_text(app)


@pytest.mark.parametrize("message", [TicketChanged(None), BoardChanged()])
async def test_reloads_on_the_dashboards_messages(board: Board, ids: dict[str, int], message: Any) -> None:
    tid = ids["acknowledged"]
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, tid)
        as_(board, "lina", tickets.add_note, tid, "seen remotely")
        screen.post_message(message)
        await settle(pilot)
        assert screen.detail.view.events[-1]["text"] == "seen remotely"


async def test_another_tickets_change_does_not_reload(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, ids["acknowledged"])
        shown = screen.detail
        screen.post_message(TicketChanged(ids["open"]))
        await settle(pilot)
        assert screen.detail is shown


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_or_q_goes_back_to_the_queue(board: Board, ids: dict[str, int], key: str) -> None:
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, ids["open"])
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.is_running


async def test_the_palette_acts_on_the_shown_ticket(board: Board, ids: dict[str, int]) -> None:
    """From the detail screen, "Close" in the command palette closes that ticket, not the queue's cursor ticket."""
    from dutyboard.tui.screens.forms.confirm import ConfirmForm

    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        await app.poll_now()
        await settle(pilot)
        cursor = app.queue_screen.table.cursor_id
        assert cursor is not None and cursor != ids["reported"]
        await show_ticket(pilot, ids["reported"])
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Close")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ConfirmForm)
        assert form.ticket is not None and form.ticket.id == ids["reported"]


async def test_the_palette_offers_the_detail_screens_own_actions(board: Board, ids: dict[str, int]) -> None:
    """From the detail screen the palette offers going back and the triage steps, not the queue's filters."""
    from dutyboard.tui.commands import DashboardCommands

    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, ids["open"])
        commands = {label: callback for label, callback, _help in DashboardCommands(screen).commands()}
        assert "Filter the queue" not in commands
        assert {"Back to the queue", "Ack", "Close"} <= set(commands)
        # Quitting is offered once, by the app's own (translated) system command.
        titles = [command.title for command in app.get_system_commands(screen)] + list(commands)
        assert [title for title in titles if "Quit" in title] == ["Quit"]
        await commands["Ack"]()  # type: ignore[misc]
        await settle(pilot)
        assert tickets.view(board, ids["open"]).status == "acknowledged"
        await commands["Back to the queue"]()  # type: ignore[misc]
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_help_lists_the_triage_keys(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=(120, 50)) as pilot:
        await show_ticket(pilot, ids["open"])
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.rows)
        for key, label in [("a", "Ack"), ("d", "Dispatch"), ("o", "On site"), ("r", "Restored"),
                           ("R", "Report"), ("c", "Close"), ("n", "Note"), ("L", "Level"),
                           ("e", "Escalate"), ("C", "Crisis"), ("N", "New")]:
            assert keys[key] == label
        assert keys["esc q"] == "Back"


async def test_a_ticket_that_does_not_exist_says_so(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = TicketDetailScreen(999)
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.detail is None
        assert "There is no ticket 999" in screen_text(app)


async def test_usable_at_80x24_and_survives_40x12(board: Board, ids: dict[str, int]) -> None:
    app = TriageApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_ticket(pilot, ids["escalated"])
        assert screen.has_class("-narrow")
        text = screen_text(app).splitlines()
        assert text[0].startswith(" L1 urgent  #1")
        assert any(line.startswith(" update") and "-2h30m" in line for line in text)
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert screen.has_class("-wide")
