"""Tickets and the archive: known sites and assets, the caller, parts, backup units, billable."""

from __future__ import annotations

import pytest
from archive_support import Cli

T0 = "2026-11-25T08:00:00+08:00"


def _fill(cli: Cli) -> None:
    cli.ok("site", "add", "HQ-DC", "--name", "中心机房")
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
        "--accepted",
        "2024-06-01",
    )
    cli.ok(
        "asset",
        "add",
        "HQ-SRV-OLD",
        "--site",
        "HQ-DC",
        "--name",
        "旧服务器",
        "--kind",
        "server",
        "--accepted",
        "2023-11-25",
    )
    cli.ok(
        "asset",
        "add",
        "QS-SRV-01",
        "--site",
        "QINGSHAN",
        "--name",
        "监测服务器",
        "--kind",
        "server",
    )
    cli.ok(
        "contact",
        "add",
        "李主任",
        "--site",
        "HQ-DC",
        "--phone",
        "0571-63701234",
        "--reporter",
        "yes",
    )
    cli.ok("contact", "add", "小王", "--site", "HQ-DC", "--phone", "13800000001")
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


def _open(cli: Cli, *extra: str) -> dict:  # type: ignore[type-arg]
    return cli.json("ticket", "open", "--level", "2", "--title", "服务器宕机", "--at", T0, *extra)  # type: ignore[no-any-return]


def test_before_the_archive_has_sites_any_site_is_accepted(cli: Cli) -> None:
    ticket = _open(cli, "--site", "ANYWHERE", "--asset", "BOX-1")
    assert (ticket["site"], ticket["asset"], ticket["site_name"]) == ("ANYWHERE", "BOX-1", None)


def test_an_asset_implies_its_site_and_names_show(cli: Cli) -> None:
    _fill(cli)
    ticket = _open(cli, "--asset", "HQ-SRV-01")
    assert (ticket["site"], ticket["asset"]) == ("HQ-DC", "HQ-SRV-01")
    assert (ticket["site_name"], ticket["asset_name"]) == ("中心机房", "应用服务器 01")
    assert _open(cli, "--site", "HQ-DC", "--asset", "HQ-SRV-01")["site"] == "HQ-DC"


def test_unknown_or_mismatched_places_are_refused_with_the_closest_codes(cli: Cli) -> None:
    _fill(cli)
    err = cli.refused("ticket", "open", "--level", "2", "--title", "x", "--site", "HQDC")
    assert "HQ-DC" in err
    err = cli.refused("ticket", "open", "--level", "2", "--title", "x", "--asset", "hq-srv-01")
    assert "HQ-SRV-01" in err
    err = cli.refused(
        "ticket",
        "open",
        "--level",
        "2",
        "--title",
        "x",
        "--site",
        "QINGSHAN",
        "--asset",
        "HQ-SRV-01",
    )
    assert "HQ-DC" in err


def test_the_caller_and_callback_are_recorded_and_agreed_reporters_told_apart(cli: Cli) -> None:
    _fill(cli)
    agreed = _open(cli, "--asset", "HQ-SRV-01", "--caller", "李主任", "--callback", "0571-63701234")
    assert (agreed["caller"], agreed["callback"], agreed["caller_is_reporter"]) == (
        "李主任",
        "0571-63701234",
        True,
    )
    other = _open(cli, "--site", "HQ-DC", "--caller", "小王", "--callback", "13800000001")
    assert other["caller_is_reporter"] is False  # recorded and shown, not refused
    assert other["billable"] is None
    text = cli.ok("ticket", "show", str(other["id"]))
    assert "小王" in text and "13800000001" in text and "not an agreed reporter" in text
    opened = other["events"][0]
    assert opened["caller"] == "小王" and opened["caller_is_reporter"] is False
    cli.refused("ticket", "open", "--level", "2", "--title", "x", "--callback", "call me back")


def test_a_ticket_on_an_asset_past_its_free_service_is_billable_by_system(cli: Cli) -> None:
    _fill(cli)
    assert _open(cli, "--asset", "HQ-SRV-01")["billable"] is None
    old = _open(cli, "--asset", "HQ-SRV-OLD")  # accepted 2023-11-25: free until 2026-11-24
    assert old["billable"] == "out_of_period"
    mark = [e for e in old["events"] if e["kind"] == "billable"]
    assert len(mark) == 1 and mark[0]["by"] == "system" and mark[0]["reason"] == "out_of_period"
    assert _open(cli, "--asset", "QS-SRV-01")["billable"] is None  # no acceptance date anywhere


