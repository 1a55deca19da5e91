"""The command line of the contract, in process: JSON shapes, exit statuses, clear messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dutyboard.cli.main import main


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DUTYBOARD_DB", str(tmp_path / "board.db"))
    monkeypatch.setenv("DUTYBOARD_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("DUTYBOARD_USER", "zhangwei")

    def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_open_show_json_shape(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli(
        "ticket", "open", "--level", "2", "--title", "Core switch down", "--service", "hardware",
        "--site", "HQ-DC", "--at", "2026-11-25T10:00:00+08:00", "--json", capsys=capsys,
    )
    assert status == 0, err
    data = json.loads(out)
    assert data["id"] == 1 and data["level"] == 2 and data["initial_level"] == 2
    assert data["status"] == "open" and data["service"] == "hardware"
    assert data["reported_at"] == "2026-11-25T10:00:00+08:00"
    assert data["clocks"]["respond"] == {
        "due": "2026-11-25T10:15:00+08:00", "done_at": None, "state": "running", "warning": False,
    }
    assert set(data["clocks"]) == {"respond", "arrive", "restore", "report", "update"}
    assert data["escalations"] == []
    assert data["events"][0]["kind"] == "opened" and data["events"][0]["by"] == "zhangwei"
    status, out, _ = cli("ticket", "show", "1", "--json", capsys=capsys)
    assert json.loads(out)["id"] == 1


def test_lifecycle_and_exit_statuses(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-25T10:00", capsys=capsys)
    assert cli("ticket", "close", "1", capsys=capsys)[0] == 2  # does not fit
    assert cli("ticket", "ack", "1", "--at", "2026-11-25T10:05", capsys=capsys)[0] == 0
    assert cli("ticket", "dispatch", "1", "--to", "lina", "--at", "2026-11-25T10:10", capsys=capsys)[0] == 0
    assert cli("ticket", "arrive", "1", "--at", "2026-11-25T12:00", capsys=capsys)[0] == 0
    assert cli("ticket", "restore", "1", "--at", "2026-11-25T13:00", capsys=capsys)[0] == 0
    status, _, err = cli("ticket", "close", "1", "--at", "2026-11-25T13:10", capsys=capsys)
    assert status == 2 and "report" in err
    assert cli("ticket", "report", "1", "--text", "fan bearing worn", "--at", "2026-11-25T14:00", capsys=capsys)[0] == 0
    status, out, _ = cli("ticket", "close", "1", "--at", "2026-11-25T14:10", "--json", capsys=capsys)
    assert status == 0 and json.loads(out)["status"] == "closed"
    status, out, _ = cli("queue", "--json", capsys=capsys)
    assert json.loads(out) == []


@pytest.mark.parametrize(
    "argv",
    [
        ("ticket", "open", "--level", "7", "--title", "x"),
        ("ticket", "open", "--level", "x", "--title", "x"),
        ("ticket", "open", "--level", "1"),
        ("ticket", "open", "--level", "1", "--title", "x", "--at", "yesterday"),
        ("ticket", "open", "--level", "1", "--title", "x", "--channel", "fax"),
        ("ticket", "ack", "42"),
        ("ticket", "ack", "abc"),
        ("ticket", "level", "1", "2"),
        ("calendar", "set", "2026-13-01", "work"),
        ("calendar", "show", "20x6"),
        ("ticket",),
        ("bogus",),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(cli, capsys, argv) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli(*argv, capsys=capsys)
    assert status == 2
    assert err.strip() and "Traceback" not in err


def test_queue_json_shape(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    cli("ticket", "open", "--level", "3", "--title", "a", "--at", "2026-11-25T09:00", capsys=capsys)
    cli("ticket", "open", "--level", "1", "--title", "b", "--at", "2026-11-25T11:50", capsys=capsys)
    status, out, _ = cli("queue", "--at", "2026-11-25T12:00:00+08:00", "--json", capsys=capsys)
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [2, 1]
    assert rows[0] == {
        "id": 2, "level": 1, "status": "open", "title": "b", "next_clock": "respond",
        "next_due": "2026-11-25T12:05:00+08:00", "seconds_left": 300,
    }


def test_sweep_json(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    cli("ticket", "open", "--level", "2", "--title", "a", "--at", "2026-11-25T10:00", capsys=capsys)
    status, out, _ = cli("sweep", "--at", "2026-11-25T14:00:01", "--json", capsys=capsys)
    assert status == 0
    assert json.loads(out) == [
        {"id": 1, "from_level": 2, "to_level": 1, "at": "2026-11-25T14:00:00+08:00", "kind": "auto"}
    ]
    status, out, _ = cli("sweep", "--at", "2026-11-25T14:00:01", "--json", capsys=capsys)
    assert json.loads(out) == []


def test_calendar_set_moves_business_dues(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    cli("ticket", "open", "--level", "3", "--title", "dev", "--service", "development",
        "--at", "2026-11-26T15:00", capsys=capsys)  # Thursday: restore due Tue 12-01 15:00
    status, out, _ = cli("ticket", "show", "1", "--json", capsys=capsys)
    assert json.loads(out)["clocks"]["restore"]["due"] == "2026-12-01T15:00:00+08:00"
    assert cli("calendar", "set", "2026-11-27", "off", capsys=capsys)[0] == 0
    status, out, _ = cli("ticket", "show", "1", "--json", capsys=capsys)
    assert json.loads(out)["clocks"]["restore"]["due"] == "2026-12-02T15:00:00+08:00"


def test_unknown_year_is_said_once(cli, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DUTYBOARD_NOW", "2027-03-04T10:00:00+08:00")
    status, out, err = cli(
        "ticket", "open", "--level", "3", "--title", "dev", "--service", "development",
        "--at", "2027-03-04T10:00", "--json", capsys=capsys,
    )
    assert status == 0
    assert err.count("2027") == 1
    assert json.loads(out)["clocks"]["restore"]["due"] == "2027-03-09T10:00:00+08:00"


def test_ticket_show_does_not_import_textual(tmp_path: Path) -> None:
    env = {**os.environ, "DUTYBOARD_DB": str(tmp_path / "b.db"), "DUTYBOARD_TIMEZONE": "Asia/Shanghai"}
    code = (
        "import sys\nfrom dutyboard.cli.main import main\n"
        "main(['ticket','open','--level','1','--title','x'])\n"
        "main(['ticket','show','1','--json'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
