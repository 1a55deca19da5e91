"""A realistic demo board: the bureau's sites, what was sold there, the roster, a night's tickets.

Every ticket is made through the service layer, so its events, clocks and escalations are
exactly what real use would leave. Deterministic for a seed and an instant.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from dutyboard.i18n import _
from dutyboard.service import tickets
from dutyboard.service.board import Board
from dutyboard.service.demo_inspections import make_demo_inspections
from dutyboard.service.errors import BadInput
from dutyboard.store.db import database
from dutyboard.store.models import Asset, Engineer, Site, Ticket

SITES = [
    ("HQ-DC", "临安市水利水电局 中心机房", "临安区锦城街道"),
    ("FLOOD-CC", "防汛抗旱指挥中心", "临安区锦城街道"),
    ("QINGSHAN", "青山水库管理站", "临安区青山湖街道"),
    ("HUAGUANG", "华光潭水库电站", "临安区龙岗镇"),
    ("TIANMU-HS", "天目溪水文站", "临安区於潜镇"),
    ("CHANGHUA-HS", "昌化溪水文站", "临安区昌化镇"),
]

ASSETS = [
    ("HQ-DC", "HQ-SRV-01", "应用服务器 01", "server", "Inspur NF5280M6"),
    ("HQ-DC", "HQ-SRV-02", "应用服务器 02", "server", "Inspur NF5280M6"),
    ("HQ-DC", "HQ-STO-01", "集中存储", "storage", "Huawei OceanStor 5310"),
    ("HQ-DC", "HQ-SW-CORE", "核心交换机", "network", "H3C S7506X"),
    ("HQ-DC", "HQ-DB-01", "水情数据库", "database", "Oracle 19c RAC"),
    ("HQ-DC", "HQ-PLAT", "水利综合业务平台", "platform", "v3.2"),
    ("FLOOD-CC", "FCC-SRV-01", "会商系统服务器", "server", "Sugon I620-G30"),
    ("FLOOD-CC", "FCC-SW-01", "汇聚交换机", "network", "H3C S5560X"),
    ("FLOOD-CC", "FCC-PLAT", "防汛决策支持系统", "platform", "v2.8"),
    ("QINGSHAN", "QS-RTU-GW", "遥测网关", "network", "Huawei AR651"),
    ("QINGSHAN", "QS-SRV-01", "大坝安全监测服务器", "server", "Inspur NF5270M6"),
    ("HUAGUANG", "HG-SRV-01", "闸门监控服务器", "server", "Sugon I420-G30"),
    ("HUAGUANG", "HG-STO-01", "视频存储", "storage", "Hikvision DS-A71024R"),
    ("TIANMU-HS", "TM-SW-01", "接入交换机", "network", "H3C S5130"),
    ("TIANMU-HS", "TM-DB-01", "水文测报数据库", "database", "MySQL 8.0"),
    ("CHANGHUA-HS", "CH-SRV-01", "水文测报服务器", "server", "Lenovo SR650"),
]

ROSTER = [
    ("zhangwei", "张伟", "13805711001", "dedicated_engineer", "engineer"),
    ("lina", "李娜", "13805711002", "dedicated_engineer", "engineer"),
    ("zhoujie", "周杰", "13805711003", "dedicated_engineer", "engineer"),
    ("wangqiang", "王强", "13805711010", "local_manager", "manager"),
    ("chenjing", "陈静", "13905710020", "regional_expert", "engineer"),
    ("liuyang", "刘洋", "13905710030", "vendor_expert", "engineer"),
    ("zhaomin", "赵敏", "13905710040", "regional_gm", "manager"),
    ("sunlei", "孙磊", "13605710050", "national_expert", "engineer"),
    ("guest", "客户值班室", "0571-63701234", "dedicated_engineer", "viewer"),
]

#: (level, service, kind of asset, title); titles in Chinese and in English.
FAULTS: list[tuple[int, str, str, str]] = [
    (1, "hardware", "storage", "集中存储双控制器离线，水情数据无法写入"),
    (1, "hardware", "database", "Water-level database RAC node crash, data loss suspected"),
    (1, "development", "platform", "水利综合业务平台全部业务中断"),
    (2, "hardware", "server", "应用服务器 02 宕机，电源模块告警"),
    (2, "hardware", "network", "Core switch line card failed, half the access ports down"),
    (2, "hardware", "storage", "视频存储 RAID 降级，一块硬盘故障"),
    (2, "development", "platform", "防汛决策支持系统响应缓慢，查询超时"),
    (2, "hardware", "server", "Dam monitoring server kernel panic after patch"),
    (3, "hardware", "server", "闸门监控服务器风扇告警"),
    (3, "hardware", "network", "遥测网关间歇性丢包"),
    (3, "development", "platform", "Report export shows wrong rainfall units"),
    (3, "hardware", "database", "水文测报数据库备份作业失败"),
    (3, "hardware", "storage", "Storage controller battery nearing end of life"),
    (3, "development", "platform", "汛情短信推送偶尔延迟"),
    (4, "development", "platform", "咨询：新增雨量站点的配置方法"),
    (4, "hardware", "server", "Appointment: firmware upgrade window for app servers"),
    (4, "development", "platform", "用户培训：大屏会商系统操作"),
    (4, "hardware", "network", "Question: VLAN plan for the new hydrology station"),
    (4, "development", "platform", "咨询：水位曲线导出为 Excel"),
]

CRISIS = 2  # FAULTS[2]: the business platform is down
#: Tickets whose restore limit passed unrestored: (stage, hours since reported).
LATE = {11: ("dispatched", 30), 15: ("acknowledged", 26), 8: ("on_site", 25)}
CHANNELS = ["phone", "phone", "phone", "email", "web", "remote", "monitoring"]
STAGES = ["open", "acknowledged", "dispatched", "on_site", "restored", "reported", "closed"]
#: How long ago (minutes) a ticket at each stage was reported: a desk that answers its phone.
STAGE_AGES = {
    "open": (2, 25),
    "acknowledged": (10, 300),
    "dispatched": (30, 200),
    "on_site": (60, 420),
    "restored": (120, 1800),
    "reported": (600, 2400),
    "closed": (1440, 7200),
}


def _roster(now: datetime) -> None:
    if Site.select().exists():
        return
    for code, name, address in SITES:
        Site.create(code=code, name=name, address=address)
    sites = {s.code: s for s in Site.select()}
    for site, code, name, kind, model in ASSETS:
        Asset.create(code=code, site=sites[site], name=name, kind=kind, model=model)
    for login, name, phone, role, access in ROSTER:
        Engineer.create(
            login=login,
            name=name,
            phone=phone,
            role=role,
            access=access,
            email=f"{login}@example.cn",
        )


def make_demo(
    board: Board, seed: int = 7, at: datetime | None = None, count: int = 60
) -> dict[str, Any]:
    """Fill the board with a deterministic night: every level, status and clock state."""
    now = (at or board.now()).replace(microsecond=0)
    rng = random.Random(seed)
    assets_by_kind: dict[str, list[tuple[str, str]]] = {}
    for site, code, _name, kind, _model in ASSETS:
        assets_by_kind.setdefault(kind, []).append((site, code))
    engineers = [
        login
        for login, *_rest, role, access in ROSTER
        if role == "dedicated_engineer" and access != "viewer"
    ]
    actor = board.actor
    if Ticket.select().exists():
        raise BadInput(_("The board already has tickets: the demo fills an empty board only"))
    with database.atomic():
        _roster(now)
        for i in range(count):
            level, service, kind, title = (
                FAULTS[rng.randrange(len(FAULTS))] if i >= len(FAULTS) else FAULTS[i]
            )
            site, asset = rng.choice(assets_by_kind[kind])
            if i == CRISIS:
                stage = "on_site"
            elif i in (0, 3, 4, 5, 6):
                stage = "open"
            else:
                stage = rng.choice([*STAGES[1:], "closed", "closed", "acknowledged"])
            low, high = STAGE_AGES[stage]
            reported = now - timedelta(minutes=rng.randint(low, high))
            if i in LATE:  # left too long: the sweep escalates them
                stage, hours = LATE[i]
                reported = now - timedelta(hours=hours)
            board.actor = rng.choice(["zhangwei", "lina", "zhoujie"])
            tid = tickets.open_ticket(
                board,
                level=level,
                title=title,
                service=service,
                channel=rng.choice(CHANNELS),
                site=site,
                asset=asset,
                at=reported,
                description="客户来电报告故障，已记录现象。"
                if i % 2
                else "Reported by the customer's duty room.",
            )
            _walk(board, rng, tid, reported, now, stage, engineers, level, i)
        board.actor = "zhangwei"
        make_demo_inspections(board, now)
        _work_findings(board, now)
        tickets.sweep(board, now)  # recorded as the program's own action
    board.actor = actor
    return {
        "tickets": count,
        "sites": len(SITES),
        "engineers": len(ROSTER),
        "at": now.isoformat(),
    }


def _work_findings(board: Board, now: datetime) -> None:
    """Findings of past inspections were handled since; today's are still waiting for an answer."""
    found = (
        Ticket.select()
        .where(Ticket.channel == "inspection", Ticket.status == "open")
        .order_by(Ticket.id)
    )
    for row in found:
        reported = row.reported_at
        if now - reported < timedelta(hours=6):
            continue
        tid = row.id
        tickets.acknowledge(board, tid, reported + timedelta(minutes=20))
        if now - reported < timedelta(hours=20):
            continue
        tickets.restore(board, tid, reported + timedelta(hours=18))
        if now - reported < timedelta(days=3):
            continue
        tickets.submit_report(
            board,
            tid,
            {
                "cause": "巡检发现",
                "response": "当日确认",
                "process": "调整配置并复测",
                "result": "复测正常",
                "precautions": "下次巡检复查",
            },
            reported + timedelta(days=1, hours=2),
        )
        tickets.close(board, tid, reported + timedelta(days=1, hours=3))


