"""`dutyboard site|asset|contact|part …`: the contract's commands, JSON, bad input refused."""

from __future__ import annotations

import pytest
from archive_support import Cli


def _fill(cli: Cli) -> None:
    cli.ok("site", "add", "HQ-DC", "--name", "中心机房", "--address", "锦城街道")
    cli.ok("site", "add", "QINGSHAN", "--name", "青山水库管理站")
    cli.ok(
        "asset",
        "add",
        "HQ-SRV-01",
        "--site",
        "HQ-DC",
        "--name",
        "应用服务器 01",
        "--kind",
        "server",
        "--model",
        "Inspur NF5280M6",
        "--serial",
        "SN001",
        "--accepted",
        "2024-06-01",
    )
    cli.ok(
        "asset", "add", "HQ-STO-01", "--site", "HQ-DC", "--name", "集中存储", "--kind", "storage"
    )
    cli.ok(
        "contact",
        "add",
        "李主任",
        "--site",
        "HQ-DC",
        "--phone",
        "0571-63701234",
        "--title",
        "信息中心主任",
        "--reporter",
        "yes",
    )
    cli.ok(
        "part",
        "add",
        "PSU-550",
        "--name",
        "550W 电源",
        "--kind",
        "server",
        "--qty",
        "2",
        "--min",
        "1",
    )


def test_sites_add_set_list_show(cli: Cli) -> None:
    site = cli.json("site", "add", "HQ-DC", "--name", "中心机房", "--address", "锦城街道")
    assert site == {
        "code": "HQ-DC",
        "name": "中心机房",
        "address": "锦城街道",
        "retired": False,
        "assets": 0,
        "contacts": 0,
    }
    changed = cli.json("site", "set", "HQ-DC", "--name", "临安市水利水电局 中心机房")
    assert changed["name"] == "临安市水利水电局 中心机房" and changed["address"] == "锦城街道"
    assert [s["code"] for s in cli.json("site", "list")] == ["HQ-DC"]
    shown = cli.json("site", "show", "HQ-DC")
    assert shown["assets"] == [] and shown["contacts"] == [] and shown["parts"] == []
    assert "HQ-DC" in cli.ok("site", "list")


def test_assets_add_set_list_show(cli: Cli) -> None:
    _fill(cli)
    asset = cli.json("asset", "show", "HQ-SRV-01")
    assert {
        k: asset[k]
        for k in ("code", "site", "name", "kind", "model", "serial", "accepted", "retired")
    } == {
        "code": "HQ-SRV-01",
        "site": "HQ-DC",
        "name": "应用服务器 01",
        "kind": "server",
        "model": "Inspur NF5280M6",
        "serial": "SN001",
        "accepted": "2024-06-01",
        "retired": False,
    }
    assert asset["free_service_until"] == "2027-05-31" and asset["in_free_service"] is True
    assert asset["history"] == [] and asset["tickets"] == [] and asset["parts_used"] == []
    moved = cli.json("asset", "set", "HQ-STO-01", "--site", "QINGSHAN", "--model", "OceanStor 5310")
    assert moved["site"] == "QINGSHAN" and moved["model"] == "OceanStor 5310"
    assert [a["code"] for a in cli.json("asset", "list")] == ["HQ-SRV-01", "HQ-STO-01"]
    assert [a["code"] for a in cli.json("asset", "list", "--site", "QINGSHAN")] == ["HQ-STO-01"]
    cleared = cli.json("asset", "set", "HQ-SRV-01", "--accepted", "")
    assert cleared["accepted"] is None and cleared["free_service_until"] is None


def test_contacts_by_site_and_name(cli: Cli) -> None:
    _fill(cli)
    contact = cli.json(
        "contact", "set", "李主任", "--site", "HQ-DC", "--email", "li@slj.example.cn"
    )
    assert contact == {
        "site": "HQ-DC",
        "name": "李主任",
        "phone": "0571-63701234",
        "email": "li@slj.example.cn",
        "title": "信息中心主任",
        "reporter": True,
    }
    cli.ok("contact", "add", "王工", "--site", "QINGSHAN", "--email", "wang@example.cn")
    assert [(c["site"], c["name"]) for c in cli.json("contact", "list")] == [
        ("HQ-DC", "李主任"),
        ("QINGSHAN", "王工"),
    ]
    assert [c["name"] for c in cli.json("contact", "list", "--site", "QINGSHAN")] == ["王工"]
    cli.refused("contact", "set", "王工", "--site", "HQ-DC", "--reporter", "no")  # not at that site


def test_parts_count_and_low_stock(cli: Cli) -> None:
    _fill(cli)
    part = cli.json("part", "list")[0]
    assert part == {
        "code": "PSU-550",
        "name": "550W 电源",
        "kind": "server",
        "qty": 2,
        "min": 1,
        "store": "local",
        "retired": False,
        "low": False,
    }
    assert cli.json("part", "list", "--low") == []
    counted = cli.json("part", "set", "PSU-550", "--qty", "0", "--reason", "November inspection")
    assert counted["qty"] == 0 and counted["low"] is True
    assert [p["code"] for p in cli.json("part", "list", "--low")] == ["PSU-550"]
    assert "PSU-550" in cli.ok("part", "list", "--low")
    site = cli.json("site", "show", "HQ-DC")
    assert [p["code"] for p in site["parts"]] == ["PSU-550"]  # the kinds of its devices


