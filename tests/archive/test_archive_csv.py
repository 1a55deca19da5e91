"""`archive import|export`: spreadsheets as Chinese Excel and WPS save them, all rows or none."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from archive_support import Cli

SITES = "code,name,address\nHQ-DC,中心机房,锦城街道\nQINGSHAN,青山水库管理站,青山湖街道\n"
ASSETS = (
    "code,site,name,kind,model,serial,accepted\n"
    "HQ-SRV-01,HQ-DC,应用服务器 01,server,Inspur NF5280M6,SN001,2024-06-01\n"
    'HQ-STO-01,HQ-DC,"集中存储, 双控",storage,OceanStor 5310,,2024-06-01\n'
    "QS-RTU-GW,QINGSHAN,遥测网关,network,Huawei AR651,,\n"
)
WriteCsv = Callable[..., Path]


def _sites(cli: Cli, write_csv: WriteCsv) -> None:
    cli.ok("archive", "import", str(write_csv("sites.csv", SITES)), "--kind", "sites")


def test_a_new_customers_device_list_goes_in_with_one_command(
    cli: Cli, write_csv: WriteCsv
) -> None:
    result = cli.json("archive", "import", str(write_csv("sites.csv", SITES)), "--kind", "sites")
    assert (result["added"], result["updated"], result["encoding"]) == (2, 0, "utf-8")
    result = cli.json("archive", "import", str(write_csv("assets.csv", ASSETS)), "--kind", "assets")
    assert result["added"] == 3
    assets = {a["code"]: a for a in cli.json("asset", "list")}
    assert assets["HQ-STO-01"]["name"] == "集中存储, 双控"
    assert assets["QS-RTU-GW"]["accepted"] is None and assets["HQ-SRV-01"]["serial"] == "SN001"
    events = [e for e in cli.snapshot()["event"] if e[5] == "archive_imported"]
    assert len(events) == 2  # one audit event per file, not per row


def test_excels_csv_utf8_with_a_bom(cli: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("sites.csv", SITES.replace("\n", "\r\n"), encoding="utf-8-sig")
    assert cli.json("archive", "import", str(path), "--kind", "sites")["encoding"] == "utf-8-sig"
    assert [s["name"] for s in cli.json("site", "list")] == ["中心机房", "青山水库管理站"]


def test_gbk_from_older_office_software_is_detected(cli: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("sites.csv", SITES + "LIANTONG,联通机房,\n", encoding="gbk")
    assert cli.json("archive", "import", str(path), "--kind", "sites")["encoding"] == "gb18030"
    assert "联通机房" in [s["name"] for s in cli.json("site", "list")]


def test_gb18030_four_byte_characters(cli: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("sites.csv", "code,name\nJI-1,𠮷田水文站\n", encoding="gb18030")
    cli.ok("archive", "import", str(path), "--kind", "sites")
    assert cli.json("site", "show", "JI-1")["name"] == "𠮷田水文站"


def test_a_byte_neither_encoding_reads_is_refused_at_its_line(
    cli: Cli, write_csv: WriteCsv
) -> None:
    data = SITES.encode("gbk") + b"EURO,\x80 room,\n"
    err = cli.refused("archive", "import", str(write_csv("sites.csv", data)), "--kind", "sites")
    assert "line 4" in err and "0x80" in err and "CSV UTF-8" in err


def test_utf16_unicode_text_is_refused_with_what_to_do(cli: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("sites.csv", SITES, encoding="utf-16")
    assert "CSV UTF-8" in cli.refused("archive", "import", str(path), "--kind", "sites")


def test_a_bad_row_refuses_the_whole_file_naming_line_and_column(
    cli: Cli, write_csv: WriteCsv
) -> None:
    _sites(cli, write_csv)
    bad = ASSETS + "HQ-SW-01,HQ-DC,核心交换机,switch,H3C,,\n"
    err = cli.refused("archive", "import", str(write_csv("assets.csv", bad)), "--kind", "assets")
    assert "line 5" in err and "column D (kind)" in err and "switch" in err
    assert cli.json("asset", "list") == []  # nothing half-imported


@pytest.mark.parametrize(
    ("row", "line", "column", "words"),
    [
        ("HQ-X,NOWHERE,x,server,,,", 5, "B (site)", "unknown site"),
        ("HQ-X,HQ-DC,x,server,,,2024/06/01", 5, "G (accepted)", "YYYY-MM-DD"),
        ("HQ-SRV-01,HQ-DC,again,server,,,", 5, "A (code)", "line 2"),
        (",HQ-DC,x,server,,,", 5, "A (code)", "empty"),
        ("HQ-X,HQ-DC,,server,,,", 5, "C (name)", "empty"),
    ],
)
def test_each_kind_of_bad_cell_is_named(
    cli: Cli, write_csv: WriteCsv, row: str, line: int, column: str, words: str
) -> None:
    _sites(cli, write_csv)
    err = cli.refused(
        "archive", "import", str(write_csv("a.csv", ASSETS + row + "\n")), "--kind", "assets"
    )
    assert f"line {line}" in err and f"column {column}" in err and words in err


def test_a_missing_or_unknown_column_is_refused_at_the_header(
    cli: Cli, write_csv: WriteCsv
) -> None:
    _sites(cli, write_csv)
    no_kind = "code,site,name\nHQ-X,HQ-DC,x\n"
    err = cli.refused("archive", "import", str(write_csv("a.csv", no_kind)), "--kind", "assets")
    assert "line 1" in err and "kind" in err
    typo = "code,site,name,kind,serail\nHQ-X,HQ-DC,x,server,1\n"
    err = cli.refused("archive", "import", str(write_csv("b.csv", typo)), "--kind", "assets")
    assert "line 1" in err and "serail" in err
    cli.refused("archive", "import", str(write_csv("c.csv", "")), "--kind", "sites")


def test_line_numbers_count_lines_not_rows(cli: Cli, write_csv: WriteCsv) -> None:
    text = 'code,name,address\nA,"two\nline address",x\n\nB,b,\nC,,\n'
    err = cli.refused("archive", "import", str(write_csv("s.csv", text)), "--kind", "sites")
    assert "line 6" in err and "column B (name)" in err


def test_existing_codes_need_update(cli: Cli, write_csv: WriteCsv) -> None:
    _sites(cli, write_csv)
    changed = "code,name\nHQ-DC,临安市水利水电局 中心机房\nNEW,新站\n"
    path = write_csv("s2.csv", changed)
    err = cli.refused("archive", "import", str(path), "--kind", "sites")
    assert "line 2" in err and "--update" in err
    result = cli.json("archive", "import", str(path), "--kind", "sites", "--update")
    assert (result["added"], result["updated"]) == (1, 1)
    hq = cli.json("site", "show", "HQ-DC")
    assert (
        hq["name"] == "临安市水利水电局 中心机房" and hq["address"] == "锦城街道"
    )  # column left out: kept


def test_contacts_and_parts(cli: Cli, write_csv: WriteCsv) -> None:
    _sites(cli, write_csv)
    contacts = (
        "site,name,phone,email,title,reporter\n"
        "HQ-DC,李主任,0571-63701234,,信息中心主任,是\n"
        "QINGSHAN,王工,,wang@example.cn,站长,no\n"
    )
    cli.ok("archive", "import", str(write_csv("c.csv", contacts)), "--kind", "contacts")
    assert [(c["name"], c["reporter"]) for c in cli.json("contact", "list")] == [
        ("李主任", True),
        ("王工", False),
    ]
    unreachable = "site,name,phone,email\nHQ-DC,赵,,\n"
    err = cli.refused(
        "archive", "import", str(write_csv("c2.csv", unreachable)), "--kind", "contacts"
    )
    assert "line 2" in err and "phone" in err
    parts = (
        "code,name,kind,qty,min,store\n"
        "PSU-550,550W 电源,server,1,2,local\nDISK,硬盘,storage,3,1,hangzhou\n"
    )
    cli.ok("archive", "import", str(write_csv("p.csv", parts)), "--kind", "parts")
    assert [p["code"] for p in cli.json("part", "list", "--low")] == ["PSU-550"]
    for bad in ("X,x,server,-1,0,local", "X,x,server,1.5,0,local", "X,x,server,1,0,shanghai"):
        err = cli.refused(
            "archive",
            "import",
            str(write_csv("p2.csv", "code,name,kind,qty,min,store\n" + bad + "\n")),
            "--kind",
            "parts",
        )
        assert "line 2" in err


def test_export_writes_four_files_that_import_again(
    cli: Cli, write_csv: WriteCsv, tmp_path: Path
) -> None:
    _sites(cli, write_csv)
    cli.ok("archive", "import", str(write_csv("a.csv", ASSETS)), "--kind", "assets")
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
    out = tmp_path / "export"
    result = cli.json("archive", "export", str(out))
    assert result["files"] == {"sites.csv": 2, "assets.csv": 3, "contacts.csv": 1, "parts.csv": 1}
    with (out / "assets.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "code",
        "site",
        "name",
        "kind",
        "model",
        "serial",
        "accepted",
        "retired",
    ]
    assert rows[1]["name"] == "集中存储, 双控" and rows[0]["accepted"] == "2024-06-01"
    assert not (out / "sites.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    before = cli.snapshot()
    for kind in ("sites", "assets", "contacts", "parts"):
        result = cli.json("archive", "import", str(out / f"{kind}.csv"), "--kind", kind, "--update")
        assert result["added"] == 0
    after = cli.snapshot()
    assert {t: after[t] for t in ("site", "asset", "contact", "part")} == {
        t: before[t] for t in ("site", "asset", "contact", "part")
    }
    cli.ok("archive", "export", str(tmp_path / "excel"), "--bom")
    assert (tmp_path / "excel" / "sites.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_import_and_export_refuse_bad_paths(cli: Cli, tmp_path: Path, write_csv: WriteCsv) -> None:
    cli.refused("archive", "import", str(tmp_path / "missing.csv"), "--kind", "sites")
    cli.refused("archive", "import", str(tmp_path), "--kind", "sites")
    status, _out, _err = cli(
        "archive", "import", str(write_csv("s.csv", SITES)), "--kind", "things"
    )
    assert status == 2
    afile = write_csv("file.txt", "x")
    cli.refused("archive", "export", str(afile))


def test_only_managers_import(cli: Cli, write_csv: WriteCsv) -> None:
    cli.ok("roster", "add", "zhangwei", "--name", "张伟", "--role", "dedicated_engineer")
    assert "manager" in cli.refused(
        "archive", "import", str(write_csv("s.csv", SITES)), "--kind", "sites"
    )
