"""A board served over HTTP on a free port of 127.0.0.1, for the intake tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from dutyboard.service.board import Board


@dataclass
class Served:
    """A board served over HTTP on a free port, with an engineer and a viewer token."""

    board: Board
    url: str
    engineer: str
    viewer: str
    server: Any

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)


def serve_board(board: Board) -> Served:
    from dutyboard.service import tokens
    from dutyboard.web.server import HttpServer

    _info, engineer = tokens.add_token(board, "monitor", "engineer")
    _info, viewer = tokens.add_token(board, "screen", "viewer")
    server = HttpServer(board, "127.0.0.1:0")
    server.start()
    return Served(board, server.url, engineer, viewer, server)
