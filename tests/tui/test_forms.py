"""Triage through the forms, from the detail screen's keys: every action writes what it should.

Each test runs the real dashboard on a throwaway SQLite file holding a fixed story (see
triage_support), presses the keys a duty engineer would, and checks the database. Esc writes
nothing; a field that is wrong keeps the form open with the reason beside it; a ticket changed
behind the form's back is refused with the name of who changed it, and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static, TextArea
from triage_support import NOW, TriageApp, as_, at, open_board, settle, show_ticket, story

from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.store.models import Event, FaultReport, Ticket
from dutyboard.tui.actions import ACTIONS, run_action
from dutyboard.tui.screens.detail import TicketDetailScreen
from dutyboard.tui.screens.forms.base import FormScreen
from dutyboard.tui.screens.forms.confirm import ConfirmForm
from dutyboard.tui.screens.forms.dispatch import DispatchForm
from dutyboard.tui.screens.forms.intake import IntakeForm
from dutyboard.tui.screens.forms.level import EscalateForm, LevelForm
from dutyboard.tui.screens.forms.note import NoteForm
from dutyboard.tui.screens.forms.report import ReportForm

SIZE = (120, 40)


@pytest.fixture()
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    opened = open_board(tmp_path / "board.db", monkeypatch)
    yield opened
    opened.close()


@pytest.fixture()
def ids(board: Board) -> dict[str, int]:
    return story(board)


def app_for(board: Board) -> TriageApp:
    return TriageApp(board)


def events(ticket_id: int) -> list[Event]:
    return list(Event.select().where(Event.ticket == ticket_id).order_by(Event.id))


def row(ticket_id: int) -> Ticket:
    return Ticket.get_by_id(ticket_id)


async def press(pilot: Any, *keys: str) -> None:
    """Press keys one by one, letting every worker and callback finish after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def reason(app: Any, field_id: str) -> Static:
    return app.screen.query_one(f"#{field_id}-reason", Static)


def notices(app: Any) -> list[tuple[str, str]]:
    """The notifications shown so far: (severity, message)."""
    return [(n.severity, n.message) for n in app._notifications]


# ---------------------------------------------------------------- the registry


def test_actions_registry_names_every_triage_step_with_a_distinct_key() -> None:
    ids = [a[0] for a in ACTIONS]
    keys = [a[1] for a in ACTIONS]
    assert ids == [
        "acknowledge", "dispatch", "arrive", "restore", "report", "close", "note", "level",
        "escalate", "crisis", "new",
    ]
    assert keys == ["a", "d", "o", "r", "R", "c", "n", "L", "e", "C", "N"]
    assert [a[3] for a in ACTIONS] == [True] * 10 + [False]


# ---------------------------------------------------------------- each action changes the database


async def test_acknowledge_needs_no_form(board: Board, ids: dict[str, int]) -> None:
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_ticket(pilot, ids["open"])
        await press(pilot, "a")
        assert app.screen is screen
        assert row(ids["open"]).status == "acknowledged"
        last = events(ids["open"])[-1]
        assert (last.kind, last.by, last.at) == ("acknowledged", "zhangwei", NOW)
        assert ("information", "Ticket 2 acknowledged") in notices(app)
        # The screen shows the new state (it reloads after its own write).
        assert screen.detail.view.status == "acknowledged"


async def test_dispatch_picks_an_engineer_by_typing(board: Board, ids: dict[str, int]) -> None:
    tid = ids["acknowledged"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "d")
        assert isinstance(app.screen, DispatchForm)
        await press(pilot, "l", "i")
        people = app.screen.query_one(OptionList)
        assert people.option_count == 2  # lina and liuyang
        await press(pilot, "n")
        assert people.option_count == 1  # only 李娜 (lina) matches "lin"
        assert "李娜" in str(reason(app, "dispatch-search").render())
        await press(pilot, "enter")
        assert isinstance(app.screen, TicketDetailScreen)
        assert (row(tid).status, row(tid).owner) == ("dispatched", "lina")


async def test_dispatch_arrows_move_from_the_search_field(board: Board, ids: dict[str, int]) -> None:
    tid = ids["acknowledged"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "d", "down", "down", "enter")
        assert row(tid).owner == "zhoujie"  # third on the roster


