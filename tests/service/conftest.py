"""A Board on each backend, in China's zone, for service-layer tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dutyboard.config import Config
from dutyboard.service.board import Board


@pytest.fixture()
def board(db_url: str) -> Iterator[Board]:
    board = Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    yield board
    board.close()


@pytest.fixture()
def board_url(db_url: str) -> str:
    """The URL of an empty board, for tests that start processes of their own."""
    return db_url