def test_engineers_use_and_count_parts_managers_change_the_archive(cli: Cli) -> None:
    _fill(cli)
    cli.ok(
        "roster",
        "add",
        "wangqiang",
        "--name",
        "王强",
        "--role",
        "local_manager",
        "--access",
        "manager",
    )
    cli.ok(
        "--by",
        "wangqiang",
        "roster",
        "add",
        "zhangwei",
        "--name",
        "张伟",
        "--role",
        "dedicated_engineer",
    )
    # zhangwei (DUTYBOARD_USER) is an engineer now
    cli.ok("part", "set", "PSU-550", "--qty", "3", "--reason", "counted")
    err = cli.refused("part", "set", "PSU-550", "--min", "5")
    assert "manager" in err
    cli.refused("site", "add", "NEW", "--name", "x")
    cli.refused("asset", "set", "HQ-SRV-01", "--retired", "yes")
    cli.refused("contact", "add", "赵", "--site", "HQ-DC", "--phone", "13800000000")
    cli.ok("--by", "wangqiang", "site", "add", "NEW", "--name", "新站")


def test_retiring_keeps_the_record_and_hides_it_from_new_tickets(cli: Cli) -> None:
    _fill(cli)
    err = cli.refused("site", "set", "HQ-DC", "--retired", "yes")
    assert "retire them first" in err
    assert cli.json("asset", "set", "HQ-STO-01", "--retired", "yes")["retired"] is True
    cli.refused("ticket", "open", "--level", "3", "--title", "x", "--asset", "HQ-STO-01")
    assert [a["retired"] for a in cli.json("asset", "list")] == [False, True]
    assert cli.json("part", "set", "PSU-550", "--retired", "yes")["retired"] is True


# ---------------------------------------------------------------- bad input: exit 2, no change


def test_a_duplicate_code_is_refused(cli: Cli) -> None:
    _fill(cli)
    assert "already" in cli.refused("site", "add", "HQ-DC", "--name", "again")
    cli.refused(
        "asset", "add", "HQ-SRV-01", "--site", "HQ-DC", "--name", "again", "--kind", "server"
    )
    cli.refused("part", "add", "PSU-550", "--name", "again", "--kind", "server")
    cli.refused("contact", "add", "李主任", "--site", "HQ-DC", "--phone", "13800000000")


def test_an_asset_or_contact_at_an_unknown_site_is_refused_with_the_closest(cli: Cli) -> None:
    _fill(cli)
    err = cli.refused("asset", "add", "X-1", "--site", "HQ-D", "--name", "x", "--kind", "server")
    assert "HQ-DC" in err
    cli.refused("contact", "add", "赵", "--site", "NOWHERE", "--phone", "13800000000")


@pytest.mark.parametrize("qty", ["-1", "1.5", "two"])
def test_negative_or_non_integer_quantities_are_refused(cli: Cli, qty: str) -> None:
    _fill(cli)
    cli.refused("part", "add", "FAN-01", "--name", "风扇", "--kind", "server", "--qty", qty)
    cli.refused("part", "add", "FAN-01", "--name", "风扇", "--kind", "server", "--min", qty)
    cli.refused("part", "set", "PSU-550", "--qty", qty, "--reason", "count")


def test_a_stock_count_needs_a_reason(cli: Cli) -> None:
    _fill(cli)
    assert "reason" in cli.refused("part", "set", "PSU-550", "--qty", "4")


def test_a_contact_with_neither_phone_nor_email_is_refused(cli: Cli) -> None:
    _fill(cli)
    cli.refused("contact", "add", "赵", "--site", "HQ-DC")
    cli.refused("contact", "set", "李主任", "--site", "HQ-DC", "--phone", "")
    cli.refused("contact", "add", "赵", "--site", "HQ-DC", "--phone", "call me")
    cli.refused("contact", "add", "赵", "--site", "HQ-DC", "--email", "zhao@")


def test_an_unknown_kind_is_refused(cli: Cli) -> None:
    _fill(cli)
    cli.refused("asset", "add", "P-1", "--site", "HQ-DC", "--name", "printer", "--kind", "printer")
    cli.refused("part", "add", "P-1", "--name", "toner", "--kind", "printer")


def test_a_wrong_date_format_is_refused(cli: Cli) -> None:
    _fill(cli)
    err = cli.refused(
        "asset",
        "add",
        "X-1",
        "--site",
        "HQ-DC",
        "--name",
        "x",
        "--kind",
        "server",
        "--accepted",
        "01/06/2024",
    )
    assert "YYYY-MM-DD" in err
    cli.refused("asset", "set", "HQ-SRV-01", "--accepted", "2024-02-30")


def test_unknown_codes_are_refused(cli: Cli) -> None:
    _fill(cli)
    assert "HQ-SRV-01" in cli.refused("asset", "show", "HQ-SRV-1")
    cli.refused("site", "show", "HQ")
    cli.refused("part", "set", "PSU-55", "--qty", "1", "--reason", "count")
    cli.refused("asset", "list", "--site", "NOWHERE")


def test_at_dates_the_change_and_the_free_service(cli: Cli) -> None:
    cli.ok("site", "add", "HQ-DC", "--name", "中心机房", "--at", "2026-03-16T09:00:00+08:00")
    cli.ok(
        "asset",
        "add",
        "HQ-SRV-01",
        "--site",
        "HQ-DC",
        "--name",
        "应用服务器",
        "--kind",
        "server",
        "--accepted",
        "2023-11-25",
    )
    assert (
        cli.json("asset", "show", "HQ-SRV-01", "--at", "2026-11-24T23:00:00+08:00")[
            "in_free_service"
        ]
        is True
    )
    assert cli.json("asset", "show", "HQ-SRV-01")["in_free_service"] is False  # now: 11-25
    events = cli.snapshot()["event"]
    assert events[0][5] == "site_added" and str(events[0][2]).startswith("2026-03-16 01:00:00")
