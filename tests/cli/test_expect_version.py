"""Exit status 3 from the command line: `--expect-version N` on every ticket write refuses a
change made on a stale reading of status, level, owner or crisis; a note in between is none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from dutyboard.cli.main import main

Run = Callable[..., tuple[int, str, str]]
NOW = "2026-11-26T12:00:00+08:00"


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


def version(cli: Run) -> int:
    status, out, err = cli("ticket", "show", "1", "--json")
    assert status == 0, err
    return int(json.loads(out)["version"])


WRITES = [
    ("ack", "1"),
    ("dispatch", "1", "--to", "lina"),
    ("arrive", "1"),
    ("restore", "1"),
    ("report", "1", "--text", "cause: fan"),
    ("close", "1"),
]


def test_every_ticket_write_takes_the_expected_version(cli: Run) -> None:
    assert cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T10:00")[0] == 0
    for op, *rest in WRITES:
        v = version(cli)
        status, out, err = cli("ticket", op, *rest, "--expect-version", str(v), "--json")
        assert status == 0, (op, err)
        assert json.loads(out)["version"] == v + 1


def test_a_stale_version_is_a_conflict_and_changes_nothing(cli: Run) -> None:
    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T10:00")
    seen = version(cli)
    assert cli("ticket", "ack", "1")[0] == 0  # a colleague acknowledges
    for argv in (
        ("ticket", "level", "1", "2", "--reason", "wider"),
        ("ticket", "dispatch", "1", "--to", "lina"),
        ("ticket", "crisis", "1"),
        ("ticket", "note", "1", "on my way"),
    ):
        status, out, err = cli(*argv, "--expect-version", str(seen))
        assert status == 3, (argv, err)
        assert err.strip() and "Traceback" not in err and out == ""
    assert version(cli) == seen + 1


def test_a_note_in_between_is_no_conflict(cli: Run) -> None:
    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T10:00")
    cli("ticket", "ack", "1")
    seen = version(cli)
    assert cli("ticket", "note", "1", "vendor on the phone")[0] == 0
    assert cli("ticket", "note", "1", "still on the phone")[0] == 0
    status, out, err = cli("ticket", "restore", "1", "--expect-version", str(seen), "--json")
    assert status == 0, err
    assert json.loads(out)["status"] == "restored"
    # ... but the restore changed the status: a reading from before it is stale now.
    assert cli("ticket", "crisis", "1", "--expect-version", str(seen))[0] == 3


def test_an_escalation_by_the_sweep_makes_a_reading_stale(cli: Run) -> None:
    cli("ticket", "open", "--level", "2", "--title", "core", "--at", "2026-11-26T07:00")
    seen = version(cli)
    cli("sweep")  # restore due 11:00, now 12:00: level 2 → 1
    assert cli("ticket", "level", "1", "3", "--reason", "minor", "--expect-version", str(seen))[0] == 3


@pytest.mark.parametrize("bad", ["0", "-1", "99", "x", "9223372036854775808"])
def test_a_version_the_ticket_never_had_is_bad_input(cli: Run, bad: str) -> None:
    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T10:00")
    status, _, err = cli("ticket", "ack", "1", "--expect-version", bad)
    assert status == 2 and err.strip() and "Traceback" not in err
    assert version(cli) == 1


def test_two_concurrent_level_changes_from_one_reading_one_wins(
    cli: Run, db_url: str
) -> None:
    cli("ticket", "open", "--level", "3", "--title", "fan", "--at", "2026-11-26T10:00")
    seen = str(version(cli))
    env = {**os.environ, "DUTYBOARD_DB": db_url, "DUTYBOARD_TIMEZONE": "Asia/Shanghai",
           "DUTYBOARD_NOW": NOW}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dutyboard", "ticket", "level", "1", level, "--reason", reason,
             "--expect-version", seen],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for level, reason in (("2", "wider"), ("1", "data loss"))
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in runs]
    for p in runs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    assert sorted(status for status, _ in results) == [0, 3], results
    winner = [("2", "1")[i] for i, (status, _) in enumerate(results) if status == 0][0]
    status, out, _ = cli("ticket", "show", "1", "--json")
    data = json.loads(out)
    assert str(data["level"]) == winner and data["version"] == int(seen) + 1
    assert [e["kind"] for e in data["events"]].count("level") == 1
