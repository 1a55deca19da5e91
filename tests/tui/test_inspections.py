"""The inspections screen, the checklist form and submitting, driven from the keyboard.

Each test runs the real dashboard on a throwaway SQLite file holding a fixed story (see
inspection_support) at 2026-11-25 14:00 in Shanghai, presses the keys an engineer in a machine
room would, and checks the database: a value is saved the moment it is entered, a letter in a
number saves nothing, an out-of-range value is saved as a finding, a draft survives the
dashboard being killed, and a submit opens a ticket per finding or names what is missing.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from inspection_support import fill, local, press, settle, sites_story
from textual.widgets import Input

from dutyboard import locations
from dutyboard.service import inspections, tickets
from dutyboard.service.board import Board
from dutyboard.store.inspection_models import Inspection
from dutyboard.store.models import Ticket
from dutyboard.tui.app import DutyboardApp
from dutyboard.tui.screens.checklist import ChecklistScreen, NoteForm
from dutyboard.tui.screens.inspections import InspectionsScreen
from dutyboard.tui.screens.submit_inspection import SubmitInspectionForm, SubmittedScreen
from dutyboard.tui.widgets.board_header import BoardHeader
from dutyboard.tui.widgets.checklist_item import ChecklistItem
from dutyboard.tui.widgets.choice_field import ChoiceField, choice_keys

SIZE = (120, 40)
HERE = Path(__file__).resolve().parent


@pytest.fixture()
def story(board: Board) -> dict[str, Any]:
    return sites_story(board)


def notices(app: DutyboardApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def reason_of(item: ChecklistItem) -> str:
    return str(item.query_one(".item-reason").render())


async def open_checklist(pilot: Any, site: str | None = None, key: str = "enter") -> ChecklistScreen:
    """From the queue: `i`, the cursor on `site` (the first row by default), then Enter or `a`."""
    await press(pilot, "i")
    screen = pilot.app.screen
    assert isinstance(screen, InspectionsScreen)
    if site is not None:
        screen.table.move_cursor(row=screen.table.get_row_index(site))
        await settle(pilot)
    await press(pilot, key)
    checklist = pilot.app.screen
    assert isinstance(checklist, ChecklistScreen)
    return checklist


def current_key(checklist: ChecklistScreen) -> str | None:
    item = checklist.current
    return item.key if item is not None else None


def entry_of(board: Board, inspection_id: int, key: str) -> inspections.Entry:
    return inspections.show(board, inspection_id).entry(key)


# ---------------------------------------------------------------- the inspections screen


async def test_sites_listed_overdue_first(board: Board, story: dict[str, Any]) -> None:
    """Overdue sites first (nearest due first), then due, then done; last done and drafts shown."""
    draft = inspections.start(board, "QINGSHAN", at=local("2026-11-25 10:00"))
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        screen = app.screen
        assert isinstance(screen, InspectionsScreen)
        table = screen.table
        assert table.order == ["DAM-02", "HQ-DC", "QINGSHAN", "FLOOD-CC"]
        cells = {site: [str(c) for c in table.get_row(site)] for site in table.order}
        assert cells["HQ-DC"][:3] == ["Overdue", "HQ-DC", "2026-11-16"]
        assert cells["DAM-02"][0] == "Overdue"
        assert cells["QINGSHAN"][:3] == ["Due", "QINGSHAN", "2026-11-30"]
        assert cells["QINGSHAN"][4] == f"#{draft.id}"
        assert cells["FLOOD-CC"][0] == "Done"
        assert cells["FLOOD-CC"][2] == "2026-12-15"
        assert cells["FLOOD-CC"][3] == "11-16 10:10"  # submitted 40 minutes after 09:30
        assert cells["HQ-DC"][3] == "—"
        assert table.cursor_site == "DAM-02"
        head = str(screen.query_one("#inspections-head").render())
        assert "2 overdue" in head and "1 due" in head
        await press(pilot, "escape")
        assert not isinstance(app.screen, InspectionsScreen)


async def test_reload_keeps_the_cursor_on_its_site(board: Board, story: dict[str, Any]) -> None:
    """When the schedule changes, rows move by key and the cursor stays on the same site."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        screen = app.screen
        assert isinstance(screen, InspectionsScreen)
        table = screen.table
        table.move_cursor(row=table.get_row_index("QINGSHAN"))
        # Someone else submits HQ-DC's November inspection: it drops to the bottom.
        view = inspections.start(board, "HQ-DC", at=local("2026-11-25 11:00"))
        fill(board, view.id, local("2026-11-25 11:05"))
        inspections.submit(board, view.id, engineer="李娜", at=local("2026-11-25 11:40"))
        screen.load()
        await settle(pilot)
        assert table.order == ["DAM-02", "QINGSHAN", "FLOOD-CC", "HQ-DC"]
        assert [str(k.value) for k in sorted(table._row_locations, key=table.get_row_index)] == table.order
        assert table.cursor_site == "QINGSHAN"
        assert str(table.get_row("HQ-DC")[0]) == "Done"


