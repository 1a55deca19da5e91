"""A fixed inspection story for the dashboard tests: four sites at 2026-11-25 14:00 in Shanghai.

- HQ-DC and DAM-02: monthly day the 15th (a Sunday in November 2026, so due Monday the 16th)
  and no November inspection: overdue.
- QINGSHAN: monthly day the 28th (a Saturday, so due Monday the 30th): due, not late.
- FLOOD-CC: November's inspection submitted on the 16th with one finding: done.

Everything is made through the service layer, so the screens show what real use would leave.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from triage_support import workers_done

from dutyboard.service.demo_inspections import GOOD
from dutyboard.service import inspections
from dutyboard.service.board import Board
from dutyboard.store.models import Site

ZONE = ZoneInfo("Asia/Shanghai")
SITES = [
    ("HQ-DC", "临安市水利水电局 中心机房"),
    ("DAM-02", "二号坝闸门控制室"),
    ("QINGSHAN", "青山水库管理站"),
    ("FLOOD-CC", "防汛抗旱指挥中心"),
]


def local(text: str) -> datetime:
    """An instant written as Shanghai local time."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def fill(board: Board, inspection_id: int, at: datetime, skip: tuple[str, ...] = (), **changes: str) -> None:
    """Set every item of a draft to a good value (keys with "__" for "."), except `skip`."""
    view = inspections.show(board, inspection_id)
    values = {**GOOD, **{k.replace("__", "."): v for k, v in changes.items()}}
    for n, entry in enumerate(view.entries):
        if entry.key in skip or entry.key not in values:
            continue
        inspections.set_value(board, inspection_id, entry.key, values[entry.key], at=at + timedelta(seconds=n))


def sites_story(board: Board) -> dict[str, Any]:
    """The four sites, QINGSHAN on the 28th, FLOOD-CC's November inspection submitted."""
    for code, name in SITES:
        Site.create(code=code, name=name, address="")
    inspections.configure_site(board, "QINGSHAN", day_of_month=28, at=local("2026-11-01 09:00"))
    started = local("2026-11-16 09:30")
    done = inspections.start(board, "FLOOD-CC", at=started)
    fill(board, done.id, started + timedelta(minutes=1), env__temperature="29.5")
    result = inspections.submit(
        board, done.id, engineer="张伟", customer_rep="陈晓燕", at=started + timedelta(minutes=40)
    )
    return {"flood_cc": done.id, "flood_cc_tickets": result.tickets}


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, workers and the callbacks they schedule all finish (never a sleep)."""
    for _round in range(3):
        await pilot.pause()
        await workers_done(pilot.app)
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys one at a time, each followed by its workers and messages."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
