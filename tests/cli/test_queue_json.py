"""One JSON form of a queue row: `queue --json` and `ticket show --json` agree to the second."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutyboard.cli.main import main

QUEUE_KEYS = ("id", "level", "status", "title", "next_clock", "next_due", "seconds_left")


@pytest.fixture(autouse=True)
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYBOARD_DB", str(tmp_path / "board.db"))
    monkeypatch.setenv("DUTYBOARD_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("DUTYBOARD_USER", "zhangwei")


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    ("at", "seconds_left"),
    [
        ("2026-11-25T10:14:49.700", 10),  # 10.3 s to go: 10 whole seconds left
        ("2026-11-25T10:15:10.300", -11),  # breached 10.3 s ago, as its countdown shows (-0:11)
        ("2026-11-25T10:15:00", 0),
    ],
)
def test_queue_and_show_give_the_same_row_at_the_same_instant(
    capsys: pytest.CaptureFixture[str], at: str, seconds_left: int
) -> None:
    _json(capsys, "ticket", "open", "--level", "1", "--title", "core switch down",
          "--at", "2026-11-25T10:00:00", "--json")
    queue = _json(capsys, "queue", "--at", at, "--json")
    shown = _json(capsys, "ticket", "show", "1", "--at", at, "--json")
    assert isinstance(queue, list) and isinstance(shown, dict)
    assert queue[0]["seconds_left"] == seconds_left
    assert queue[0]["next_clock"] == "respond"
    assert queue[0]["next_due"] == "2026-11-25T10:15:00+08:00"
    assert {key: shown[key] for key in QUEUE_KEYS} == queue[0]
