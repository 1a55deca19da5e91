"""Demo inspections: sites submitted, in draft, due and overdue, made through the service layer.

`make_demo_inspections(board, now)` expects the demo's sites and roster
(dutyboard.service.demo) and is deterministic for an instant: the board shows one monthly
draft in progress, submitted inspections with findings that opened tickets, a site due but not
yet late and, once a working day of the month has passed (nothing can be late before that), a
site overdue.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from dutyboard.domain import inspection as rules
from dutyboard.service import inspections
from dutyboard.service.board import Board
from dutyboard.store.models import Site

#: Who does what in the demo (the demo roster's engineers and its manager).
ENGINEERS = ("zhangwei", "lina", "zhoujie")
MANAGER = "wangqiang"
CUSTOMER_REPS = ("王建国 (信息中心)", "陈晓燕 (防汛办)", "刘卫东 (水库管理站)")

#: A good value for every item of the shipped templates; findings are set on top.
GOOD = {
    "env.temperature": "23.5", "env.humidity": "46", "env.dust": "ok", "env.power": "ok",
    "status.devices": "ok", "perf.user_experience": "good", "perf.host_load": "38",
    "perf.network_load": "22", "perf.db_load": "47", "perf.backup_policy": "ok",
    "perf.backup_restore_test": "ok", "sec.room": "ok", "sec.host": "ok", "sec.database": "ok",
    "sec.backup": "ok", "pm.fault_logs": "done", "pm.hardware_diagnosis": "done",
    "pm.cleaning": "done", "pm.network_test": "done", "pm.firmware": "na", "pm.patches": "done",
    "pm.os_health": "done", "pm.performance": "done", "pm.spare_parts": "done",
    "change.plan": "核心交换机升级至新版本软件 / core switch software upgrade",
    "change.rollback": "保留旧版本镜像，30 分钟内可回退 / keep the old image, 30 min rollback",
}
NOTES = {
    "env.temperature": "A 列冷通道 1.1 m 处测得 / cold aisle A, 1.1 m",
    "env.dust": "UPS 进风滤网积灰 / dust on the UPS intake filter",
    "perf.db_load": "月末报表期间持续偏高 / high during month-end reports",
    "pm.firmware": "存储控制器微码已升级至 V300R006C50",
    "pm.spare_parts": "备件库缺 1 块 1.8TB SAS 硬盘 / one 1.8 TB SAS disk short",
}


def _at(day: date, hour: int, minute: int, board: Board) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=board.zone)


def _fill(board: Board, inspection_id: int, when: datetime, changes: dict[str, str],
          stop_after: int | None = None) -> None:
    """Set good values (then the changes) item by item, a minute apart, as on site."""
    view = inspections.show(board, inspection_id)
    for n, entry in enumerate(view.entries):
        if stop_after is not None and n >= stop_after:
            return
        value = changes.get(entry.key, GOOD.get(entry.key))
        if value is None:
            continue
        inspections.set_value(
            board, inspection_id, entry.key, value,
            note=NOTES.get(entry.key) if entry.key in changes else None,
            at=when + timedelta(minutes=n),
        )


def _day_for(board: Board, today: date, overdue: bool) -> int:
    """A day of the month that makes the site overdue today (or due but not yet late)."""
    period = rules.period_of(today)
    days = range(1, 29) if overdue else range(28, 0, -1)
    for day in days:
        due = rules.scheduled_day(period, day, board.business.is_working_day)
        if (due < today) == overdue and due.month == today.month:
            return day
    return 1 if overdue else 28


def make_demo_inspections(board: Board, now: datetime) -> dict[str, Any]:
    """Inspections for the demo's sites as of `now`; returns how many of each were made."""
    actor = board.actor
    today = now.astimezone(board.zone).date()
    first = today.replace(day=1)
    previous = rules.previous_period(rules.period_of(today))
    sites = [s.code for s in Site.select(Site.code).order_by(Site.id)]
    if len(sites) < 5:
        return {"inspections": 0}
    hq, flood, qingshan, huaguang, tianmu = sites[:5]
    made = {"submitted": 0, "draft": 0, "tickets": 0}

    def monthly(site: str, on: date, who: int, changes: dict[str, str],
                submit: bool = True, stop_after: int | None = None) -> None:
        board.actor = ENGINEERS[who % len(ENGINEERS)]
        start = min(_at(on, 9, 20 + who, board), now - timedelta(minutes=40))
        view = inspections.start(board, site, at=start)
        _fill(board, view.id, start + timedelta(minutes=2), changes, stop_after)
        if not submit:
            made["draft"] += 1
            return
        result = inspections.submit(
            board, view.id, engineer=inspections.default_engineer(board),
            customer_rep=CUSTOMER_REPS[who % len(CUSTOMER_REPS)],
            at=min(start + timedelta(minutes=35), now - timedelta(minutes=1)),
        )
        made["submitted"] += 1
        made["tickets"] += len(result.tickets)

    # Site days: one overdue now, one due later this month; the rest keep the 15th.
    board.actor = MANAGER
    inspections.configure_site(board, qingshan, day_of_month=_day_for(board, today, True), at=now)
    inspections.configure_site(board, tianmu, day_of_month=_day_for(board, today, False), at=now)
    inspections.configure_site(
        board, flood, ranges={"env.temperature": {"min": 18, "max": 25}}, at=now
    )

    # Last month: every site but one was inspected on its day.
    for n, site in enumerate((hq, flood, qingshan, tianmu)):
        day = rules.scheduled_day(previous, 15, board.business.is_working_day)
        monthly(site, day, n, {"perf.db_load": "86"} if site == hq else {})
    # This month: the central room is done, with findings that opened tickets.
    on = max(first, today - timedelta(days=2))
    monthly(hq, on, 0, {"env.temperature": "28.5", "env.dust": "fault",
                        "pm.spare_parts": "fault", "pm.firmware": "done"})
    # The flood-control centre's checklist is half filled: a draft to resume.
    monthly(flood, today, 1, {"env.temperature": "26"}, submit=False, stop_after=9)
    # An extra inspection before a change at the reservoir's power station (does not count).
    board.actor = ENGINEERS[2]
    adhoc = inspections.start(board, huaguang, "adhoc", at=now - timedelta(hours=3))
    _fill(board, adhoc.id, now - timedelta(hours=3) + timedelta(minutes=1),
          {"perf.backup_restore_test": "not_tried"})
    result = inspections.submit(
        board, adhoc.id, engineer="周杰", customer_rep=CUSTOMER_REPS[2],
        record={"cause": "核心交换机升级前的不定期巡检。"}, at=now - timedelta(hours=2),
    )
    made["submitted"] += 1
    made["tickets"] += len(result.tickets)
    board.actor = actor
    return {"inspections": made["submitted"] + made["draft"], **made}
