"""Regenerate screenshots/board-*.png: the browser board on the demo, in English and Chinese.

Run: python scripts/export_board_page.py [--chromium PATH]
Needs Debian's `chromium` and the test extras (Playwright drives it). The demo is made at a
fixed instant, an alert is repeated twice on one of its tickets, and the page is shown to a
viewer token at 1280×860 (a desk) in each language, and at 390×844 (a phone) in Chinese.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-25T14:00:00+08:00"
SHOTS = (("en", {"width": 1280, "height": 860}, "board-en.png"),
         ("zh_CN", {"width": 1280, "height": 860}, "board-zh_CN.png"),
         ("zh_CN", {"width": 390, "height": 844}, "board-phone-zh_CN.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    if not os.path.exists(args.chromium):
        print("No Chromium found: install Debian's chromium package or pass --chromium.",
              file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="dutyboard-board-page-"))
    os.environ.update({
        "DUTYBOARD_NOW": NOW, "DUTYBOARD_TIMEZONE": "Asia/Shanghai",
        "XDG_CONFIG_HOME": str(work / "config"), "XDG_CACHE_HOME": str(work / "cache"),
    })
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from dutyboard.config import load_config
    from dutyboard.service.demo import make_demo
    from dutyboard.service import tickets, tokens
    from dutyboard.service.board import Board
    from dutyboard.web.server import HttpServer

    board = Board.open(str(work / "demo.db"), actor="zhangwei", config=load_config())
    make_demo(board, seed=7, at=board.at(NOW))
    for _ in range(3):  # an alert from monitoring, sent again twice while its ticket is open
        tickets.open_or_repeat(board, level=2, title="Disk full on db1 (/var 100%)",
                               channel="monitoring", site="HQ-DC", dedup_key="am:demo")
    manager = board.acting_as("wangqiang")
    _info, token = tokens.add_token(manager, "wall-screen", "viewer")
    server = HttpServer(board, "127.0.0.1:0")
    server.start()
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=args.chromium, headless=True)
            for language, viewport, name in SHOTS:
                context = browser.new_context(viewport=viewport, device_scale_factor=1,
                                              locale=language.replace("_", "-"))
                page = context.new_page()
                page.goto(f"{server.url}/board?lang={language}")
                page.fill("#token", token)
                page.click("button[type=submit]")
                page.wait_for_selector("#state.on", timeout=10_000)
                page.wait_for_selector("#rows tr", timeout=10_000)
                page.screenshot(path=str(args.out / name))
                context.close()
                print((args.out / name).relative_to(ROOT))
            browser.close()
    finally:
        server.stop()
        board.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