def test_the_boards_acceptance_date_covers_assets_without_one(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(cli)
    monkeypatch.setenv("DUTYBOARD_ACCEPTED", "2023-01-01")
    assert _open(cli, "--asset", "QS-SRV-01")["billable"] == "out_of_period"
    assert _open(cli, "--asset", "HQ-SRV-01")["billable"] is None  # its own date wins
    assert cli.json("asset", "show", "QS-SRV-01")["free_service_until"] == "2025-12-31"


def test_billable_marks_and_who_may_clear_them(cli: Cli) -> None:
    _fill(cli)
    tid = str(_open(cli, "--asset", "HQ-SRV-01")["id"])
    shown = cli.json(
        "ticket", "billable", tid, "--reason", "untrained_use", "--note", "按手册外操作"
    )
    assert (shown["billable"], shown["billable_note"]) == ("untrained_use", "按手册外操作")
    assert (
        cli.json("ticket", "billable", tid, "--reason", "force_majeure")["billable"]
        == "force_majeure"
    )
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
    assert "manager" in cli.refused("ticket", "billable", tid, "--off")
    assert cli.json("--by", "wangqiang", "ticket", "billable", tid, "--off")["billable"] is None
    cli.refused("--by", "wangqiang", "ticket", "billable", tid, "--off")  # not billable any more
    cli.refused("ticket", "billable", tid, "--reason", "customer_was_rude")
    assert "outside the free service" not in cli.ok("ticket", "show", tid)


def test_waiting_for_and_using_a_part(cli: Cli) -> None:
    _fill(cli)
    tid = str(_open(cli, "--asset", "HQ-SRV-01")["id"])
    waiting = cli.json(
        "ticket",
        "wait-part",
        tid,
        "--part",
        "PSU-550",
        "--note",
        "杭州发货",
        "--at",
        "2026-11-25T08:30:00+08:00",
    )
    assert waiting["clocks"]["parts"] == {
        "due": "2026-11-27T08:30:00+08:00",
        "done_at": None,
        "state": "running",
        "warning": False,
    }
    used = cli.json("ticket", "use-part", tid, "PSU-550", "--at", "2026-11-25T08:50:00+08:00")
    assert used["clocks"]["parts"]["state"] == "met"
    assert used["clocks"]["parts"]["done_at"] == "2026-11-25T08:50:00+08:00"
    assert used["parts_used"] == [
        {
            "part": "PSU-550",
            "name": "550W 电源",
            "qty": 1,
            "at": "2026-11-25T08:50:00+08:00",
            "by": "zhangwei",
        }
    ]
    assert cli.json("part", "list")[0]["qty"] == 1
    unit = cli.json("ticket", "backup-unit", tid, "--from", "local", "--note", "同型号备机")
    assert (
        unit["backup_units"][0]["from"] == "local"
        and unit["backup_units"][0]["note"] == "同型号备机"
    )
    assert cli.json("check")["ok"] is True


def test_stock_never_goes_below_zero(cli: Cli) -> None:
    _fill(cli)
    tid = str(_open(cli, "--asset", "HQ-SRV-01")["id"])
    err = cli.refused("ticket", "use-part", tid, "PSU-550", "--qty", "3")
    assert "2" in err
    cli.refused("ticket", "use-part", tid, "PSU-550", "--qty", "0")
    cli.refused("ticket", "use-part", tid, "PSU-550", "--qty", "-1")
    cli.refused("ticket", "use-part", tid, "PSU-55")
    cli.refused("ticket", "wait-part", tid, "--part", "NOPE")
    cli.refused("ticket", "backup-unit", tid, "--from", "shanghai")
    cli.ok("ticket", "use-part", tid, "PSU-550", "--qty", "2")
    assert cli.json("part", "list", "--low")[0]["qty"] == 0


def test_the_parts_clock_is_in_the_queue(cli: Cli) -> None:
    _fill(cli)
    tid = _open(cli, "--asset", "HQ-SRV-01")["id"]
    cli.ok("ticket", "ack", str(tid), "--at", "2026-11-25T08:05:00+08:00")
    cli.ok("ticket", "restore", str(tid), "--at", "2026-11-25T08:40:00+08:00")
    cli.ok(
        "ticket", "wait-part", str(tid), "--part", "PSU-550", "--at", "2026-11-25T08:45:00+08:00"
    )
    row = cli.json("queue", "--at", "2026-11-25T09:00:00+08:00")[0]
    assert row["next_clock"] == "report"  # due at 17:00 today, the part in two days
    cli.ok(
        "ticket", "report", str(tid), "--text", "电源模块故障", "--at", "2026-11-25T08:50:00+08:00"
    )
    row = cli.json("queue", "--at", "2026-11-27T09:00:00+08:00")[0]
    assert row["next_clock"] == "parts" and row["seconds_left"] == -15 * 60


def test_an_assets_history_is_its_maintenance_record_newest_first(cli: Cli) -> None:
    _fill(cli)
    first = _open(cli, "--asset", "HQ-SRV-01")["id"]
    cli.ok("ticket", "use-part", str(first), "PSU-550", "--at", "2026-11-25T08:20:00+08:00")
    inspection = cli.json(
        "inspection", "start", "--site", "HQ-DC", "--at", "2026-11-25T08:30:00+08:00"
    )
    cli.ok(
        "inspection",
        "set",
        str(inspection["id"]),
        "status.devices",
        "fault",
        "--note",
        "HQ-SRV-01 风扇告警",
        "--at",
        "2026-11-25T08:31:00+08:00",
    )
    history = cli.json("asset", "show", "HQ-SRV-01")
    assert [h["type"] for h in history["history"]] == ["inspection", "part", "ticket"]
    assert history["inspections"][0]["items"] == ["status.devices"]
    assert (
        history["parts_used"][0]["part"] == "PSU-550"
        and history["parts_used"][0]["ticket"] == first
    )
    assert history["tickets"][0]["id"] == first
    assert cli.json("asset", "show", "QS-SRV-01")["history"] == []
    text = cli.ok("asset", "show", "HQ-SRV-01")
    assert "PSU-550" in text and "服务器宕机" in text