def _walk(
    board: Board,
    rng: random.Random,
    tid: int,
    reported: datetime,
    now: datetime,
    stage: str,
    engineers: list[str],
    level: int,
    i: int,
) -> None:
    """Take a ticket through its lifecycle up to `stage`, every step before `now`."""
    t = reported
    span = (now - reported).total_seconds()

    def later(share: float) -> datetime:
        nonlocal t
        step = max(30.0, rng.uniform(0.2, 1.0) * share * span)
        t = min(now - timedelta(seconds=1), t + timedelta(seconds=step))
        return t

    order = STAGES.index(stage)
    if i == CRISIS:  # the crisis: a level 1 outage with its hourly update running
        tickets.set_crisis(board, tid, True, later(0.05))
    if i == 9:  # re-classified after the first call
        tickets.set_level(
            board, tid, max(1, level - 1), "影响范围扩大 / impact wider than reported", later(0.05)
        )
    if order >= 1:
        ack = reported + timedelta(minutes=rng.choice([3, 6, 9, 12, 14, 22, 40]))
        t = max(t, min(ack, now - timedelta(seconds=60)))
        tickets.acknowledge(board, tid, t)
    dispatched = order >= 2 and (order < 4 or rng.random() < 0.6)
    if dispatched:
        tickets.dispatch(board, tid, rng.choice(engineers), later(0.1))
        if order >= 3:
            tickets.arrive(board, tid, later(0.2))
    if order >= 4:
        tickets.restore(board, tid, later(0.3))
    if order >= 5:
        tickets.submit_report(
            board,
            tid,
            {
                "cause": "硬件老化导致故障 / ageing hardware",
                "response": "接报后电话指导并远程诊断。",
                "process": "更换故障部件，核对配置，恢复业务。",
                "result": "业务恢复正常，持续观察 24 小时无异常。",
                "precautions": "下次巡检重点检查同批次部件。",
            },
            later(0.1),
        )
    if order >= 6:
        tickets.close(board, tid, later(0.1))
    elif order >= 1 and rng.random() < 0.3:
        tickets.add_note(
            board,
            tid,
            rng.choice(["已联系客户确认现象。", "Waiting for the spare part.", "远程查看日志中。"]),
            later(0.05),
        )
    if i == CRISIS:  # the latest hourly update, after every step (nothing is dated before a step)
        update = max(t, now - timedelta(minutes=20))
        tickets.add_note(board, tid, "危急情况小组已成立，厂商专家远程接入。", update)
