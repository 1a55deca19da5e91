"""The `dutyboard` program: the command line, and the dashboard when no command is given.

The command line never imports Textual; this module hands it the dashboard to open, so only
`dutyboard` without a command (or `--demo`) loads the full-screen interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dutyboard.cli.main import main as command_line

if TYPE_CHECKING:
    from dutyboard.service.board import Board


def open_dashboard(board: Board) -> int:
    """Run the dashboard on an open board until the engineer quits or the terminal goes away."""
    from dutyboard.tui.app import run

    return run(board)


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point of `dutyboard` and `python -m dutyboard`."""
    return command_line(argv, dashboard=open_dashboard)
