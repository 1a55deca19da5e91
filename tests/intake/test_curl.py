"""The issue's "done when" from outside: the HTTP interface in its own process, driven with curl."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from http_support import firing_payload, resolved_payload

from dutyboard.service import tokens
from dutyboard.service.board import Board

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def _curl(url: str, token: str, payload: dict[str, object]) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        ["curl", "-sS", "-w", "\n%{http_code}", "-H", f"Authorization: Bearer {token}",
         "-H", "Content-Type: application/json", "-d", json.dumps(payload), url],
        capture_output=True, text=True, timeout=30, check=True,
    )
    body, _newline, status = done.stdout.rpartition("\n")
    return int(status), json.loads(body)


def test_curl_opens_repeats_notes_and_a_viewer_cannot_write(db_url: str, tmp_path: Path) -> None:
    board = Board.open(db_url, actor="zhangwei")
    _i, engineer = tokens.add_token(board, "alertmanager", "engineer")
    _i, viewer = tokens.add_token(board, "wall", "viewer")
    board.close()
    env = {**os.environ, "DUTYBOARD_DB": db_url, "DUTYBOARD_TIMEZONE": "Asia/Shanghai"}
    server = subprocess.Popen([sys.executable, "-m", "dutyboard.web", "127.0.0.1:0"], env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = server.stderr.readline()
            assert line, "the HTTP interface exited before it served"
            if " on http://" in line:
                url = line.rsplit(" on ", 1)[1].strip()
        assert url is not None
        hook = url + "/v1/alertmanager"
        status, opened = _curl(hook, engineer, firing_payload())
        assert status == 200 and opened["alerts"][0]["action"] == "opened"
        status, repeated = _curl(hook, engineer, firing_payload())
        assert repeated["alerts"][0]["action"] == "repeated" and repeated["alerts"][0]["count"] == 2
        status, noted = _curl(hook, engineer, resolved_payload())
        assert noted["alerts"][0]["action"] == "noted"
        status, refused = _curl(hook, viewer, firing_payload())
        assert status == 403 and "error" in refused
        status, _refused = _curl(url + "/v1/tickets", viewer, {"level": 2, "title": "x"})
        assert status == 403
    finally:
        server.terminate()
        server.wait(30)
    board = Board.open(db_url, actor="zhangwei")
    try:
        from dutyboard.service import tickets

        (row, _next), = tickets.queue(board)
        shown = tickets.view(board, row.id)
        assert [e["kind"] for e in shown.events] == ["opened", "repeated", "note"]
        assert shown.status == "open" and shown.repeats == 1
    finally:
        board.close()
