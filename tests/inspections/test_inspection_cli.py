"""`dutyboard inspection …` in process: the JSON shapes scripts read and the exit statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from inspection_helpers import GOOD

from dutyboard.cli.main import main

Run = Callable[..., tuple[int, str, str]]
ITEM_KEYS = {"key", "section", "label", "type", "unit", "min", "max", "choices", "required"}


@pytest.fixture()
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the command line against a board with two sites, as zhangwei in Shanghai."""
    from dutyboard.store.db import close_database, open_database
    from dutyboard.store.models import Site

    monkeypatch.setenv("DUTYBOARD_DB", db_url)
    monkeypatch.setenv("DUTYBOARD_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("DUTYBOARD_USER", "zhangwei")
    monkeypatch.setenv("LANG", "C")
    open_database(db_url)
    Site.create(code="HQ-DC", name="中心机房")
    Site.create(code="QINGSHAN", name="青山水库管理站")
    close_database()

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def started(cli: Run, site: str = "HQ-DC", when: str = "2026-11-16T09:00") -> dict[str, Any]:
    status, out, err = cli("inspection", "start", "--site", site, "--at", when, "--json")
    assert status == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_due_json_shape(cli: Run) -> None:
    status, out, err = cli("inspection", "due", "--at", "2026-11-17T09:00:00+08:00", "--json")
    assert status == 0, err
    assert json.loads(out) == [
        {"site": "HQ-DC", "last_done": None, "next_due": "2026-11-16", "overdue": True},
        {"site": "QINGSHAN", "last_done": None, "next_due": "2026-11-16", "overdue": True},
    ]
    status, out, _err = cli("inspection", "due", "--at", "2026-11-17T09:00")
    assert status == 0 and "HQ-DC" in out


def test_start_json_lists_the_draft_and_its_items(cli: Run) -> None:
    data = started(cli)
    assert data["id"] == 1 and data["status"] == "draft" and data["site"] == "HQ-DC"
    assert len(data["items"]) == 24
    assert all(set(item) == ITEM_KEYS for item in data["items"])
    temperature = data["items"][0]
    assert temperature == {
        "key": "env.temperature", "section": "env", "label": "Temperature", "type": "number",
        "unit": "°C", "min": 18, "max": 27, "choices": None, "required": True,
    }
    dust = next(i for i in data["items"] if i["key"] == "env.dust")
    assert dust["choices"] == ["ok", "fault", "na"] and dust["unit"] is None
    assert started(cli)["id"] == 1  # the monthly draft is resumed
    status, out, _err = cli("inspection", "start", "--site", "HQ-DC", "--kind", "adhoc", "--json")
    assert status == 0 and json.loads(out)["id"] == 2


def test_set_exit_statuses_and_flags(cli: Run) -> None:
    inspection = started(cli)["id"]
    status, out, err = cli("inspection", "set", str(inspection), "env.temperature", "abc")
    assert status == 2 and "is not a number" in err and out == ""
    status, _out, err = cli("inspection", "set", str(inspection), "env.noise", "1")
    assert status == 2 and "Unknown item 'env.noise'" in err
    status, _out, err = cli("inspection", "set", str(inspection), "env.temperature", "300")
    assert status == 2 and "outside any physical range" in err
    status, out, err = cli("inspection", "set", str(inspection), "env.temperature", "-5", "--json")
    assert status == 0, err
    assert json.loads(out)["verdict"] == "finding" and json.loads(out)["value"] == "-5"
    status, out, err = cli(
        "inspection", "set", str(inspection), "env.temperature", "31", "--note", "热通道门开着"
    )
    assert status == 0 and "outside 18–27 °C" in out
    status, out, _err = cli("inspection", "show", str(inspection), "--json")
    value = json.loads(out)["values"]["env.temperature"]
    assert (value["value"], value["verdict"], value["note"]) == ("31", "finding", "热通道门开着")
    assert cli("inspection", "set", str(inspection), "env.dust", "--note", "积灰")[0] == 0
    assert cli("inspection", "set", str(inspection), "env.dust")[0] == 2
    assert cli("inspection", "set", "77", "env.dust", "ok")[0] == 2


def test_submit_json_and_refusals(cli: Run, tmp_path: Path) -> None:
    inspection = str(started(cli)["id"])
    status, out, err = cli("inspection", "submit", inspection, "--json")
    assert status == 2 and out == ""
    assert "env.temperature" in err and "pm.spare_parts" in err and "pm.firmware" not in err
    values = dict(GOOD, **{"env.temperature": "31", "sec.host": "fault"})
    for key, value in values.items():
        assert cli("inspection", "set", inspection, key, value)[0] == 0
    record = tmp_path / "record.txt"
    record.write_text("起因：月度巡检\n结果：两项发现\n今后注意事项：复查", encoding="utf-8")
    status, out, err = cli(
        "inspection", "submit", inspection, "--engineer", "张伟", "--customer", "王主任",
        "--record-file", str(record), "--process", "逐项检查", "--at", "2026-11-16T11:00",
        "--json",
    )
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"id", "status", "findings", "tickets"}
    assert data["id"] == int(inspection) and data["status"] == "submitted"
    assert [f["key"] for f in data["findings"]] == ["env.temperature", "sec.host"]
    assert len(data["tickets"]) == 2
    status, out, _err = cli("ticket", "show", str(data["tickets"][0]), "--json")
    ticket = json.loads(out)
    assert ticket["title"] == "Inspection finding: Temperature 31 °C (18–27 °C)"
    assert (ticket["level"], ticket["site"], ticket["reported_at"]) == (
        3, "HQ-DC", "2026-11-16T11:00:00+08:00"
    )
    status, out, _err = cli("inspection", "show", inspection, "--json")
    shown = json.loads(out)
    assert shown["record"]["cause"] == "月度巡检" and shown["record"]["process"] == "逐项检查"
    assert shown["engineers"] == "张伟" and shown["customer_rep"] == "王主任"
    assert cli("inspection", "submit", inspection)[0] == 2
    assert cli("inspection", "set", inspection, "env.temperature", "20")[0] == 2
    status, out, _err = cli("inspection", "due", "--at", "2026-11-17T09:00", "--json")
    hq = next(r for r in json.loads(out) if r["site"] == "HQ-DC")
    assert hq == {"site": "HQ-DC", "last_done": "2026-11-16T11:00:00+08:00",
                  "next_due": "2026-12-15", "overdue": False}
    status, out, _err = cli("inspection", "list", "--json")
    assert [(i["id"], i["status"], i["findings"]) for i in json.loads(out)] == [
        (int(inspection), "submitted", 2)
    ]