async def test_arrive_restore_and_crisis_ask_first(board: Board, ids: dict[str, int]) -> None:
    tid = ids["dispatched"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "o")
        assert isinstance(app.screen, ConfirmForm)
        await press(pilot, "enter")
        assert row(tid).status == "on_site"
        await press(pilot, "r", "y")
        assert row(tid).status == "restored"
        await press(pilot, "C", "enter")
        assert row(tid).crisis is True
        await press(pilot, "C", "enter")
        assert row(tid).crisis is False
        assert [e.kind for e in events(tid)][-4:] == ["arrived", "restored", "crisis_on", "crisis_off"]


async def test_fault_report_has_five_parts(board: Board, ids: dict[str, int]) -> None:
    tid = ids["restored"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "R")
        assert isinstance(app.screen, ReportForm)
        texts = ["电源模块老化", "08:05 电话响应", "更换电源模块", "09:30 业务恢复", "巡检时检查同批次电源"]
        for index, text in enumerate(texts):
            app.screen.query(TextArea)[index].insert(text)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TicketDetailScreen)
        report = FaultReport.get(FaultReport.ticket == tid)
        assert [report.cause, report.response, report.process, report.result, report.precautions] == texts
        assert report.submitted_by == "zhangwei"
        assert row(tid).report_done == NOW


async def test_close_after_the_report(board: Board, ids: dict[str, int]) -> None:
    tid = ids["reported"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "c")
        assert isinstance(app.screen, ConfirmForm)
        await press(pilot, "y")
        assert row(tid).status == "closed"


async def test_note(board: Board, ids: dict[str, int]) -> None:
    tid = ids["acknowledged"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "n")
        assert isinstance(app.screen, NoteForm)
        await pilot.press(*"[bold]ok[/]")
        await press(pilot, "enter")
        last = events(tid)[-1]
        assert (last.kind, last.details_dict["text"]) == ("note", "[bold]ok[/]")


async def test_reclassify_with_a_reason(board: Board, ids: dict[str, int]) -> None:
    tid = ids["acknowledged"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "L")
        assert isinstance(app.screen, LevelForm)
        await pilot.press("1", "tab", *"data lost")
        await press(pilot, "enter")
        assert row(tid).level == 1
        view = tickets.view(board, tid)
        assert view.escalations[-1]["reason"] == "data lost"
        # Re-classified: the fault was level 1 from the start, reported at 12:00: 4 h to restore.
        assert view.clocks["restore"].due == at("16:00")


async def test_escalate_one_level_with_the_default_reason(board: Board, ids: dict[str, int]) -> None:
    tid = ids["dispatched"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "e")
        assert isinstance(app.screen, EscalateForm)
        default = app.screen.query_one("#escalate-reason", Input).value
        assert "zhangwei" in default
        await press(pilot, "enter")
        assert row(tid).level == 2
        assert tickets.view(board, tid).escalations[-1]["reason"] == default


async def test_intake_of_a_new_ticket(board: Board, ids: dict[str, int]) -> None:
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, ids["open"])
        await press(pilot, "N")
        assert isinstance(app.screen, IntakeForm)
        await pilot.press("2", "tab", "tab", "tab", *"qingshan")
        await settle(pilot)
        assert "青山水库管理站" in str(reason(app, "intake-site").render())
        await pilot.press("tab", *"qs-rtu-gw", "tab", *"遥测网关离线")
        await press(pilot, "enter")
        assert isinstance(app.screen, TicketDetailScreen)
        new = Ticket.select().order_by(Ticket.id.desc()).get()
        assert new.id == max(ids.values()) + 1
        assert (new.level, new.service, new.channel) == (2, "hardware", "phone")
        # Codes typed in any case are stored as the roster spells them.
        assert (new.site, new.asset, new.title) == ("QINGSHAN", "QS-RTU-GW", "遥测网关离线")
        assert new.reported_at == NOW and new.opened_by == "zhangwei"


