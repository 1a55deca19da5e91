"""The queue screen: order, filters, live reloads by key, alerts, literal text and narrow terminals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from dutyboard.domain.queue import countdown_key
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.tui.app import DutyboardApp
from dutyboard.tui.widgets.board_header import BoardHeader
from dutyboard.tui.widgets.filter_bar import FilterBar
from dutyboard.tui.widgets.queue_countdowns import QueueCountdowns
from dutyboard.tui.widgets.queue_table import QueueTable, compute_layout

SettleFn = Callable[[Pilot[object]], Awaitable[None]]


def ago(board: Board, minutes: float) -> datetime:
    """An instant `minutes` before the board's (stopped) clock; negative for later."""
    return board.now() - timedelta(minutes=minutes)


def table_of(app: DutyboardApp) -> QueueTable:
    return app.queue_screen.query_one(QueueTable)


def line_text(widget: QueueTable | QueueCountdowns, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def notices(app: DutyboardApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def count_bells(app: DutyboardApp) -> list[int]:
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    return rings


async def test_rows_in_queue_order(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """One row per ticket that is not closed, in the contract's order, level 1 first."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        expected = [row.id for row, _next in tickets.queue(board, board.now())]
        assert table.model.order == expected
        assert queue_ids["closed"] not in table.model.order
        # level 1 first, nearest due first: the switch (arrive in 20 min) before the
        # re-classified ticket (restore in 3h30m), then level 2 ...
        assert expected == [
            queue_ids[name] for name in ("switch", "raised", "storage", "onsite", "markup", "question")
        ]
        assert " L1 " in line_text(table, 1) and "L3→" not in line_text(table, 1)
        assert "L3→ L1 " in line_text(table, 2)
        assert table.cursor_id == expected[0]


async def test_header_counts(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """Counts per level, breached and warning, and the engineer, in the header."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        state = app.queue_screen.query_one(BoardHeader).state
        assert state.per_level == (2, 2, 1, 1)
        assert state.breached == len(table_of(app).model.breached)
        assert state.breached == 1  # markup: respond due 10 minutes ago
        assert state.warning == 2  # storage (respond, 5 of 15 min left), switch (arrive, 20 of 120)
        assert state.actor == board.actor == "zhangwei"
        assert state.time == "11-25 14:00"
        assert state.database_ok


def header_line(header: BoardHeader) -> tuple[str, list[str]]:
    """The header as drawn: its text, and the text of each run of one style after the first."""
    segments = [segment.text for segment in header.render_line(0) if segment.text]
    return "".join(segments).rstrip(), segments[1:]


@pytest.mark.parametrize(
    "size, shown, left_out",
    [
        ((120, 40), [" dutyboard  11-25 14:00  zhangwei  L1 2 L2 2 L3 1 L4 1   1 breached   2 warning  4 inspections overdue"], []),
        ((80, 24), [" dutyboard  11-25 14:00  zhangwei  L1 2 L2 2 L3 1 L4 1   1 breached   2 warning"], ["inspections"]),
        ((40, 12), [" 11-25 14:00   1 breached   2 warning"], ["zhangwei", "L1"]),
    ],
)
async def test_header_reads_well_at_every_width(
    board: Board, queue_ids: dict[str, int], settle: SettleFn, size: tuple[int, int], shown: list[str], left_out: list[str]
) -> None:
    """Whole parts, two cells apart, the least telling stepping aside when the width is short; no run starts with a space."""
    app = DutyboardApp(board)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        header = app.queue_screen.query_one(BoardHeader)
        header.set_overdue_inspections(4)
        await pilot.pause()
        text, runs = header_line(header)
        for part in shown:
            assert text == part
        for part in left_out:
            assert part not in text
        # An SVG viewer drops the spaces a run starts with: "dutyboard11-25" in the screenshots.
        assert [run for run in runs if run.strip() and run[0] == " "] == []


async def test_header_keeps_the_database_mark_whatever_the_width(
    board: Board, queue_ids: dict[str, int], settle: SettleFn
) -> None:
    """At 40 columns the unreachable database is still said, before anything else; one inspection is singular."""
    app = DutyboardApp(board)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        header = app.queue_screen.query_one(BoardHeader)
        header.set_database_ok(False)
        header.set_overdue_inspections(1)
        await pilot.pause()
        text, _runs = header_line(header)
        assert text.startswith("  ⚠ database unreachable    1 breached")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        text, _runs = header_line(header)
        assert text.startswith("  ⚠ database unreachable   11-25 14:00  zhangwei")
        assert text.endswith("  1 inspection overdue")


def footer_text(app: DutyboardApp) -> str:
    """The bottom line of the terminal as drawn."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[-1]).rstrip()


async def test_footer_shows_only_keys_that_fit(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """At 120 columns every key shown is whole (quit and inspections too); at 80 the essentials; resizing chooses again."""
    from textual.widgets._footer import FooterKey

    essentials = ["⏎ Open", "/ Filter", "a Ack", "? Help", "q Quit"]
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for size, wanted in [
            ((120, 40), [*essentials, "d Dispatch", "o On site", "r Restored", "c Close", "n Note", "N New", "i Inspections"]),
            ((80, 24), [*essentials, "d Dispatch"]),
            ((120, 40), [*essentials, "i Inspections"]),
        ]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            await pilot.pause()
            line = footer_text(app)
            for key in wanted:
                assert key in line, (size, key, line)
            assert line.endswith("▏^p Commands")
            keys = list(app.screen.query(FooterKey))
            palette = next(key for key in keys if key.has_class("-command-palette"))
            for key in keys:
                if key is not palette:
                    assert key.region.right < palette.region.x, (size, key.key, line)
        # No run of text starts with a space (an SVG viewer drops them: "⏎Open /Filter" in the screenshots).
        runs = [segment.text for segment in app.screen._compositor.render_strips()[-1] if segment.text.strip()]
        assert [run for run in runs if run[0] == " "] == []
        # What the footer leaves out is still a key, listed in help.
        assert "C Crisis" not in footer_text(app)
        await pilot.press("C")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmForm"


async def test_countdowns_as_the_contract_shows_them(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """3h05m far off, 12:34 in the last hour, -0:42 late; breached and warning have their looks."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        live = app.queue_screen.query_one(QueueCountdowns)
        cells = {tid: live.cell(tid) for tid in table.model.order}
        assert cells[queue_ids["storage"]][:2] == ("5:00", "warning")
        assert cells[queue_ids["switch"]][:2] == ("20:00", "warning")
        assert cells[queue_ids["raised"]][:2] == ("3h30m", "normal")
        assert cells[queue_ids["question"]][0] == "4d23h"  # business hours, shown on the wall clock
        assert cells[queue_ids["markup"]][:2] == ("-10:00", "breached")
        assert cells[queue_ids["onsite"]][0] == "2h50m"  # restore: 4 h from 12:50


async def test_a_tick_repaints_only_the_countdown_cells_that_changed(
    board: Board, queue_ids: dict[str, int], settle: SettleFn
) -> None:
    """Each second only changed countdown cells are marked dirty, never a table line."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        live = app.queue_screen.query_one(QueueCountdowns)
        table_regions: list[Any] = []
        live_regions: list[Any] = []
        table_refresh, live_refresh = table.refresh, live.refresh

        def spy_table(*regions: Any, **kw: Any) -> Any:
            table_regions.append(regions)
            return table_refresh(*regions, **kw)

        def spy_live(*regions: Any, **kw: Any) -> Any:
            live_regions.extend(regions or [None])
            return live_refresh(*regions, **kw)

        start = board.now() + timedelta(seconds=10)  # off the minute: far countdowns stay put
        board.clock = lambda: start
        app.tick()
        await pilot.pause()
        table.refresh = spy_table  # type: ignore[method-assign]
        live.refresh = spy_live  # type: ignore[method-assign]
        later = start + timedelta(seconds=1.5)
        board.clock = lambda: later
        app.tick()
        # in the last hour: storage 4:50 -> 4:49, switch 19:50 -> 19:49, markup -10:10 -> -10:12
        assert table_regions == []
        assert len(live_regions) == 3
        assert all(r is not None and r.x == 0 and r.width == live.countdown_width for r in live_regions)
        # a tick that changes nothing shown repaints nothing at all
        await pilot.pause()
        live_regions.clear()
        app.tick()
        assert live_regions == [] and table_regions == []
        await pilot.pause()


async def test_filter_as_you_type(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """`/` filters over id, title, site and asset; Esc clears it."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("slash")
        assert app.focused is app.queue_screen.query_one(FilterBar).input
        await pilot.press(*"qingshan")
        assert set(table.model.order) == {queue_ids["markup"], queue_ids["raised"], queue_ids["onsite"]}
        await pilot.press("space", *"qs-srv")
        assert table.model.order == [queue_ids["onsite"]]
        await pilot.press("escape")
        assert len(table.model.order) == 6
        assert app.focused is table
        # by id, then Enter goes back to the table with the filter kept
        await pilot.press("slash", *str(queue_ids["switch"]), "enter")
        assert queue_ids["switch"] in table.model.order
        assert app.focused is table
        assert app.queue_screen.query_one(FilterBar).has_class("-shown")


async def test_quick_filters_and_order(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """Keys 1-4 toggle levels, b breached only, m mine only, s countdown order."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("1")
        assert {table.model.rows[t].level for t in table.model.order} == {1}
        await pilot.press("2")
        assert {table.model.rows[t].level for t in table.model.order} == {1, 2}
        await pilot.press("1", "2")
        assert len(table.model.order) == 6
        await pilot.press("b")
        assert table.model.order == [queue_ids["markup"]]
        await pilot.press("b", "m")
        assert table.model.order == [queue_ids["switch"]]
        await pilot.press("m", "s")
        rows = {row.id: (row, nxt) for row, nxt in tickets.queue(board, board.now())}
        by_countdown = sorted(rows, key=lambda t: countdown_key(rows[t][0].level, t, rows[t][1]))
        assert table.model.order == by_countdown
        assert by_countdown[:3] == [queue_ids[n] for n in ("markup", "storage", "switch")]
        await pilot.press("s")
        assert table.model.order == list(rows)


async def test_cursor_stays_on_its_ticket_when_another_writer_changes_the_queue(
    board: Board, queue_ids: dict[str, int], settle: SettleFn
) -> None:
    """A new level 1 ticket from another session lands above; the cursor stays, the bell rings once."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = count_bells(app)
        table = table_of(app)
        assert table.move_to_ticket(queue_ids["onsite"])
        before = table.cursor
        board.actor = "lina"
        new = tickets.open_ticket(board, level=1, title="Flood centre power lost", site="FLOOD-CC", at=ago(board, 1))
        tickets.add_note(board, queue_ids["storage"], "called the customer", at=ago(board, 0.5))
        await settle(pilot)
        assert new in table.model.order
        assert table.cursor_id == queue_ids["onsite"]
        assert table.cursor == before + 1
        assert rings == [1]
        assert any(f"New L1 urgent ticket {new}" in n for n in notices(app))
        # a ticket that closes leaves the queue, the cursor still on its own ticket
        tickets.restore(board, queue_ids["question"], at=ago(board, 0.1))
        tickets.close(board, queue_ids["question"], at=board.now())
        await settle(pilot)
        assert queue_ids["question"] not in table.model.order
        assert table.cursor_id == queue_ids["onsite"]


async def test_reload_repaints_only_changed_lines(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """A note on one ticket re-reads that ticket only and keeps every other row object."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        kept = dict(table.model.rows)
        tickets.add_note(board, queue_ids["storage"], "on the phone", at=ago(board, 1))
        seen: list[Any] = []
        original = table.apply_rows

        def spy(rows: Any, at: Any, **kw: Any) -> Any:
            rows = list(rows)
            seen.append(([r.id for r in rows], kw))
            return original(rows, at, **kw)

        table.apply_rows = spy  # type: ignore[method-assign]
        await settle(pilot)
        assert seen == [([queue_ids["storage"]], {"removed": [], "replace_all": False})]
        for tid, row in kept.items():
            if tid != queue_ids["storage"]:
                assert table.model.rows[tid] is row


async def test_bell_on_sweep_escalation(board: Board, settle: SettleFn) -> None:
    """The background sweep escalates an overdue level 3: bell once, and a notification saying so."""
    late = tickets.open_ticket(board, level=3, title="Backup job failing", at=ago(board, 24 * 60 + 10))
    tickets.acknowledge(board, late, at=ago(board, 24 * 60))
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        rings = count_bells(app)
        await settle(pilot)  # first load, then the sweep
        await settle(pilot)  # the escalated row comes back
        assert rings == [1]
        assert any(f"Ticket {late} escalated automatically from L3 to L2" in n for n in notices(app))
        table = table_of(app)
        assert table.model.rows[late].level == 2
        assert "L3→" in line_text(table, 1)


async def test_bell_on_new_breach(board: Board, settle: SettleFn) -> None:
    """A clock crossing its due while the screen is up rings once, without a database read."""
    tid = tickets.open_ticket(board, level=2, title="Video storage degraded", at=ago(board, 14))
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = count_bells(app)
        later = ago(board, -1.5)  # a minute and a half later
        board.clock = lambda: later
        app.tick()
        app.tick()
        await pilot.pause()
        assert rings == [1]
        assert any(f"Ticket {tid} breached its respond clock" in n for n in notices(app)), notices(app)
        assert app.queue_screen.query_one(BoardHeader).state.breached == 1


async def test_no_bell_when_turned_off(board: Board, settle: SettleFn) -> None:
    """bell = false and notify = false in the config silence both."""
    board.config = type(board.config)(timezone="Asia/Shanghai", bell=False, notify=False)
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = count_bells(app)
        tickets.open_ticket(board, level=1, title="Power lost", at=ago(board, 1))
        await settle(pilot)
        assert rings == []
        assert not any("Power lost" in n for n in notices(app))


async def test_text_from_the_database_is_shown_literally(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """A title with [bold] shows [bold]; an escape character shows as a symbol, never reaches the terminal."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        index = table.model.order.index(queue_ids["markup"])
        text = line_text(table, index + 1)
        assert "Title with [bold]markup[/bold] ␛[31m" in text
        assert "\x1b" not in text


async def test_narrow_terminals(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """80×24 drops owner then bar; 40×12 and resizing never crash."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        assert {c.key for c in table._layout.columns} >= {"owner", "bar", "site"}  # type: ignore[union-attr]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        header = line_text(table, 0)
        live = app.queue_screen.query_one(QueueCountdowns)
        assert "Owner" not in header and "Site / asset" in header
        assert "Due in" in line_text(live, 0) and "Used" not in line_text(live, 0)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert "Title" in line_text(table, 0)
        await pilot.press("G", "g", "j", "k")
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.is_running
        assert "Owner" in line_text(table, 0)


@pytest.mark.parametrize("width", [40, 79, 80, 100, 119, 160, 240])
def test_layout_fills_the_width(width: int) -> None:
    """The columns fill the line exactly, the live cells (countdown, bar) end it."""
    layout = compute_layout(width, 4)
    last = layout.columns[-1]
    assert last.x + last.width == width
    assert layout.live_x + layout.live_width == width
    keys = [c.key for c in layout.columns]
    assert "title" in keys and "countdown" in keys


def test_layout_drops_owner_then_bar_then_site() -> None:
    """Columns that do not fit step aside in a fixed order."""
    def keys(width: int) -> set[str]:
        return {c.key for c in compute_layout(width, 4).columns}

    assert {"owner", "bar", "site"} <= keys(119)
    assert "owner" not in keys(90) and "bar" in keys(90)
    assert {"owner", "bar"}.isdisjoint(keys(79)) and "site" in keys(79)
    assert {"owner", "bar", "site"}.isdisjoint(keys(60))


async def test_keys_move_and_mouse_selects(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """Arrows and vim keys move, g/G jump, a click selects a row."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("j", "down")
        assert table.cursor == 2
        await pilot.press("k")
        assert table.cursor == 1
        await pilot.press("G")
        assert table.cursor == len(table.model.order) - 1
        await pilot.press("g")
        assert table.cursor == 0
        await pilot.click(QueueTable, offset=(30, 4))
        assert table.cursor == 3


async def test_triage_keys_call_run_action(board: Board, queue_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch, settle: SettleFn) -> None:
    """Each action key from ACTIONS runs that action on the cursor's ticket with its version."""
    from dutyboard.tui import actions

    calls: list[tuple[str, int | None, int | None]] = []

    async def fake_run_action(app: Any, action_id: str, ticket_id: int | None, version: int | None) -> None:
        calls.append((action_id, ticket_id, version))

    monkeypatch.setattr(actions, "run_action", fake_run_action)
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = table_of(app).cursor_row
        assert row is not None
        for action_id, key, _label, needs_ticket in actions.ACTIONS:
            await pilot.press(key)
            await pilot.pause()
            expected = (action_id, row.id, row.version) if needs_ticket else (action_id, None, None)
            assert calls[-1] == expected
        assert len(calls) == len(actions.ACTIONS)


async def test_enter_opens_the_detail(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """Enter pushes the ticket's detail screen."""
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TicketDetailScreen"
        assert table_of(app).cursor_id == tickets.queue(board, board.now())[1][0].id


async def test_help_lists_every_key(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """`?` lists every binding of the queue, the triage keys included; Esc closes it."""
    from dutyboard.tui.actions import ACTIONS
    from dutyboard.tui.screens.help import HelpScreen

    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        keys = " ".join(k for k, _d in screen.rows)
        descriptions = {d for _k, d in screen.rows}
        for _id, key, label, _needs in ACTIONS:
            assert key in keys.split()
            assert label in descriptions
        for wanted in ("Filter", "Breached only", "Mine only", "Contract / countdown order", "Level 1 only", "Down", "First ticket", "Last ticket", "Quit"):
            assert wanted in descriptions
        assert "j" in keys.split() and "G" in keys.split()
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_has_every_action(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """The palette offers the queue's actions and every triage action by name."""
    from dutyboard.tui.actions import ACTIONS
    from dutyboard.tui.commands import QUEUE_COMMANDS, DashboardCommands

    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = DashboardCommands(app.screen)
        labels = {label for label, _callback, _help in provider.commands()}
        assert {label for _a, label, _k in QUEUE_COMMANDS} <= labels
        assert {label for _a, _k, label, _n in ACTIONS} <= labels
        # running one by name does what its key does
        callback = next(cb for label, cb, _h in provider.commands() if label == "Show breached tickets only (toggle)")
        await callback()  # type: ignore[misc]
        assert table_of(app).model.filter.breached_only


async def test_database_unreachable_is_marked(board: Board, queue_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch, settle: SettleFn) -> None:
    """When a poll fails the header says so; the next good poll clears the mark."""
    from dutyboard.store import db as store

    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def broken() -> int:
            raise store.StoreUnavailable("disk gone")

        working = store.change_marker
        monkeypatch.setattr(store, "change_marker", broken)
        await settle(pilot)
        header = app.queue_screen.query_one(BoardHeader)
        assert not header.state.database_ok
        assert "database unreachable" in str(header.render())
        monkeypatch.setattr(store, "change_marker", working)
        await settle(pilot)
        assert header.state.database_ok


def test_fixture_is_what_the_tests_say(board: Board, queue_ids: dict[str, int]) -> None:
    """The shared fixture: six open tickets, one closed."""
    assert len(tickets.queue(board, board.now())) == len(queue_ids) - 1


def test_snapshot_queue_120x40(board: Board, queue_ids: dict[str, int], snap_compare: Any, settle: SettleFn) -> None:
    """The queue at a comfortable size."""
    assert snap_compare(DutyboardApp(board), terminal_size=(120, 40), run_before=settle)


def test_snapshot_queue_80x24(board: Board, queue_ids: dict[str, int], snap_compare: Any, settle: SettleFn) -> None:
    """The queue at 80×24: owner and bar step aside."""
    assert snap_compare(DutyboardApp(board), terminal_size=(80, 24), run_before=settle)


def test_snapshot_queue_filtered(board: Board, queue_ids: dict[str, int], snap_compare: Any, settle: SettleFn) -> None:
    """The filter line with a text filter, a quick filter and countdown order."""

    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("2", "s", "slash", *"qing")

    assert snap_compare(DutyboardApp(board), terminal_size=(120, 40), run_before=run_before)


def test_snapshot_queue_no_color(
    board: Board, queue_ids: dict[str, int], snap_compare: Any, settle: SettleFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: badges, breaches and the cursor stay readable without colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(DutyboardApp(board), terminal_size=(80, 24), run_before=settle)


def test_budget_bar_and_countdown_cell() -> None:
    """The bar fills by eighths and never overflows; a clock that does not run shows nothing."""
    from datetime import UTC

    from dutyboard.domain.clocks import Clock
    from dutyboard.tui.widgets.countdown import budget_bar, countdown_cell

    assert budget_bar(0.0, 8) == "········"
    assert budget_bar(0.5, 8) == "████····"
    assert budget_bar(0.5 + 1 / 64, 8) == "████▏···"
    assert budget_bar(3.0, 8) == "████████"
    assert budget_bar(0.5, 0) == ""
    start = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    clock = Clock(start, start + timedelta(minutes=15), start + timedelta(seconds=450), None)
    assert countdown_cell(clock, start + timedelta(minutes=5)).text == "10:00"
    assert countdown_cell(clock, start + timedelta(minutes=10)).look == "warning"
    late = countdown_cell(clock, start + timedelta(minutes=15, seconds=42))
    assert (late.text, late.look) == ("-0:42", "breached")
    assert countdown_cell(None, start).text == ""
    done = Clock(start, start + timedelta(minutes=15), None, start + timedelta(minutes=3))
    assert countdown_cell(done, start).text == ""


async def test_no_color_alarms_stand_out(
    board: Board, queue_ids: dict[str, int], settle: SettleFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With NO_COLOR the level 1 count and a breached countdown are bright against their ground, not grey on grey."""
    from textual.color import Color
    from textual.strip import Strip

    def contrast(strip: Strip, text: str) -> float:
        for line_filter in app.get_line_filters():
            strip = strip.apply_filter(line_filter, Color(0, 0, 0))
        segment = next(segment for segment in strip if segment.text.strip() == text)
        assert segment.style is not None and segment.style.color is not None and segment.style.bgcolor is not None
        fg = Color.from_rich_color(segment.style.color).brightness
        bg = Color.from_rich_color(segment.style.bgcolor).brightness
        return abs(fg - bg)

    monkeypatch.setenv("NO_COLOR", "1")
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = app.queue_screen.query_one(BoardHeader)
        texts = [segment.text for segment in header.render_line(0)]
        assert texts[texts.index("L1 ") + 1] == "2"
        assert contrast(header.render_line(0), "2") > 0.4
        live = app.queue_screen.query_one(QueueCountdowns)
        row = next(y for y in range(1, 8) if "-10:00" in line_text(live, y))
        assert contrast(live.render_line(row), "-10:00") > 0.4


async def test_help_names_the_palette_key_as_the_footer_does(
    board: Board, queue_ids: dict[str, int], settle: SettleFn
) -> None:
    """Help writes the palette's key `^p`, as the footer and the other ctrl keys (`^q`, `^d`) do."""
    from dutyboard.tui.screens.help import HelpScreen

    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("^p", "Command palette: every action by name") in app.screen.rows


async def test_a_ticket_waiting_to_be_closed_says_no_clock_runs(board: Board, queue_ids: dict[str, int], settle: SettleFn) -> None:
    """Restored with its report filed, no clock runs: the clock column says so with a dash, not a blank."""
    parts = dict.fromkeys(("cause", "response", "process", "result", "precautions"), "done")
    tid = tickets.open_ticket(board, level=4, title="Waiting for the customer to confirm", site="HQ-DC", at=ago(board, 90))
    tickets.acknowledge(board, tid, at=ago(board, 80))
    tickets.restore(board, tid, at=ago(board, 60))
    tickets.submit_report(board, tid, parts, at=ago(board, 30))
    app = DutyboardApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        line = line_text(table, 1 + table.model.order.index(tid))
        assert line.split()[-2:] == ["restored", "—"]
