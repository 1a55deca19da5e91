"""The checks that keep the code in shape, run with the tests so CI runs them on every change.

ruff (style and likely bugs), mypy in strict mode, and the import contracts that hold the
layers apart (pyproject.toml, [tool.importlinter]): each must find nothing. A failure prints
what the tool printed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command), cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )


def test_ruff_finds_nothing() -> None:
    done = _run(sys.executable, "-m", "ruff", "check", "--no-cache", "dutyboard")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing() -> None:
    done = _run(sys.executable, "-m", "mypy")  # strict, over dutyboard/ (pyproject.toml)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_contracts_are_kept() -> None:
    done = _run(str(BIN / "lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
