"""The HTTP interface: intake from Alertmanager and scripts, reads, tokens, limits, errors as JSON."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from http_support import FIRING, Served, resolved_payload, serve_board

from dutyboard.config import Config, HttpSettings
from dutyboard.domain.instants import iso
from dutyboard.domain.intake import AlertMapping
from dutyboard.service import tickets, tokens
from dutyboard.service.board import Board
from dutyboard.service.errors import Conflict
from dutyboard.store.models import Event, Ticket


def _resolved(payload: dict[str, Any]) -> dict[str, Any]:
    return resolved_payload(payload)


def _alert(**changes: Any) -> dict[str, Any]:
    payload = copy.deepcopy(FIRING)
    alert = payload["alerts"][0]
    alert.update(changes)
    return payload


def test_health_needs_no_token(served: Served) -> None:
    with served.client() as http:
        answer = http.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"ok": True}


def test_an_alert_opens_repeats_and_notes_one_ticket_and_a_viewer_cannot_write(served: Served) -> None:
    """The issue's "done when", through HTTP: firing, firing again, resolved; the viewer refused."""
    with served.client(served.engineer) as http:
        first = http.post("/v1/alertmanager", json=FIRING)
        assert first.status_code == 200, first.text
        assert first.json()["alerts"] == [{"fingerprint": "c0ffee0123456789", "status": "firing",
                                           "action": "opened", "ticket": 1, "count": 1}]
        second = http.post("/v1/alertmanager", json=FIRING)
        assert second.json()["alerts"] == [{"fingerprint": "c0ffee0123456789", "status": "firing",
                                            "action": "repeated", "ticket": 1, "count": 2}]
        resolved = http.post("/v1/alertmanager", json=_resolved(FIRING))
        assert resolved.json()["alerts"][0]["action"] == "noted"
        shown = http.get("/v1/tickets/1").json()
    assert shown["status"] == "open" and shown["level"] == 1 and shown["repeats"] == 1
    assert shown["channel"] == "monitoring" and shown["site"] == "HQ-DC" and shown["asset"] == "DB-01"
    assert shown["title"] == "Disk full on db1"
    assert shown["reported_at"] == "2026-11-25T10:00:00+08:00"  # startsAt, in the past
    kinds = [e["kind"] for e in shown["events"]]
    assert kinds == ["opened", "repeated", "note"]
    assert {e["by"] for e in shown["events"]} == {"token:monitor"}
    assert "2026-11-25T11:00:00+08:00" in shown["events"][-1]["text"]
    with served.client(served.viewer) as http:
        refused = http.post("/v1/alertmanager", json=FIRING)
        assert refused.status_code == 403 and "engineer" in refused.json()["error"]
        assert http.post("/v1/tickets", json={"level": 2, "title": "x"}).status_code == 403
        assert http.get("/v1/queue").status_code == 200
    assert Event.select().count() == 5  # two token_added events and the three above
    assert Ticket.get().repeats == 1


def test_a_resolved_alert_never_restores_and_one_without_a_ticket_is_ignored(served: Served) -> None:
    with served.client(served.engineer) as http:
        answer = http.post("/v1/alertmanager", json=_resolved(FIRING))
    assert answer.json()["alerts"][0] == {"fingerprint": "c0ffee0123456789", "status": "resolved",
                                          "action": "ignored", "ticket": None, "count": None}
    assert Ticket.select().count() == 0


def test_one_notification_may_mix_firing_and_resolved_alerts(served: Served) -> None:
    other = copy.deepcopy(FIRING["alerts"][0])
    other.update(fingerprint="feedface00000001", labels={"alertname": "Down", "severity": "warning"},
                 annotations={})
    with served.client(served.engineer) as http:
        http.post("/v1/alertmanager", json=FIRING)
        mixed = copy.deepcopy(_resolved(FIRING))
        mixed["alerts"].append(other)
        answer = http.post("/v1/alertmanager", json=mixed).json()["alerts"]
    assert [(a["action"], a["ticket"]) for a in answer] == [("noted", 1), ("opened", 2)]
    second = tickets.view(served.board, 2)
    assert (second.level, second.title) == (3, "Down")