async def test_start_opens_the_checklist_on_the_first_item(board: Board, story: dict[str, Any]) -> None:
    """Enter on an overdue site starts its monthly inspection; the cursor is in the first item."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        view = checklist.view
        assert (view.site, view.kind, view.status, view.period) == ("HQ-DC", "monthly", "draft", (2026, 11))
        assert Inspection.get_by_id(view.id).status == "draft"
        assert current_key(checklist) == "env.temperature"
        assert any("started" in n for n in notices(app))
        head = str(checklist.query_one("#checklist-head").render())
        assert "HQ-DC" in head and "0 of 24 filled" in head and "21 required empty" in head
        # Every section's title is there, one after another.
        titles = [str(t.render()) for t in checklist.query(".checklist-section")]
        assert titles == ["Environment", "Operating status", "Performance", "Security",
                          "Preventive maintenance"]


async def test_adhoc_starts_an_adhoc_inspection(board: Board, story: dict[str, Any]) -> None:
    """`a` starts an ad-hoc inspection; pressed again, its open draft resumes instead of a new one."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "FLOOD-CC", key="a")
        first = checklist.view
        assert (first.kind, first.site) == ("adhoc", "FLOOD-CC")
        assert current_key(checklist) == "change.plan"
        await press(pilot, *"core switch upgrade", "enter")
        assert entry_of(board, first.id, "change.plan").value == "core switch upgrade"
        await press(pilot, "escape")
        screen = app.screen
        assert isinstance(screen, InspectionsScreen)
        assert f"#{first.id} ad-hoc" in str(screen.table.get_row("FLOOD-CC")[4])
        await press(pilot, "a")
        again = app.screen
        assert isinstance(again, ChecklistScreen)
        assert again.view.id == first.id and again.view.resumed
        assert current_key(again) == "status.devices"  # the next required item still empty


# ---------------------------------------------------------------- the checklist form


async def test_a_letter_in_a_number_shows_the_reason_and_saves_nothing(
    board: Board, story: dict[str, Any]
) -> None:
    """Typing "2x" into the temperature says why beside it; Enter neither saves nor moves on."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        item = checklist.items["env.temperature"]
        await press(pilot, "2", "x")
        assert "'2x' is not a number" in reason_of(item)
        assert item.has_class("-bad")
        await press(pilot, "enter")
        assert current_key(checklist) == "env.temperature"
        assert entry_of(board, checklist.view.id, "env.temperature").value is None
        # Moving away does not save it either; the reason stays beside the item.
        await press(pilot, "down")
        assert current_key(checklist) == "env.humidity"
        assert entry_of(board, checklist.view.id, "env.temperature").value is None
        assert item.has_class("-bad") and "not a number" in reason_of(item)


async def test_a_physically_impossible_number_is_refused(board: Board, story: dict[str, Any]) -> None:
    """300 °C is bad input, not a finding: the reason shows and nothing is saved."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        await press(pilot, "3", "0", "0", "enter")
        item = checklist.items["env.temperature"]
        assert "outside any physical range" in reason_of(item)
        assert current_key(checklist) == "env.temperature"
        assert entry_of(board, checklist.view.id, "env.temperature").value is None