async def test_intake_keeps_a_site_the_roster_does_not_know(board: Board, ids: dict[str, int]) -> None:
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, ids["open"])
        await press(pilot, "N")
        await pilot.press("4", "tab", "tab", "tab", *"Pump house 3", "tab", "tab", *"Question")
        await settle(pilot)
        assert "kept as typed" in str(reason(app, "intake-site").render())
        await press(pilot, "ctrl+s")
        new = Ticket.select().order_by(Ticket.id.desc()).get()
        assert (new.level, new.site, new.asset, new.title) == (4, "Pump house 3", None, "Question")


# ---------------------------------------------------------------- Esc writes nothing


@pytest.mark.parametrize(
    ("action", "key", "stage", "typed"),
    [
        ("dispatch", "d", "acknowledged", ["l", "i"]),
        ("arrive", "o", "dispatched", []),
        ("restore", "r", "dispatched", []),
        ("report", "R", "restored", list("cause")),
        ("close", "c", "reported", []),
        ("note", "n", "acknowledged", list("half a note")),
        ("level", "L", "acknowledged", ["1", "tab", *"why"]),
        ("escalate", "e", "acknowledged", []),
        ("crisis", "C", "acknowledged", []),
        ("new", "N", "open", ["2", "tab", "tab", "tab", "tab", "tab", *"title"]),
    ],
)
async def test_escape_leaves_nothing_written(
    board: Board, ids: dict[str, int], action: str, key: str, stage: str, typed: list[str]
) -> None:
    tid = ids[stage]
    before = (Event.select().count(), Ticket.select().count(), FaultReport.select().count())
    version = row(tid).version
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        detail = await show_ticket(pilot, tid)
        await press(pilot, key)
        assert isinstance(app.screen, FormScreen), action
        await pilot.press(*typed)
        await press(pilot, "escape")
        assert app.screen is detail
    assert (Event.select().count(), Ticket.select().count(), FaultReport.select().count()) == before
    assert row(tid).version == version


# ---------------------------------------------------------------- validation keeps the form open


async def test_intake_without_title_or_level_stays_open_with_the_reasons(
    board: Board, ids: dict[str, int]
) -> None:
    app = app_for(board)
    before = Ticket.select().count()
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, ids["open"])
        await press(pilot, "N")
        form = app.screen
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "Choose a level" in str(reason(app, "intake-level").render())
        assert "needs a title" in str(reason(app, "intake-title").render())
        assert form.query_one("#intake-level", Input).has_focus  # the cursor goes to the first wrong field
        # Typed in, the reason goes away as you type.
        await pilot.press("3")
        await settle(pilot)
        assert "Choose a level" not in str(reason(app, "intake-level").render())
    assert Ticket.select().count() == before


async def test_level_cannot_be_the_current_one_nor_lack_a_reason(board: Board, ids: dict[str, int]) -> None:
    tid = ids["acknowledged"]  # level 3
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "L", "3")
        assert "already level 3" in str(reason(app, "level-level").render())
        await press(pilot, "enter")
        assert isinstance(app.screen, LevelForm)
        assert "Say why" in str(reason(app, "level-reason").render())
    assert row(tid).level == 3


async def test_the_level_field_takes_only_1_to_4(board: Board, ids: dict[str, int]) -> None:
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, ids["acknowledged"])
        await press(pilot, "L", "7", "x", "2")
        assert app.screen.query_one("#level-level", Input).value == "2"


async def test_report_needs_all_five_parts(board: Board, ids: dict[str, int]) -> None:
    tid = ids["restored"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "R")
        app.screen.query(TextArea)[0].insert("cause only")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReportForm)
        assert "Required" in str(reason(app, "report-response").render())
        assert app.screen.query_one("#report-response", TextArea).has_focus
    assert FaultReport.select().count() == 1  # the story's one report, nothing more


# ---------------------------------------------------------------- refusals before any typing


async def test_a_step_that_does_not_fit_is_refused_before_the_form(board: Board, ids: dict[str, int]) -> None:
    tid = ids["restored"]  # level 2, restored, report not filed
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        detail = await show_ticket(pilot, tid)
        await press(pilot, "c")
        assert app.screen is detail
        assert ("error", "A level 2 ticket needs its fault analysis report before it is closed") in notices(app)
        await press(pilot, "o")
        assert app.screen is detail
    assert row(tid).status == "restored"


