"""Regenerate screenshots/*.svg from the demo database at a fixed instant (the README shows them).

Each shot is (name, terminal size, steps): the dashboard is started on a fresh demo database
with the clock stopped at INSTANT, the steps drive it through Pilot, and the screen is saved
as screenshots/<name>.svg, or screenshots/<name>.zh_CN.svg beside it in Chinese. Add a shot by
appending to SHOTS (detail screens and forms too).

Run: python scripts/export_screenshots.py [--only NAME ...] [--language en|zh_CN] [--out DIR]
(the README's pictures: once as is, once with --language zh_CN)
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[1]
INSTANT = "2026-11-25T14:00:00+08:00"
ACTOR = "zhangwei"

Step = Callable[[Pilot[object]], Awaitable[None]]


async def settle(pilot: Pilot[object]) -> None:
    """Let the first poll load the queue and the screen take it."""
    await pilot.app.poll_now()  # type: ignore[attr-defined]
    await pilot.pause()


def press(*keys: str) -> Step:
    """A step that presses keys (Textual key names: "enter", "slash", "j" ...)."""

    async def step(pilot: Pilot[object]) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return step


def keys(*pressed: str) -> Step:
    """A step that presses keys one by one, each followed by the workers it started (database reads)."""

    async def step(pilot: Pilot[object]) -> None:
        for key in pressed:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return step


async def to_draft(pilot: Pilot[object]) -> None:
    """On the inspections screen: the cursor to the site with a monthly draft in progress."""
    table = pilot.app.screen.table  # type: ignore[attr-defined]
    site = next(row.site for row in table.rows_by_site.values() if row.draft is not None)
    table.move_cursor(row=table.get_row_index(site))
    await pilot.pause()


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    steps: Sequence[Step] = field(default_factory=lambda: (settle,))


SHOTS: list[Shot] = [
    Shot("queue-120x40", (120, 40), (settle,)),
    Shot("queue-80x24", (80, 24), (settle,)),
    Shot("queue-filtered-120x40", (120, 40), (settle, press("2", "s", "slash", *"hq-"))),
    Shot("queue-help-120x40", (120, 40), (settle, press("question_mark"))),
    # The detail of the first ticket in the queue: clocks, call list, escalations, audit trail.
    Shot("detail-120x40", (120, 40), (settle, keys("enter"))),
    Shot("detail-80x24", (80, 24), (settle, keys("enter"))),
    # Inspections: the schedule, the demo's draft resumed (a letter typed after a number shows
    # its reason and saves nothing), and the submit form naming the required items still empty.
    # These steps write nothing, so the shots do not depend on one another.
    Shot("inspections-120x40", (120, 40), (settle, keys("i"))),
    Shot("inspections-80x24", (80, 24), (settle, keys("i"))),
    Shot("inspection-checklist-120x40", (120, 40), (settle, keys("i"), to_draft, keys("enter", "up", "x"))),
    Shot("inspection-checklist-80x24", (80, 24), (settle, keys("i"), to_draft, keys("enter", "up", "x"))),
    Shot("inspection-submit-120x40", (120, 40), (settle, keys("i"), to_draft, keys("enter", "ctrl+s"))),
]


def demo_board(folder: str) -> object:
    """A fresh demo database as of INSTANT, its board's clock stopped there."""
    os.environ["DUTYBOARD_NOW"] = INSTANT
    os.environ.pop("NO_COLOR", None)
    from dutyboard.config import Config
    from dutyboard.service.demo import make_demo
    from dutyboard.service.board import Board

    board = Board.open(os.path.join(folder, "demo.db"), actor=ACTOR, config=Config(timezone="Asia/Shanghai"))
    make_demo(board, seed=7)
    instant = datetime.fromisoformat(INSTANT)
    board.clock = lambda: instant
    return board


_TEXT_SPAN = re.compile(r'(<text [^>]*?textLength=")([\d.]+)("[^>]*>)(.*?)(</text>)')


def fit_wide_characters(svg: str) -> str:
    """Give each text span the width of its terminal cells, so browsers draw Chinese at two cells.

    Rich's SVG export sets a span's textLength from its number of characters, and browsers squeeze
    the glyphs to that length: a span of Chinese came out half as wide as its cells, overlapping
    the next column. The cell count (a Chinese character is two) is what the layout used.
    """
    from rich.cells import cell_len

    def widen(span: re.Match[str]) -> str:
        text = html.unescape(span[4])
        if not text or cell_len(text) == len(text):
            return span[0]
        length = float(span[2]) / len(text) * cell_len(text)
        return f"{span[1]}{length:g}{span[3]}{span[4]}{span[5]}"

    return _TEXT_SPAN.sub(widen, svg)


def file_name(shot: Shot, language: str) -> str:
    """English shots keep their plain names; another language's sit beside them (queue-80x24.zh_CN.svg)."""
    return f"{shot.name}.svg" if language == "en" else f"{shot.name}.{language}.svg"


async def take(board: object, shot: Shot, out: Path, language: str = "en") -> Path:
    from dutyboard.tui.app import DutyboardApp

    app = DutyboardApp(board)  # type: ignore[arg-type]
    async with app.run_test(size=shot.size) as pilot:
        for step in shot.steps:
            await step(pilot)
        await pilot.pause()
        path = out / file_name(shot, language)
        svg = fit_wide_characters(app.export_screenshot(title=f"dutyboard — {shot.name}"))
        path.write_text(svg, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="the shots to take (default: all)")
    parser.add_argument("--language", default="en", help="en or zh_CN (default en)")
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the SVG files")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from dutyboard.i18n import setup_language

    language = setup_language(args.language)
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    unknown = set(args.only or ()) - {s.name for s in SHOTS}
    if unknown:
        parser.error(f"unknown shots: {', '.join(sorted(unknown))}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dutyboard-shots-") as folder:
        board = demo_board(folder)
        for shot in shots:
            path = asyncio.run(take(board, shot, out, language))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        board.close()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
