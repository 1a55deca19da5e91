"""Shared helpers of the inspection tests: an instant in Shanghai, a filled checklist."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")


#: A value for every item of the monthly template that is within range (no findings).
GOOD = {
    "env.temperature": "23", "env.humidity": "45", "env.dust": "ok", "env.power": "ok",
    "status.devices": "ok", "perf.user_experience": "good", "perf.host_load": "35",
    "perf.network_load": "20", "perf.db_load": "41", "perf.backup_policy": "ok",
    "perf.backup_restore_test": "ok", "sec.room": "ok", "sec.host": "ok", "sec.database": "ok",
    "sec.backup": "ok", "pm.fault_logs": "done", "pm.hardware_diagnosis": "done",
    "pm.cleaning": "done", "pm.network_test": "done", "pm.firmware": "na", "pm.patches": "done",
    "pm.os_health": "done", "pm.performance": "done", "pm.spare_parts": "done",
}


def at(text: str) -> datetime:
    """An instant written as Shanghai local time."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def fill(board: Any, inspection_id: int, when: datetime, **changes: str) -> None:
    """Fill every item with a good value, then the changes (keys with "__" for ".")."""
    from dutyboard.service import inspections

    values = dict(GOOD)
    values.update({k.replace("__", "."): v for k, v in changes.items()})
    for key, value in values.items():
        inspections.set_value(board, inspection_id, key, value, at=when)