async def test_out_of_range_value_is_saved_and_flagged(board: Board, story: dict[str, Any]) -> None:
    """31 °C is outside 18–27 °C: marked as a finding as it is typed, saved on Enter, moves on."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        item = checklist.items["env.temperature"]
        await press(pilot, "3", "1")
        assert item.has_class("-finding")
        assert "outside 18–27 °C" in reason_of(item)
        await press(pilot, "enter")
        entry = entry_of(board, checklist.view.id, "env.temperature")
        assert (entry.value, entry.verdict) == ("31", "finding")
        assert current_key(checklist) == "env.humidity"
        assert item.has_class("-finding") and "outside 18–27 °C" in reason_of(item)
        assert str(item.query_one(".item-mark").render()) == "!"
        head = str(checklist.query_one("#checklist-head").render())
        assert "1 of 24 filled" in head and "1 finding " in head and "every change saved" in head
        # A value in range, typed with its unit and full-width digits, is saved in canonical form.
        await press(pilot, "４", "５", "%", "enter")
        humidity = entry_of(board, checklist.view.id, "env.humidity")
        assert (humidity.value, humidity.verdict) == ("45", "ok")
        assert checklist.items["env.humidity"].query_one(Input).value == "45"


async def test_choices_by_single_keys(board: Board, story: dict[str, Any]) -> None:
    """o, f and n choose and move on; a key that is no choice is said and saves nothing."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        iid = checklist.view.id
        checklist.go_to("env.dust")
        await settle(pilot)
        await press(pilot, "x", "2")  # a digit picks nothing either (a number typed by mistake)
        dust = checklist.items["env.dust"]
        assert "'2': press o, f, n" in reason_of(dust)
        assert current_key(checklist) == "env.dust"
        assert entry_of(board, iid, "env.dust").value is None
        await press(pilot, "f")
        assert (entry_of(board, iid, "env.dust").value, entry_of(board, iid, "env.dust").verdict) == ("fault", "finding")
        assert dust.has_class("-finding")
        assert current_key(checklist) == "env.power"
        await press(pilot, "o")
        assert entry_of(board, iid, "env.power").value == "ok"
        assert current_key(checklist) == "status.devices"
        await press(pilot, "n")
        assert entry_of(board, iid, "status.devices").value == "na"
        # Enter keeps a choice as it is (here: none) and moves on; up comes back.
        assert current_key(checklist) == "perf.user_experience"
        await press(pilot, "enter")
        assert current_key(checklist) == "perf.host_load"
        assert entry_of(board, iid, "perf.user_experience").value is None
        await press(pilot, "up")
        # The rating takes its own keys: e(xcellent) g(ood) f(air) p(oor).
        assert current_key(checklist) == "perf.user_experience"
        await press(pilot, "p")
        assert entry_of(board, iid, "perf.user_experience").verdict == "finding"
        # Backspace on a choice clears it (saved at once); the cursor stays.
        await press(pilot, "up", "backspace")
        assert entry_of(board, iid, "perf.user_experience").value is None
        assert current_key(checklist) == "perf.user_experience"


def test_choice_keys_take_the_first_free_letter() -> None:
    """Each choice gets a letter of its own, first of its key when free."""
    assert choice_keys(("ok", "fault", "na")) == {"ok": "o", "fault": "f", "na": "n"}
    assert choice_keys(("excellent", "good", "fair", "poor")) == {
        "excellent": "e", "good": "g", "fair": "f", "poor": "p",
    }
    assert choice_keys(("fault", "fair")) == {"fault": "f", "fair": "a"}


async def test_a_letter_on_a_choice_never_reaches_the_apps_keys(board: Board, story: dict[str, Any]) -> None:
    """q and i on a choice item are swallowed: they neither quit nor open another screen."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        checklist.go_to("env.dust")
        await settle(pilot)
        await press(pilot, "q", "i")
        assert app.screen is checklist and app.is_running
        assert isinstance(app.focused, ChoiceField)


async def test_note_on_an_item(board: Board, story: dict[str, Any]) -> None:
    """Ctrl+N writes a note on the item the cursor is in; it is saved at once and shown below it."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        await press(pilot, "2", "9")
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, NoteForm)
        # The typed value was saved on the way into the note.
        assert entry_of(board, checklist.view.id, "env.temperature").value == "29"
        await press(pilot, *"cold aisle A", "enter")
        assert app.screen is checklist
        entry = entry_of(board, checklist.view.id, "env.temperature")
        assert (entry.value, entry.note) == ("29", "cold aisle A")
        assert "cold aisle A" in str(checklist.items["env.temperature"].query_one(".item-note").render())
        assert current_key(checklist) == "env.temperature"


async def test_leaving_saves_what_was_typed(board: Board, story: dict[str, Any]) -> None:
    """A good value typed but not entered is saved when the engineer leaves with Esc."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        await press(pilot, "2", "4")
        await press(pilot, "escape")
        assert isinstance(app.screen, InspectionsScreen)
        assert entry_of(board, checklist.view.id, "env.temperature").value == "24"


async def test_a_pause_in_typing_saves_a_good_value(board: Board, story: dict[str, Any]) -> None:
    """A good value left without Enter is saved once typing pauses; a bad one never is."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        item = checklist.items["env.temperature"]
        await press(pilot, "2", "x")
        assert item._autosave is None  # "2x" cannot be stored: nothing waits to save it
        await press(pilot, "backspace")
        timer = item._autosave
        assert timer is not None  # "2" waits for the pause in typing
        await press(pilot, "3")
        assert item._autosave is not None and item._autosave is not timer  # restarted
        item._autosave_now()  # the pause: what the timer does when it fires
        await settle(pilot)
        assert entry_of(board, checklist.view.id, "env.temperature").value == "23"
        assert current_key(checklist) == "env.temperature"  # the cursor stays where it is
        assert app.focused is item.query_one(Input) and item.query_one(Input).value == "23"


