"""Instants: how far back and ahead a write may be dated, what a late step does
to the automatic escalations after it, and the range read commands accept. On both engines,
through the command line in process, with the program's now fixed by DUTYBOARD_NOW."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from dutyboard.cli.main import main

NOW = "2026-11-26T10:05:00+08:00"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture()
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    monkeypatch.setenv("DUTYBOARD_DB", db_url)
    monkeypatch.setenv("DUTYBOARD_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("DUTYBOARD_NOW", NOW)

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def show(cli: Run, ticket: int = 1, *extra: str) -> dict:  # type: ignore[type-arg]
    status, out, err = cli("ticket", "show", str(ticket), *extra, "--json")
    assert status == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def _refused(result: tuple[int, str, str]) -> str:
    status, out, err = result
    assert status == 2, (out, err)
    assert err.strip() and "Traceback" not in err and len(err.strip().splitlines()) == 1
    return err


def test_a_write_may_be_dated_at_most_five_minutes_ahead(cli: Run) -> None:
    assert cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T09:00")[0] == 0
    before = show(cli)
    _refused(cli("ticket", "ack", "1", "--at", "2026-11-26T10:10:01"))
    _refused(cli("ticket", "open", "--level", "2", "--title", "x", "--at", "2026-11-26T12:00"))
    assert show(cli) == before
    assert cli("ticket", "list", "--json")[1].count('"id"') == 1
    assert cli("ticket", "ack", "1", "--at", "2026-11-26T10:09:00")[0] == 0  # skew allowed
    assert show(cli)["status"] == "acknowledged"


def test_a_write_is_never_dated_before_the_last_step_by_a_person(cli: Run) -> None:
    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T08:00")
    cli("ticket", "ack", "1", "--at", "2026-11-26T08:10")
    assert cli("ticket", "note", "1", "called back", "--at", "2026-11-26T09:00")[0] == 0
    before = show(cli)
    for argv in (
        ("ticket", "dispatch", "1", "--to", "lina", "--at", "2026-11-26T08:59"),
        ("ticket", "note", "1", "too early", "--at", "2026-11-26T08:30"),
        ("ticket", "level", "1", "2", "--reason", "wider", "--at", "2026-11-26T08:30"),
        ("ticket", "crisis", "1", "--at", "2026-11-26T08:30"),
    ):
        _refused(cli(*argv))
    assert show(cli) == before
    assert cli("ticket", "dispatch", "1", "--at", "2026-11-26T09:00")[0] == 0  # the same instant fits


def test_sweep_looks_ahead_only_as_a_preview(cli: Run) -> None:
    cli("ticket", "open", "--level", "2", "--title", "core switch", "--at", "2026-11-26T08:00")
    _refused(cli("sweep", "--at", "2026-11-26T14:05", "--json"))
    assert show(cli)["level"] == 2 and show(cli)["escalations"] == []
    status, out, err = cli("sweep", "--at", "2026-11-26T14:05", "--preview", "--json")
    assert status == 0, err
    assert json.loads(out) == [
        {"id": 1, "from_level": 2, "to_level": 1, "at": "2026-11-26T12:00:00+08:00", "kind": "auto"},
    ]
    after = show(cli)
    assert after["level"] == 2 and after["escalations"] == [] and len(after["events"]) == 1
    status, out, _ = cli("sweep", "--json")  # now (10:05): nothing is due yet
    assert status == 0 and json.loads(out) == []


def test_a_late_restore_withdraws_the_escalation_it_made_void(cli: Run) -> None:
    # Level 2, reported 05:50: restore due 09:50. The sweep at 10:00 escalated at 09:50; the
    # engineer then enters the restore that happened at 09:45.
    cli("ticket", "open", "--level", "2", "--title", "storage", "--at", "2026-11-26T05:50")
    cli("ticket", "ack", "1", "--at", "2026-11-26T05:55")
    status, out, _ = cli("sweep", "--at", "2026-11-26T10:00", "--json")
    assert [r["to_level"] for r in json.loads(out)] == [1]
    assert show(cli)["level"] == 1
    status, _, err = cli("ticket", "restore", "1", "--at", "2026-11-26T09:45")
    assert status == 0, err
    data = show(cli)
    assert data["level"] == 2 and data["status"] == "restored"
    assert data["escalations"] == []
    assert data["clocks"]["restore"]["state"] == "met"
    assert data["clocks"]["restore"]["done_at"] == "2026-11-26T09:45:00+08:00"
    withdrawn = [e for e in data["events"] if e["kind"] == "withdrawn"]
    escalated = [e for e in data["events"] if e["kind"] == "escalated"]
    assert len(withdrawn) == 1 and len(escalated) == 1
    assert withdrawn[0]["by"] == "system" and withdrawn[0]["event"] == escalated[0]["id"]
    status, out, err = cli("check", "--json")
    assert status == 0 and json.loads(out)["ok"], out
    status, out, _ = cli("sweep", "--json")
    assert json.loads(out) == []  # nothing comes back


def test_a_late_step_that_does_not_stop_the_clock_keeps_the_escalation(cli: Run) -> None:
    cli("ticket", "open", "--level", "2", "--title", "storage", "--at", "2026-11-26T05:50")
    cli("sweep", "--at", "2026-11-26T10:00")
    assert cli("ticket", "ack", "1", "--at", "2026-11-26T09:45")[0] == 0
    data = show(cli)
    assert data["level"] == 1 and data["status"] == "acknowledged"
    assert [e["to_level"] for e in data["escalations"]] == [1]
    assert not [e for e in data["events"] if e["kind"] == "withdrawn"]
    assert json.loads(cli("check", "--json")[1])["ok"]


def test_a_late_reclassification_withdraws_later_escalations_and_the_sweep_recomputes(cli: Run) -> None:
    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-25T09:00")
    cli("sweep", "--at", "2026-11-26T09:30")  # restore (24 h) breached at 09:00: 3 → 2
    assert show(cli)["level"] == 2
    assert cli("ticket", "level", "1", "4", "--reason", "cosmetic", "--at", "2026-11-26T08:00")[0] == 0
    data = show(cli)
    assert data["level"] == 4 and data["escalations"] == []
    assert [e["kind"] for e in data["events"]][-2:] == ["withdrawn", "level"]
    status, out, _ = cli("sweep", "--json")
    # Level 4 has 24 h too, counted from the report: breached at 09:00 again, as the history gives.
    assert [(r["from_level"], r["to_level"], r["at"]) for r in json.loads(out)] == [
        (4, 3, "2026-11-26T09:00:00+08:00")
    ]
    assert json.loads(cli("check", "--json")[1])["ok"]


def test_a_restored_ticket_cannot_be_reclassified(cli: Run) -> None:
    cli("ticket", "open", "--level", "1", "--title", "db", "--at", "2026-11-26T08:00")
    cli("ticket", "ack", "1", "--at", "2026-11-26T08:05")
    cli("ticket", "restore", "1", "--at", "2026-11-26T09:00")
    _refused(cli("ticket", "level", "1", "4", "--reason", "not that bad"))
    assert show(cli)["level"] == 1
    _refused(cli("ticket", "close", "1"))  # still needs its fault analysis report


@pytest.mark.parametrize(
    "argv",
    [
        ("ticket", "crisis", "1", "--at", "9999-12-31T23:59:59"),
        ("ticket", "ack", "1", "--at", "0001-01-01T00:00:00"),
        ("ticket", "show", "1", "--at", "9999-12-31T23:59:59"),
        ("ticket", "show", "1", "--at", "0001-01-01T00:00:00+14:00"),
        ("ticket", "show", "1", "--at", "1969-12-31T23:59:59"),
        ("ticket", "show", "1", "--at", "2100-01-01T00:00:00"),
        ("queue", "--at", "2100-01-01T00:00:00"),
        ("queue", "--at", "9999-12-31T23:59:59-12:00"),
        ("sweep", "--at", "0001-01-01T00:00:00"),
        ("sweep", "--preview", "--at", "9999-12-31T23:59:59"),
    ],
)
def test_instants_outside_1970_to_2100_are_refused_and_change_nothing(cli: Run, argv: tuple[str, ...]) -> None:
    cli("ticket", "open", "--level", "2", "--title", "x", "--at", "2026-11-26T08:00")
    before = show(cli)
    _refused(cli(*argv))
    assert show(cli) == before


def test_instants_at_the_edges_of_the_range_are_read(cli: Run) -> None:
    cli("ticket", "open", "--level", "2", "--title", "x", "--at", "2026-11-26T08:00")
    assert show(cli, 1, "--at", "1970-01-01T00:00:00")["id"] == 1
    assert show(cli, 1, "--at", "2099-12-31T23:59:59")["clocks"]["respond"]["state"] == "breached"
    assert cli("queue", "--at", "2099-12-31T23:59:59", "--json")[0] == 0
    assert cli("sweep", "--preview", "--at", "2099-12-31T23:59:59", "--json")[0] == 0


@pytest.mark.parametrize("now", ["9999-12-31T23:59:59", "0001-01-01T00:00:00", "1969-07-20T20:17:00Z"])
def test_a_program_clock_outside_the_range_is_refused(
    cli: Run, monkeypatch: pytest.MonkeyPatch, now: str
) -> None:
    cli("ticket", "open", "--level", "2", "--title", "x", "--at", "2026-11-26T08:00")
    before = show(cli)
    monkeypatch.setenv("DUTYBOARD_NOW", now)
    err = _refused(cli("ticket", "crisis", "1"))
    assert "DUTYBOARD_NOW" in err
    _refused(cli("queue"))
    monkeypatch.setenv("DUTYBOARD_NOW", NOW)
    assert show(cli) == before


def test_a_committed_write_exits_0_even_when_printing_it_fails(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dutyboard.cli import main as cli_main

    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T08:00")

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("the view cannot be made")

    with monkeypatch.context() as patched:
        patched.setattr(cli_main, "_show_ticket", broken)
        status, _, err = cli("ticket", "ack", "1")
    assert status == 0 and "the view cannot be made" in err and "Traceback" not in err
    assert show(cli)["status"] == "acknowledged"
