"""Regenerate screenshots/inspection-report-*.png: the demo's health report printed by a browser.

Run: python scripts/export_report_page.py [--chromium PATH]
Needs a Chromium (Debian's `chromium` package); the report itself is one self-contained HTML file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-25T14:00:00+08:00"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    if not args.chromium:
        print("No Chromium found: install Debian's chromium package or pass --chromium.", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="dutyboard-report-"))
    env = {
        **os.environ, "DUTYBOARD_DB": str(work / "demo.db"), "DUTYBOARD_NOW": NOW,
        "DUTYBOARD_TIMEZONE": "Asia/Shanghai", "DUTYBOARD_USER": "zhangwei",
        "XDG_CONFIG_HOME": str(work / "config"),
    }
    run = [sys.executable, "-m", "dutyboard"]
    subprocess.run([*run, "demo", "--at", NOW], env=env, check=True, capture_output=True)
    listed = subprocess.run(
        [*run, "inspection", "list", "--json"], env=env, check=True, capture_output=True, text=True
    ).stdout
    import json

    inspections = json.loads(listed)
    chosen = max(
        (i for i in inspections if i["status"] == "submitted" and i["kind"] == "monthly"),
        key=lambda i: (i.get("findings") or 0, i["id"]),
    )
    for language, lang_env in (("en", "C.UTF-8"), ("zh_CN", "zh_CN.UTF-8")):
        html = work / f"report-{language}.html"
        subprocess.run(
            [*run, "inspection", "report", str(chosen["id"]), "--format", "html", "-o", str(html)],
            env={**env, "LANG": lang_env, "LC_ALL": lang_env}, check=True, capture_output=True,
        )
        png = args.out / f"inspection-report-{language}.png"
        subprocess.run(
            [args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--window-size=900,1700", f"--user-data-dir={work / 'chromium'}",
             f"--screenshot={png}", html.as_uri()],
            check=True, capture_output=True,
        )
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
