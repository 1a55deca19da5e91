"""A board served over HTTP on a free port of 127.0.0.1, for the intake tests and benchmarks."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import httpx

from dutyboard.service.board import Board


@dataclass
class Served:
    """A board served over HTTP on a free port, with an engineer and a viewer token."""

    board: Board
    url: str
    engineer: str
    viewer: str
    server: Any

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)


def serve_board(board: Board) -> Served:
    from dutyboard.service import tokens
    from dutyboard.web.server import HttpServer

    _info, engineer = tokens.add_token(board, "monitor", "engineer")
    _info, viewer = tokens.add_token(board, "screen", "viewer")
    server = HttpServer(board, "127.0.0.1:0")
    server.start()
    return Served(board, server.url, engineer, viewer, server)


#: One firing alert as Alertmanager (version 4) posts it.
FIRING: dict[str, Any] = {
    "version": "4",
    "groupKey": '{}:{alertname="DiskFull"}',
    "truncatedAlerts": 0,
    "status": "firing",
    "receiver": "dutyboard",
    "groupLabels": {"alertname": "DiskFull"},
    "commonLabels": {"alertname": "DiskFull", "severity": "critical"},
    "commonAnnotations": {},
    "externalURL": "http://alertmanager.example:9093",
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "DiskFull", "severity": "critical", "instance": "db1:9100",
                       "site": "HQ-DC", "asset": "DB-01"},
            "annotations": {"summary": "Disk full on db1", "description": "/var is 100% full"},
            "startsAt": "2026-11-25T02:00:00.123456789Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example:9090/graph?g0.expr=disk",
            "fingerprint": "c0ffee0123456789",
        }
    ],
}


def firing_payload() -> dict[str, Any]:
    """A fresh copy of FIRING."""
    return copy.deepcopy(FIRING)


def resolved_payload(payload: dict[str, Any] | None = None, ends: str = "2026-11-25T03:00:00Z") -> dict[str, Any]:
    """The payload (default FIRING) as Alertmanager sends it once its alerts resolved."""
    done = copy.deepcopy(payload if payload is not None else FIRING)
    done["status"] = "resolved"
    for alert in done["alerts"]:
        alert["status"], alert["endsAt"] = "resolved", ends
    return done