async def test_escalate_at_level_1_is_refused(board: Board, ids: dict[str, int]) -> None:
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        detail = await show_ticket(pilot, ids["escalated"])
        await press(pilot, "e")
        assert app.screen is detail
        assert ("error", "The ticket is already at level 1") in notices(app)


async def test_an_action_on_a_stale_version_says_who_changed_it(board: Board, ids: dict[str, int]) -> None:
    tid = ids["acknowledged"]
    shown = row(tid).version
    as_(board, "lina", tickets.add_note, tid, "changed meanwhile")
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_action(app, "restore", tid, shown)
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any(severity == "warning" and "lina" in message for severity, message in notices(app))
    assert row(tid).status == "acknowledged"


async def test_an_action_without_a_ticket_asks_for_one(board: Board, ids: dict[str, int]) -> None:
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_action(app, "acknowledge", None, None)
        await settle(pilot)
    assert ("warning", "Choose a ticket first") in notices(app)


# ---------------------------------------------------------------- conflicts


async def test_a_change_behind_the_forms_back_is_refused_and_names_who(
    board: Board, ids: dict[str, int]
) -> None:
    tid = ids["acknowledged"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        detail = await show_ticket(pilot, tid)
        await press(pilot, "n")
        form = app.screen
        await pilot.press(*"mine")
        # Someone else writes first, while the form is open.
        as_(board, "lina", tickets.dispatch, tid, "lina")
        await press(pilot, "enter")
        assert app.screen is form  # refused: the text typed is still there
        status = str(form.query_one("#form-status", Static).render())
        assert "lina" in status
        assert any(severity == "warning" and "lina" in message for severity, message in notices(app))
        assert [e.kind for e in events(tid)][-1] == "dispatched"  # lina's write stands, no note
        assert row(tid).owner == "lina"
        await settle(pilot)
        assert detail.detail.view.status == "dispatched"  # the screen below reloaded
        # Submitting again, having been told, adds the note on top of lina's change.
        await press(pilot, "enter")
        assert app.screen is detail
        assert [e.kind for e in events(tid)][-2:] == ["dispatched", "note"]


async def test_a_conflict_on_a_confirmation_overwrites_nothing(board: Board, ids: dict[str, int]) -> None:
    tid = ids["reported"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, tid)
        await press(pilot, "c")
        as_(board, "lina", tickets.set_crisis, tid, True)
        await press(pilot, "y")
        assert isinstance(app.screen, ConfirmForm)
        assert "lina" in str(app.screen.query_one("#form-status", Static).render())
        await press(pilot, "escape")
    assert row(tid).status == "restored"


async def test_a_colleagues_note_does_not_make_a_pending_step_fail(
    board: Board, ids: dict[str, int]
) -> None:
    """Only a change to status, level, owner or crisis makes the form's reading stale."""
    tid = ids["reported"]
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        detail = await show_ticket(pilot, tid)
        await press(pilot, "c")
        as_(board, "lina", tickets.add_note, tid, "customer says thanks")
        await press(pilot, "y")
        assert app.screen is detail
    assert row(tid).status == "closed"
    assert [e.kind for e in events(tid)][-2:] == ["note", "closed"]


# ---------------------------------------------------------------- the screen beneath stays in view


def screen_lines(app: Any) -> list[str]:
    """What the terminal shows, as plain text, a line a row."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]


@pytest.mark.parametrize(
    "key, modal",
    [("c", "ConfirmForm"), ("n", "NoteForm"), ("question_mark", "HelpScreen"), ("ctrl+p", "CommandPalette")],
)
async def test_a_modal_dims_the_ticket_beneath_instead_of_hiding_it(
    board: Board, ids: dict[str, int], key: str, modal: str
) -> None:
    """A form, the help or the palette over the detail: its top line still shows (dimmed), not a blank."""
    app = app_for(board)
    async with app.run_test(size=SIZE) as pilot:
        await show_ticket(pilot, ids["reported"])
        top = screen_lines(app)[0]
        assert f"#{ids['reported']}" in top
        await press(pilot, key)
        assert type(app.screen).__name__ == modal
        assert app.screen.styles.background.a < 1
        assert screen_lines(app)[0] == top
