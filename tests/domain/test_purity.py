"""The rules stay pure: importing every module of dutyboard.domain pulls in no database or UI,
nor the formatting for people (fmt, and through it rich)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import importlib, json, pkgutil, sys
import dutyboard.domain as domain
LAYERS = ("peewee", "textual", "rich", "dutyboard.fmt", "dutyboard.store", "dutyboard.service")
names = [m.name for m in pkgutil.walk_packages(domain.__path__, domain.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names,
                  "leaked": sorted(m for m in LAYERS if m in sys.modules)}))
"""


def test_domain_imports_no_database_ui_or_formatting() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "dutyboard.domain.calendar" in found["modules"]
    assert found["leaked"] == []