def test_report_to_stdout_and_to_a_file(cli: Run, tmp_path: Path) -> None:
    inspection = str(started(cli)["id"])
    status, out, err = cli("inspection", "report", inspection, "--format", "md")
    assert status == 0, err
    assert out.startswith("# System health inspection report")
    target = tmp_path / "report.html"
    status, out, err = cli("inspection", "report", inspection, "--format", "html", "-o", str(target))
    assert status == 0 and out == "" and str(target) in err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cli("inspection", "report", "99")[0] == 2
    assert cli("inspection", "report", inspection, "--format", "pdf")[0] == 2
    status, _out, err = cli(
        "inspection", "report", inspection, "-o", str(tmp_path / "missing" / "r.md")
    )
    assert status == 2 and "Cannot write" in err


def test_unknown_site_and_site_settings(cli: Run) -> None:
    status, _out, err = cli("inspection", "start", "--site", "NOPE")
    assert status == 2 and "HQ-DC, QINGSHAN" in err
    status, out, err = cli(
        "inspection", "site", "QINGSHAN", "--day", "5", "--range", "env.temperature=18..25",
        "--range", "perf.db_load=..70", "--json",
    )
    assert status == 0, err
    assert json.loads(out)["ranges"] == {"env.temperature": {"min": 18.0, "max": 25.0},
                                         "perf.db_load": {"max": 70.0}}
    assert json.loads(out)["day_of_month"] == 5
    data = started(cli, "QINGSHAN")
    temperature = next(i for i in data["items"] if i["key"] == "env.temperature")
    assert (temperature["min"], temperature["max"]) == (18, 25)
    assert cli("inspection", "site", "QINGSHAN", "--day", "32")[0] == 2
    assert cli("inspection", "site", "QINGSHAN", "--range", "env.temperature=hot")[0] == 2
    assert cli("inspection", "site", "QINGSHAN", "--range", "env.temperature=30..20")[0] == 2
    status, out, _err = cli("inspection", "site", "QINGSHAN", "--range", "perf.db_load=default",
                            "--json")
    assert json.loads(out)["ranges"] == {"env.temperature": {"min": 18.0, "max": 25.0}}