@pytest.mark.parametrize(
    ("labels", "level"),
    [
        ({"alertname": "a", "level": "2", "severity": "critical"}, 2),
        ({"alertname": "a", "severity": "critical"}, 1),
        ({"alertname": "a", "severity": "HIGH"}, 2),
        ({"alertname": "a", "severity": "major"}, 2),
        ({"alertname": "a", "severity": "warning"}, 3),
        ({"alertname": "a", "severity": "info"}, 4),
        ({"alertname": "a"}, 4),
        ({"alertname": "a", "level": "9", "severity": "warning"}, 3),
    ],
)
def test_labels_set_the_level(served: Served, labels: dict[str, str], level: int) -> None:
    with served.client(served.engineer) as http:
        answer = http.post("/v1/alertmanager", json=_alert(labels=labels, annotations={}))
    ticket = answer.json()["alerts"][0]["ticket"]
    assert tickets.view(served.board, ticket).level == level


def test_the_mapping_comes_from_the_config(db_url: str) -> None:
    mapping = AlertMapping(severity_label="priority", severities={"disaster": 1}, default_level=3,
                           site_label="room", service_label="svc")
    board = Board.open(db_url, actor="zhangwei",
                       config=Config(timezone="Asia/Shanghai", alertmanager=mapping))
    running = serve_board(board)
    try:
        labels = {"alertname": "a", "priority": "Disaster", "room": "WEST", "svc": "development"}
        with running.client(running.engineer) as http:
            one = http.post("/v1/alertmanager", json=_alert(labels=labels, fingerprint="f1"))
            two = http.post("/v1/alertmanager",
                            json=_alert(labels={"alertname": "b", "severity": "critical"},
                                        fingerprint="f2"))
        first = tickets.view(board, one.json()["alerts"][0]["ticket"])
        assert (first.level, first.site, first.service) == (1, "WEST", "development")
        assert tickets.view(board, two.json()["alerts"][0]["ticket"]).level == 3
    finally:
        running.server.stop()
        board.close()


def test_an_alert_starting_in_the_future_is_reported_now(served: Served) -> None:
    later = iso(served.board.now() + timedelta(hours=2), served.board.zone)
    with served.client(served.engineer) as http:
        answer = http.post("/v1/alertmanager", json=_alert(startsAt=later))
    shown = tickets.view(served.board, answer.json()["alerts"][0]["ticket"])
    assert abs((shown.reported_at - served.board.now()).total_seconds()) < 60


def test_fields_alertmanager_adds_in_newer_releases_are_accepted(served: Served) -> None:
    payload = _alert(silenceURL="http://am/silence", extra={"x": 1})
    payload.update(notification_reason="repeat", routeLabels={"team": "ops"}, somethingNew=[1, 2])
    with served.client(served.engineer) as http:
        answer = http.post("/v1/alertmanager", json=payload)
    assert answer.status_code == 200 and answer.json()["alerts"][0]["action"] == "opened"


