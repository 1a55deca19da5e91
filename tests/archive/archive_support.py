"""The archive tests' command line in process, with a snapshot of every table to prove that a
refusal changed nothing (imported by name, as conftest modules of several folders would clash)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from dutyboard.cli.main import main

#: Every table an archive command may write, and the audit trail.
TABLES = ("site", "asset", "contact", "part", "part_use", "ticket", "event")


class Cli:
    """Runs `dutyboard …` in process; returns (status, stdout, stderr)."""

    def __init__(self, capsys: pytest.CaptureFixture[str], db: Path) -> None:
        self.capsys = capsys
        self.db = db

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = self.capsys.readouterr()
        return status, out, err

    def json(self, *argv: str) -> Any:
        status, out, err = self(*argv, "--json")
        assert status == 0, err
        return json.loads(out)

    def ok(self, *argv: str) -> str:
        status, out, err = self(*argv)
        assert status == 0, err
        return out

    def refused(self, *argv: str) -> str:
        """Run a command that must be refused with exit 2 and change nothing; returns stderr."""
        before = self.snapshot()
        status, out, err = self(*argv)
        assert status == 2, (status, out, err)
        assert err.strip() and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
        assert self.snapshot() == before
        return err

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        if not self.db.exists():
            return {t: [] for t in TABLES}
        conn = sqlite3.connect(self.db)
        try:
            return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in TABLES}
        finally:
            conn.close()
