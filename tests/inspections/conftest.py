"""Fixtures of the inspection tests: a Board on each backend in China's zone, with sites on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """Leave the process in the language it was in (the command line and reports switch it)."""
    from dutyboard import i18n

    saved = i18n._translation, i18n._language
    yield
    i18n._translation, i18n._language = saved


@pytest.fixture()
def board(db_url: str) -> Iterator[Any]:
    """An open Board on a fresh database of each backend, acting as "duty", zone Asia/Shanghai."""
    from dutyboard.config import Config
    from dutyboard.service.board import Board

    opened = Board.open(db_url, actor="duty", config=Config(timezone="Asia/Shanghai"))
    yield opened
    opened.close()


@pytest.fixture()
def sites(board: Any) -> list[str]:
    """Three of the bureau's sites on the board."""
    from dutyboard.store.models import Site

    rows = [("HQ-DC", "临安市水利水电局 中心机房"), ("QINGSHAN", "青山水库管理站"),
            ("FLOOD-CC", "防汛抗旱指挥中心")]
    for code, name in rows:
        Site.create(code=code, name=name, address="")
    return [code for code, _name in rows]
