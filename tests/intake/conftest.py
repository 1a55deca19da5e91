"""A Board on each backend, in China's zone, for the intake tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from http_support import Served, serve_board

from dutyboard.config import Config
from dutyboard.service.board import Board


@pytest.fixture()
def board(db_url: str) -> Iterator[Board]:
    """An empty board opened as zhangwei (the roster is empty, so anyone may act)."""
    board = Board.open(db_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    yield board
    board.close()


@pytest.fixture()
def served(board: Board) -> Iterator[Served]:
    """The test's board answering HTTP on 127.0.0.1 (stopped after the test)."""
    running = serve_board(board)
    yield running
    running.server.stop()
