"""Helpers for the notification tests: instants in China's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """An instant written in China's zone, as the duty engineers read the board."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)
