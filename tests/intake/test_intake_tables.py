"""backup, restore, migrate --to and check carry the tokens and the tickets' dedup keys and repeats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dutyboard.service import tickets, tokens
from dutyboard.service.board import Board
from dutyboard.store.intake_models import ApiToken


def _cli(target: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DUTYBOARD_TIMEZONE": "Asia/Shanghai", "DUTYBOARD_USER": "zhangwei"}
    return subprocess.run([sys.executable, "-m", "dutyboard", "--db", target, *args], env=env,
                          capture_output=True, text=True, timeout=120)


def _fill(target: str) -> str:
    """A board with a token and a ticket repeated twice; returns the token."""
    board = Board.open(target, actor="zhangwei")
    try:
        _info, secret = tokens.add_token(board, "alertmanager", "engineer")
        for _ in range(3):
            tickets.open_or_repeat(board, level=2, title="Disk full", dedup_key="fp-1")
    finally:
        board.close()
    return secret


def _assert_carried(target: str, secret: str) -> None:
    board = Board.open(target, actor="zhangwei")
    try:
        assert [t.name for t in ApiToken.select()] == ["alertmanager"]
        assert tokens.authenticate(secret) == tokens.Principal("alertmanager", "engineer")
        (row, _next), = tickets.queue(board)
        shown = tickets.view(board, row.id)
        assert (shown.dedup_key, shown.repeats) == ("fp-1", 2) and shown.last_repeat_at
        again = tickets.open_or_repeat(board, level=2, title="Disk full", dedup_key="fp-1")
        assert again.deduplicated and again.count == 4
    finally:
        board.close()
    checked = _cli(target, "check", "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"], checked.stdout


def test_backup_and_restore_carry_them(sqlite_url: str, tmp_path: Path) -> None:
    secret = _fill(sqlite_url)
    copy = tmp_path / "backup.db"
    made = _cli(sqlite_url, "backup", str(copy), "--json")
    assert made.returncode == 0, made.stderr
    fresh = str(tmp_path / "restored.db")
    restored = _cli(fresh, "restore", str(copy), "--json")
    assert restored.returncode == 0, restored.stderr
    _assert_carried(fresh, secret)


@pytest.mark.postgres
def test_migrate_to_postgresql_carries_them(sqlite_url: str, postgres_url: str) -> None:
    secret = _fill(sqlite_url)
    moved = _cli(sqlite_url, "migrate", "--to", postgres_url, "--json")
    assert moved.returncode == 0, moved.stderr
    assert json.loads(moved.stdout)["counts"]["api_token"] == 1
    _assert_carried(postgres_url, secret)