def test_an_alert_without_a_fingerprint_is_keyed_by_its_labels(served: Served) -> None:
    payload = _alert()
    del payload["alerts"][0]["fingerprint"]
    with served.client(served.engineer) as http:
        one = http.post("/v1/alertmanager", json=payload).json()["alerts"][0]
        two = http.post("/v1/alertmanager", json=payload).json()["alerts"][0]
    assert one["ticket"] == two["ticket"] and two["action"] == "repeated"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"version": "4"}', b'{"alerts": [1]}',
     b'{"alerts": [{"status": "pending", "labels": {}}]}',
     b'{"alerts": [{"status": "firing", "labels": [], "fingerprint": "x"}]}',
     b'{"alerts": [{"status": "firing", "labels": {}, "startsAt": "yesterday"}]}',
     "{\"alerts\": [], \"x\": \"\xff\"}".encode("latin-1")],
)
def test_a_payload_that_is_not_alertmanager_s_is_400(served: Served, body: bytes) -> None:
    with served.client(served.engineer) as http:
        answer = http.post("/v1/alertmanager", content=body,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["status"] == 400 and answer.json()["error"]
    assert Ticket.select().count() == 0


def test_post_tickets_takes_the_fields_of_ticket_open(served: Served) -> None:
    body = {"level": 2, "title": "Core switch down", "description": "ports 1-8 dark",
            "service": "hardware", "site": "HQ-DC", "asset": "SW-01", "caller": "李主任",
            "callback": "13800001111", "dedup_key": "zabbix:4711", "at": "2026-11-25T09:50:00+08:00"}
    with served.client(served.engineer) as http:
        made = http.post("/v1/tickets", json=body)
        again = http.post("/v1/tickets", json=body)
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"/v1/tickets/{made.json()['id']}"
    shown = made.json()
    assert shown["deduplicated"] is False and again.json()["deduplicated"] is True
    assert again.status_code == 200 and again.json()["id"] == shown["id"]
    assert shown["channel"] == "monitoring" and shown["reported_at"] == "2026-11-25T09:50:00+08:00"
    assert "李主任" in shown["description"] and "13800001111" in shown["description"]
    expected = tickets.view(served.board, shown["id"], served.board.at(shown["events"][0]["at"]))
    assert set(expected.to_json(served.board.zone)) < set(shown)


@pytest.mark.parametrize(
    "body",
    [{"level": 2, "title": "x", "bogus": 1}, {"level": 7, "title": "x"}, {"level": "x", "title": "x"},
     {"level": True, "title": "x"}, {"title": "x"}, {"level": 2}, {"level": 2, "title": ""},
     {"level": 2, "title": "x", "service": "plumbing"}, {"level": 2, "title": "x", "channel": "fax"},
     {"level": 2, "title": "x", "at": "soon"}, {"level": 2, "title": 5},
     {"level": 2, "title": "x", "dedup_key": " "}, [1, 2]],
)
def test_bad_tickets_are_400_and_change_nothing(served: Served, body: Any) -> None:
    with served.client(served.engineer) as http:
        answer = http.post("/v1/tickets", json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] and "Traceback" not in answer.text
    assert Ticket.select().count() == 0


def test_reads_are_the_command_line_s_json(served: Served) -> None:
    board = served.board
    first = tickets.open_ticket(board, level=3, title="printer", at=board.at("2026-11-25T10:00+08:00"))
    tickets.open_ticket(board, level=1, title="core down", at=board.at("2026-11-25T11:00+08:00"))
    with served.client(served.viewer) as http:
        queue = http.get("/v1/queue").json()
        shown = http.get(f"/v1/tickets/{first}").json()
        missing = http.get("/v1/tickets/99")
        not_a_number = http.get("/v1/tickets/abc")
    expected = tickets.queue_json(board)
    assert [row["id"] for row in queue] == [row["id"] for row in expected] == [2, 1]

    def without_left(row: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k != "seconds_left"}

    assert [without_left(r) for r in queue] == [without_left(r) for r in expected]
    assert without_left(shown) == without_left(tickets.view(board, first).to_json(board.zone))
    assert missing.status_code == 404 and missing.json()["error"]
    assert not_a_number.status_code == 404


def test_no_token_or_a_wrong_one_is_401_and_the_token_is_not_logged(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    wrong = served.viewer[:-2] + ("xx" if not served.viewer.endswith("xx") else "yy")
    with served.client() as http:
        none = http.get("/v1/queue")
        bad = http.get("/v1/queue", headers={"Authorization": f"Bearer {wrong}"})
        basic = http.get("/v1/queue", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    for answer in (none, bad, basic):
        assert answer.status_code == 401 and answer.json()["error"]
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert "wrong or revoked token" in caplog.text
    assert wrong not in caplog.text and served.viewer not in caplog.text


def test_a_revoked_token_is_refused_at_once(served: Served) -> None:
    with served.client(served.engineer) as http:
        assert http.get("/v1/queue").status_code == 200
        tokens.revoke_token(served.board, "monitor")
        assert http.get("/v1/queue").status_code == 401


def test_wrong_tokens_from_one_address_are_slowed_down(served: Served) -> None:
    with served.client("dbt_0000000000000000_" + "A" * 43) as http:
        statuses = [http.get("/v1/queue").status_code for _ in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]


@pytest.fixture()
def limited(db_url: str) -> Iterator[Served]:
    """A board whose tokens may make 3 requests at once, then one a minute, bodies up to 1 KiB."""
    settings = HttpSettings(rate_per_minute=1, burst=3, max_body=1024)
    board = Board.open(db_url, actor="zhangwei",
                       config=Config(timezone="Asia/Shanghai", http=settings))
    running = serve_board(board)
    yield running
    running.server.stop()
    board.close()


def test_each_token_has_its_own_rate_limit(limited: Served) -> None:
    with limited.client(limited.viewer) as http:
        statuses = [http.get("/v1/queue").status_code for _ in range(4)]
        refused = http.get("/v1/queue")
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    with limited.client(limited.engineer) as http:
        assert http.get("/v1/queue").status_code == 200


def test_a_body_over_the_cap_is_413_and_changes_nothing(limited: Served) -> None:
    big = {"level": 2, "title": "x", "description": "y" * 2000}
    with limited.client(limited.engineer) as http:
        answer = http.post("/v1/tickets", json=big)

        def chunks() -> Iterator[bytes]:  # no Content-Length: the cap counts what arrives
            yield json.dumps(big).encode()

        streamed = http.post("/v1/tickets", content=chunks())
    assert answer.status_code == 413 and answer.json()["error"]
    assert streamed.status_code == 413
    assert Ticket.select().count() == 0


def test_nothing_unexpected_reaches_a_client_as_a_traceback(
    served: Served, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(tickets, "queue_json", broken)
    with served.client(served.viewer) as http:
        answer = http.get("/v1/queue")
    assert answer.status_code == 500
    assert answer.json()["error"] and "secret internals" not in answer.text
    assert "Traceback" not in answer.text
    assert "secret internals" in caplog.text  # logged for the people who run the board


def test_a_conflict_is_409(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    def racing(*args: Any, **kwargs: Any) -> Any:
        raise Conflict("Ticket 1 was changed by zhangwei in the meantime")

    monkeypatch.setattr(tickets, "open_or_repeat", racing)
    with served.client(served.engineer) as http:
        answer = http.post("/v1/tickets", json={"level": 2, "title": "x"})
    assert answer.status_code == 409 and "meantime" in answer.json()["error"]


def test_unknown_paths_and_methods_answer_json(served: Served) -> None:
    with served.client(served.engineer) as http:
        nowhere = http.get("/v2/everything")
        wrong_method = http.delete("/v1/queue")
        get_a_write = http.get("/v1/alertmanager")
    assert nowhere.status_code == 404 and nowhere.json()["status"] == 404
    assert wrong_method.status_code == 405 and get_a_write.status_code == 405


def test_every_answer_carries_the_security_headers(served: Served) -> None:
    with served.client() as http:
        answer = http.get("/healthz")
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"


def test_a_recovery_is_a_note_on_the_ticket_of_its_dedup_key(served: Served) -> None:
    """Zabbix's recipe: the problem opens with zabbix:EVENTID, the recovery notes that ticket."""
    with served.client(served.engineer) as http:
        made = http.post("/v1/tickets", json={"level": 2, "title": "High CPU", "dedup_key": "zabbix:7"})
        noted = http.post("/v1/notes", json={"dedup_key": "zabbix:7", "text": "Zabbix recovery"})
        by_id = http.post("/v1/notes", json={"ticket": made.json()["id"], "text": "called back"})
        unknown = http.post("/v1/notes", json={"dedup_key": "zabbix:8", "text": "x"})
        both = http.post("/v1/notes", json={"ticket": 1, "dedup_key": "zabbix:7", "text": "x"})
        blank = http.post("/v1/notes", json={"ticket": 1, "text": " "})
        extra = http.post("/v1/notes", json={"ticket": 1, "text": "x", "restored": True})
    assert noted.status_code == 200 and noted.json()["status"] == "open"
    assert [e.get("text") for e in by_id.json()["events"] if e["kind"] == "note"] == [
        "Zabbix recovery", "called back"]
    assert unknown.status_code == 404
    assert both.status_code == blank.status_code == extra.status_code == 400
    with served.client(served.viewer) as http:
        assert http.post("/v1/notes", json={"ticket": 1, "text": "x"}).status_code == 403
