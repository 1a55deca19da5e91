"""The roster's read helpers: who can be dispatched, who is called at each level, sites and assets."""

from __future__ import annotations

from typing import Any

import pytest

from dutyboard.domain.policy import CALL_TABLE
from dutyboard.service import roster
from dutyboard.service.errors import BadInput
from dutyboard.store.models import Asset, Engineer, Site


def fill(board: Any) -> None:
    """A small roster: two sites, three assets, engineers of most roles, one viewer, one who left."""
    hq = Site.create(code="HQ-DC", name="中心机房")
    dam = Site.create(code="QINGSHAN", name="青山水库管理站")
    Asset.create(code="HQ-STO-01", site=hq, name="集中存储", kind="storage")
    Asset.create(code="HQ-SRV-01", site=hq, name="应用服务器 01", kind="server")
    Asset.create(code="QS-RTU-GW", site=dam, name="遥测网关", kind="network")
    for login, name, phone, role, access, active in [
        ("zhangwei", "张伟", "13805711001", "dedicated_engineer", "engineer", True),
        ("lina", "李娜", "13805711002", "dedicated_engineer", "engineer", True),
        ("wangqiang", "王强", "13805711010", "local_manager", "manager", True),
        ("chenjing", "陈静", "13905710020", "regional_expert", "engineer", True),
        ("zhaomin", "赵敏", "13905710040", "regional_gm", "manager", True),
        ("guest", "客户值班室", "0571-63701234", "dedicated_engineer", "viewer", True),
        ("retired", "退休者", "13000000000", "vendor_expert", "engineer", False),
    ]:
        Engineer.create(login=login, name=name, phone=phone, role=role, access=access, active=active)


def test_engineers_are_the_active_people_who_work_in_roster_order(board: Any) -> None:
    fill(board)
    logins = [e.login for e in roster.engineers(board)]
    assert logins == ["zhangwei", "lina", "wangqiang", "chenjing", "zhaomin"]


def test_level_4_calls_the_dedicated_engineers_and_no_manager(board: Any) -> None:
    fill(board)
    assert roster.people_to_call(board, 4) == [
        ("dedicated_engineer", "张伟", "13805711001"),
        ("dedicated_engineer", "李娜", "13805711002"),
    ]


def test_level_3_adds_the_local_service_manager(board: Any) -> None:
    fill(board)
    assert roster.people_to_call(board, 3)[-1] == ("local_manager", "王强", "13805711010")


def test_level_1_follows_the_plan_table_and_shows_roles_nobody_holds(board: Any) -> None:
    fill(board)
    calls = roster.people_to_call(board, 1)
    technical, management = CALL_TABLE[1]
    roles = [c.role for c in calls]
    # Every role of the table appears, in the table's order (technical lead first, then managers).
    assert [r for i, r in enumerate(roles) if r not in roles[:i]] == [*technical, *management]
    # Nobody holds the national expert role; the one vendor expert has left: both show as gaps.
    assert ("national_expert", None, None) in calls
    assert ("vendor_expert", None, None) in calls
    assert ("regional_gm", "赵敏", "13905710040") in calls
    # A read-only account is never someone to call.
    assert all(c.name != "客户值班室" for c in calls)


def test_an_empty_roster_still_lists_every_role(board: Any) -> None:
    assert [c.role for c in roster.people_to_call(board, 2)] == [*CALL_TABLE[2][0], *CALL_TABLE[2][1]]
    assert all(c.name is None and c.phone is None for c in roster.people_to_call(board, 2))


@pytest.mark.parametrize("level", [0, 5, -1])
def test_a_level_outside_1_to_4_is_refused(board: Any, level: int) -> None:
    with pytest.raises(BadInput):
        roster.people_to_call(board, level)


def test_sites_and_assets_by_code(board: Any) -> None:
    fill(board)
    assert [s.code for s in roster.sites(board)] == ["HQ-DC", "QINGSHAN"]
    assert [a.code for a in roster.assets(board)] == ["HQ-SRV-01", "HQ-STO-01", "QS-RTU-GW"]
    assert [a.code for a in roster.assets(board, site="HQ-DC")] == ["HQ-SRV-01", "HQ-STO-01"]
    assert roster.assets(board, site="NOWHERE") == []
    # The site comes with the asset, so the dashboard reads it without another query.
    assert roster.assets(board, site="QINGSHAN")[0].site.name == "青山水库管理站"
