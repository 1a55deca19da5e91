"""The archive's tests: the command line in process on a SQLite board (archive_support), a Board
on each backend, and CSV files written on the spot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from archive_support import Cli

from dutyboard.config import Config
from dutyboard.service.board import Board


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    db = tmp_path / "board.db"
    monkeypatch.setenv("DUTYBOARD_DB", str(db))
    monkeypatch.setenv("DUTYBOARD_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("DUTYBOARD_USER", "zhangwei")
    monkeypatch.setenv("DUTYBOARD_NOW", "2026-11-25T09:00:00+08:00")
    return Cli(capsys, db)


@pytest.fixture()
def board(db_url: str) -> Iterator[Board]:
    board = Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    yield board
    board.close()


@pytest.fixture()
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Writes a CSV file (text or raw bytes) and returns its path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write
