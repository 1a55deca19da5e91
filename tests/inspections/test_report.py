"""The system health inspection report, as Markdown and as one self-contained A4 HTML page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from inspection_helpers import at, fill

from dutyboard import i18n
from dutyboard.reports.inspection_report import render
from dutyboard.service import inspections
from dutyboard.service.errors import BadInput, NotFound

pytestmark = pytest.mark.usefixtures("sites")


def submitted(board: Any) -> tuple[int, list[int]]:
    """A submitted HQ-DC inspection with two findings, notes and a partly written record."""
    inspections.configure_site(board, "HQ-DC", ranges={"env.temperature": {"max": 25}})
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    fill(board, draft, at("2026-11-16T09:30"), env__temperature="26.5", env__dust="fault",
         pm__firmware="done")
    inspections.set_value(board, draft, "env.dust", None, note="滤网积灰 <需更换> | A 列")
    inspections.set_value(board, draft, "pm.firmware", None, note="存储控制器微码 V300R006")
    result = inspections.submit(
        board, draft, engineer="张伟", customer_rep="王主任",
        record={"cause": "按计划的月度巡检", "precautions": "夏季前清洗空调滤网"},
        at=at("2026-11-16T11:00"),
    )
    return draft, result.tickets


def test_markdown_has_every_part_of_the_report(board: Any) -> None:
    inspection_id, opened = submitted(board)
    text = render(board, inspection_id, "md", "en")
    assert text.startswith("# System health inspection report\n")
    for expected in (
        "HQ-DC — 临安市水利水电局 中心机房", "| Date | 2026-11-16 |", "张伟", "王主任",
        "monthly inspection for 2026-11", "## Environment", "## Operating status",
        "## Performance", "## Security",
    ):
        assert expected in text, expected
    # Every item of the checklist sections, with its value, the range in force and the verdict.
    assert "| Temperature | 26.5 °C | 18–25 °C | **Finding** |" in text
    assert "| Humidity | 45 %RH | 25–60 %RH | OK |" in text
    assert "| Database load | 41 % | ≤ 80 % | OK |" in text
    assert "| Backup restore test | Restored successfully | — | OK |" in text
    # Notes are escaped for the table.
    assert "滤网积灰 <需更换> \\| A 列" in text
    findings = text.split("## Findings")[1].split("## Preventive maintenance done")[0]
    assert f"#{opened[0]} L3" in findings and f"#{opened[1]} L3" in findings
    assert "outside 18–25 °C" in findings
    maintenance = text.split("## Preventive maintenance done")[1].split("## Service record")[0]
    for label in ("Fault log analysis", "Hardware diagnosis", "Cleaning", "Microcode upgrades",
                  "Spare-parts stock"):
        assert label in maintenance
    assert "存储控制器微码 V300R006" in maintenance
    assert "Temperature" not in maintenance
    record = text.split("## Service record")[1]
    for part in ("### Cause", "### Response", "### Process", "### Result", "### Precautions"):
        assert part in record
    assert "按计划的月度巡检" in record and "夏季前清洗空调滤网" in record
    # Parts left empty are written from the checklist.
    assert "On-site visit on 2026-11-16 by 张伟." in record
    assert f"Tickets opened: #{opened[0]}, #{opened[1]}." in record


def test_html_is_one_self_contained_page_for_a4(board: Any) -> None:
    inspection_id, opened = submitted(board)
    page = render(board, inspection_id, "html", "en")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<html lang="en">' in page and '<meta charset="utf-8">' in page
    style = page.split("<style>")[1].split("</style>")[0]
    assert "@media print" in style and "size: A4" in style
    assert not re.search(r"<link|<script|<img|@import|url\(|https?://", page)
    assert "滤网积灰 &lt;需更换&gt; | A 列" in page  # escaped, never markup
    assert '<tr class="finding">' in page
    assert "<h2>Findings</h2>" in page and f"#{opened[0]} L3" in page
    assert "<h2>Preventive maintenance done</h2>" in page
    assert "<h2>Service record</h2>" in page and "<dt>Precautions</dt>" in page
    assert "18–25 °C" in page


def test_the_report_speaks_the_readers_language(board: Any) -> None:
    inspection_id, _opened = submitted(board)
    before = i18n.current_language()
    text = render(board, inspection_id, "md", "zh_CN")
    assert text.startswith("# 系统健康巡检报告\n")
    assert "2026年11月16日" in text
    page = render(board, inspection_id, "html", "zh_CN")
    assert '<html lang="zh-CN">' in page and "<title>系统健康巡检报告</title>" in page
    assert i18n.current_language() == before  # switched back


def test_a_draft_report_says_so_and_lists_findings_without_tickets(board: Any) -> None:
    draft = inspections.start(board, "QINGSHAN", at=at("2026-11-16T09:00")).id
    inspections.set_value(board, draft, "env.humidity", "71")
    text = render(board, draft, "md", "en")
    assert "DRAFT: not submitted yet" in text
    assert "| Humidity | 71 %RH | 25–60 %RH | **Finding** |" in text
    assert "opened on submission" in text
    assert "| Temperature | — | 18–27 °C | — |" in text
    assert 'class="draft"' in render(board, draft, "html", "en")


def test_bad_requests(board: Any) -> None:
    with pytest.raises(NotFound):
        render(board, 42, "md")
    draft = inspections.start(board, "QINGSHAN", at=at("2026-11-16T09:00")).id
    with pytest.raises(BadInput, match="md or html"):
        render(board, draft, "pdf")
