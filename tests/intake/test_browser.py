"""The board in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Skipped with a reason where no Chromium is installed, except under CI=true, where .ci/run
installs it and these tests must run. Every wait is for a state, with a time-out.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from http_support import Served, serve_board

from dutyboard.config import Config
from dutyboard.service import tickets
from dutyboard.service.board import Board

#: Seconds a page gets to show what the server has (the goal is one).
SHOWN_WITHIN = 5.0


def chromium_path() -> str | None:
    """Debian's chromium (or DUTYBOARD_CHROMIUM), if this machine has one."""
    named = os.environ.get("DUTYBOARD_CHROMIUM", "").strip()
    for candidate in (named, shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        if _ci():
            pytest.fail("No Chromium found; CI must run the browser tests (.ci/run installs it)",
                        pytrace=False)
        pytest.skip("No Chromium found (install Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=path, headless=True)
        yield launched
        launched.close()


@pytest.fixture()
def site(sqlite_url: str) -> Iterator[Served]:
    board = Board.open(sqlite_url, actor="zhangwei", config=Config(timezone="Asia/Shanghai"))
    running = serve_board(board)
    yield running
    running.server.stop()
    board.close()


def _logged_in(browser: Any, site: Served, language: str, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(SHOWN_WITHIN * 1000)
    page.goto(f"{site.url}/board?lang={language}")
    page.fill("#token", site.viewer)
    page.click("button[type=submit]")
    page.wait_for_selector("#state.on")
    return page


def test_the_page_shows_a_ticket_opened_through_the_api(browser: Any, site: Served) -> None:
    page = _logged_in(browser, site, "en")
    page.wait_for_selector("#empty:not([hidden])")
    with site.client(site.engineer) as http:
        made = http.post("/v1/tickets", json={"level": 1, "title": "Core switch down",
                                              "site": "HQ-DC", "dedup_key": "am:1"})
    ticket = made.json()["id"]
    row = page.wait_for_selector(f"tr[data-id='{ticket}']")
    assert "Core switch down" in row.inner_text() and "L1" in row.inner_text()
    first = page.inner_text(f"tr[data-id='{ticket}'] td.left")
    page.wait_for_function(
        "([id, first]) => document.querySelector(`tr[data-id='${id}'] td.left`).textContent !== first",
        arg=[ticket, first],
    )  # the countdown ticks in the page
    with site.client(site.engineer) as http:
        http.post("/v1/tickets", json={"level": 1, "title": "Core switch down", "dedup_key": "am:1"})
    page.wait_for_selector(f"tr[data-id='{ticket}'] .tag.repeats")
    assert "2×" in page.inner_text(f"tr[data-id='{ticket}'] .tag.repeats")


def test_the_page_speaks_chinese_and_shows_breaches_and_escalations(browser: Any, site: Served) -> None:
    board = site.board
    late = tickets.open_ticket(board, level=4, title="机房空调告警", at=board.at("2026-11-20T10:00+08:00"))
    tickets.sweep(board)
    page = _logged_in(browser, site, "zh_CN")
    row = page.wait_for_selector(f"tr[data-id='{late}'].breached")
    text = row.inner_text()
    assert "已超时" in text and "→" in text
    assert page.inner_text("html").count("升级记录") == 1
    assert page.inner_text("#escalations").strip().startswith(("0", "1", "2"))
    assert page.get_attribute("html", "lang") == "zh-CN"


def test_the_page_fits_a_phone(browser: Any, site: Served) -> None:
    tickets.open_ticket(site.board, level=2, title="Storage array degraded: controller B offline "
                        "since the firmware update of the night")
    page = _logged_in(browser, site, "en", viewport={"width": 390, "height": 844},
                      device_scale_factor=2, is_mobile=True, has_touch=True)
    page.wait_for_selector("tr[data-id='1']")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("getComputedStyle(document.querySelector('#queue thead')).display") == "none"
