"""A board on each backend, in China's zone, for the notification tests."""

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