async def test_help_lists_the_checklist_keys(board: Board, story: dict[str, Any]) -> None:
    """F1 lists how to fill the checklist and the screen's keys, not the Input's editing keys."""
    from dutyboard.tui.screens.help import HelpScreen

    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        assert rows["^n"] == "Note" and rows["^s"] == "Submit" and rows["esc"] == "Back"
        assert "Delete character left" not in rows.values()
        await press(pilot, "escape")
        assert app.screen is checklist and current_key(checklist) == "env.temperature"


async def test_fits_80x24(board: Board, story: dict[str, Any]) -> None:
    """At 80×24 the header, the focused item and its hint are all on screen."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        checklist.go_to("sec.room")
        await settle(pilot)
        item = checklist.items["sec.room"]
        body = checklist.query_one("#checklist-body")
        assert body.region.contains_region(item.region)
        hint = str(checklist.query_one("#checklist-hint").render())
        assert "Machine-room security" in hint and "o OK" in hint


# ---------------------------------------------------------------- resuming after a kill

CHILD = """
import asyncio, sys
sys.path.insert(0, {here!r})
from inspection_support import press
from dutyboard.config import Config
from dutyboard.service.board import Board
from dutyboard.tui.app import DutyboardApp

async def main() -> None:
    board = Board.open({db!r}, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "i")
        await press(pilot, "enter")            # DAM-02, the first overdue site
        await press(pilot, "3", "1", "enter")  # temperature, a finding
        await press(pilot, "4", "5", "enter")  # humidity
        await press(pilot, "f")                # dust: fault
        print("READY", app.screen.view.id, flush=True)
        await asyncio.Event().wait()           # until killed

asyncio.run(main())
"""


def run_until_ready(db: str) -> tuple[subprocess.Popen[str], int]:
    """The dashboard in a process of its own, filling part of a checklist; its inspection id."""
    script = CHILD.format(here=str(HERE), db=db)
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=os.environ.copy(),
    )
    assert child.stdout is not None
    ready, _w, _x = select.select([child.stdout], [], [], 120)
    line = child.stdout.readline() if ready else ""
    if not line.startswith("READY"):
        child.kill()
        _out, err = child.communicate()
        pytest.fail(f"the dashboard did not get ready: {line!r} {err[-2000:]}")
    return child, int(line.split()[1])


async def test_draft_survives_a_kill_and_resumes_at_the_next_empty_item(
    board: Board, story: dict[str, Any], tmp_path: Path
) -> None:
    """SIGKILL the dashboard mid-checklist; a new one resumes the draft with every value, cursor on the next."""
    child, inspection_id = run_until_ready(str(tmp_path / "tui.db"))  # the board fixture's file
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    view = inspections.show(board, inspection_id)
    assert (view.site, view.status) == ("DAM-02", "draft")
    assert entry_of(board, inspection_id, "env.temperature").verdict == "finding"

    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        checklist = await open_checklist(pilot, "DAM-02")
        assert checklist.view.id == inspection_id and checklist.view.resumed
        assert any("Resuming draft" in n for n in notices(app))
        items = checklist.items
        assert items["env.temperature"].query_one(Input).value == "31"
        assert items["env.temperature"].has_class("-finding")
        assert items["env.humidity"].query_one(Input).value == "45"
        assert items["env.dust"].query_one(ChoiceField).value == "fault"
        assert current_key(checklist) == "env.power"
        head = str(checklist.query_one("#checklist-head").render())
        assert "3 of 24 filled" in head and "2 findings" in head


# ---------------------------------------------------------------- submitting


async def test_submit_refused_while_a_required_item_is_empty(board: Board, story: dict[str, Any]) -> None:
    """The form names the empty required items; submitting anyway is refused, naming them."""
    view = inspections.start(board, "HQ-DC", at=local("2026-11-25 10:00"))
    fill(board, view.id, local("2026-11-25 10:01"), skip=("env.power", "sec.backup"))
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        assert current_key(checklist) == "env.power"
        await press(pilot, "ctrl+s")
        form = app.screen
        assert isinstance(form, SubmitInspectionForm)
        status = str(form.query_one("#form-status").render())
        assert "Power (env.power)" in status and "Backup security (sec.backup)" in status
        assert app.focused is form.query_one("#submit-engineer")
        assert form.query_one("#submit-engineer", Input).value == "zhangwei"
        await press(pilot, "ctrl+s")
        assert app.screen is form
        status = str(form.query_one("#form-status").render())
        assert "required items are empty" in status and "env.power" in status and "sec.backup" in status
        assert Inspection.get_by_id(view.id).status == "draft"
        await press(pilot, "escape")
        assert app.screen is checklist
        assert current_key(checklist) == "env.power"


async def test_full_submit_opens_tickets_for_findings(board: Board, story: dict[str, Any]) -> None:
    """Fill the last items from the keyboard, submit with names: each finding opened a ticket."""
    view = inspections.start(board, "HQ-DC", at=local("2026-11-25 10:00"))
    fill(board, view.id, local("2026-11-25 10:01"), skip=("env.temperature", "env.dust"))
    tickets_before = Ticket.select().count()
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot, "HQ-DC")
        assert current_key(checklist) == "env.temperature"
        await press(pilot, "3", "1", "enter", "down", "f", "ctrl+s")
        form = app.screen
        assert isinstance(form, SubmitInspectionForm)
        context = str(form.query_one("#submit-context").render())
        assert "2 findings will each open a ticket" in context
        await press(pilot, "tab", *"Chen Xiaoyan", "tab")
        await press(pilot, *"Fan bearing worn", "ctrl+s")
        done = app.screen
        assert isinstance(done, SubmittedScreen)
        result = done.result
        assert result.status == "submitted"
        assert [f.key for f in result.findings] == ["env.temperature", "env.dust"]
        assert len(result.tickets) == 2
        body = str(done.query_one("#submitted-body").render())
        for ticket_id in result.tickets:
            assert f"#{ticket_id}" in body
        assert "Temperature 31 °C" in body
        await press(pilot, "enter")
        assert isinstance(app.screen, InspectionsScreen)
        await settle(pilot)
        assert str(app.screen.table.get_row("HQ-DC")[0]) == "Done"
    row = Inspection.get_by_id(view.id)
    assert (row.status, row.engineers, row.customer_rep, row.cause) == (
        "submitted", "zhangwei", "Chen Xiaoyan", "Fan bearing worn"
    )
    assert Ticket.select().count() == tickets_before + 2
    opened = tickets.view(board, result.tickets[0])
    assert (opened.channel, opened.level, opened.site) == ("inspection", 3, "HQ-DC")
    assert "31 °C" in opened.title


# ---------------------------------------------------------------- the header and the report


async def test_queue_header_counts_overdue_inspections(board: Board, story: dict[str, Any]) -> None:
    """The queue's header counts the sites whose monthly inspection is overdue."""
    app = DutyboardApp(board)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.queue_screen.query_one(BoardHeader)
        assert header.state.overdue_inspections == 2
        assert "2 inspections overdue" in str(header.render())


async def test_inspections_key_in_footer_help_and_palette(board: Board, story: dict[str, Any]) -> None:
    """`i` is in the queue's footer and help, and the palette opens the inspections screen."""
    from dutyboard.tui.screens.help import HelpScreen, key_table
    from dutyboard.tui.screens.inspections import InspectionCommands

    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert "i" in shown
        assert ("i", "Inspections") in key_table(app.screen)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        provider = InspectionCommands(app.screen)
        labels = [label for label, _cb, _help in provider.commands()]
        assert labels[0].startswith("Inspections:")
        provider.commands()[0][1]()
        await settle(pilot)
        assert isinstance(app.screen, InspectionsScreen)


async def test_report_written_to_the_data_dir(board: Board, story: dict[str, Any]) -> None:
    """`r` writes the site's last submitted inspection as one HTML file and says where."""
    app = DutyboardApp(board, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        screen = app.screen
        assert isinstance(screen, InspectionsScreen)
        screen.table.move_cursor(row=screen.table.get_row_index("FLOOD-CC"))
        await press(pilot, "r")
        path = locations.data_dir() / "reports" / f"inspection-{story['flood_cc']}.html"
        assert path.is_file()
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().lower().startswith("<!doctype html") and "FLOOD-CC" in text
        assert any(str(path) in n for n in notices(app))
        # A site with no submitted inspection says so and writes nothing.
        screen.table.move_cursor(row=screen.table.get_row_index("HQ-DC"))
        await press(pilot, "r")
        assert any("HQ-DC has no submitted inspection yet" in n for n in notices(app))
