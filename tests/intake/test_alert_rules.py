"""Reading Alertmanager's payload and the [alertmanager] / [http] config tables, without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from dutyboard.config import ConfigError, HttpSettings, load_config
from dutyboard.domain.intake import AlertError, AlertMapping, fingerprint_of, parse_alertmanager


def test_go_instants_and_the_zero_end_are_read() -> None:
    (alert,) = parse_alertmanager({"alerts": [{
        "status": "firing", "labels": {"alertname": "Up"}, "fingerprint": "f",
        "startsAt": "2026-11-25T02:00:00.123456789Z", "endsAt": "0001-01-01T00:00:00Z",
    }]})
    assert alert.starts_at == datetime(2026, 11, 25, 2, 0, 0, 123456, tzinfo=UTC)
    assert alert.ends_at is None and alert.firing


def test_an_alert_takes_the_notification_s_status_when_it_has_none() -> None:
    (alert,) = parse_alertmanager({"status": "resolved", "alerts": [{"labels": {}}]})
    assert alert.status == "resolved"


def test_titles_are_the_summary_else_the_name_and_instance_and_never_too_long() -> None:
    def title(labels: dict[str, str], annotations: dict[str, str]) -> str:
        payload = {"alerts": [{"status": "firing", "labels": labels, "annotations": annotations}]}
        return parse_alertmanager(payload)[0].title()

    assert title({"alertname": "Up", "instance": "h:1"}, {"summary": " Node  down "}) == "Node down"
    assert title({"alertname": "Up", "instance": "h:1"}, {}) == "Up (h:1)"
    assert len(title({"alertname": "x" * 500}, {})) == 200


def test_the_fingerprint_of_labels_does_not_depend_on_their_order() -> None:
    assert fingerprint_of({"a": "1", "b": "2"}) == fingerprint_of({"b": "2", "a": "1"})
    assert fingerprint_of({"a": "1"}) != fingerprint_of({"a": "2"})


def test_a_mapping_refuses_levels_outside_one_to_four() -> None:
    with pytest.raises(ValueError):
        AlertMapping(severities={"critical": 0})
    with pytest.raises(ValueError):
        AlertMapping(default_level=5)


@pytest.mark.parametrize("payload", [None, "x", {"alerts": {}}, {"alerts": [{"status": "firing",
                                     "labels": {}, "endsAt": 5}]}])
def test_what_is_not_a_webhook_is_refused(payload: object) -> None:
    with pytest.raises(AlertError):
        parse_alertmanager(payload)


def test_the_config_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "config.toml"
    file.write_text(
        '[http]\nrate_per_minute = 6000\nburst = 500\n'
        '[alertmanager]\nseverity_label = "priority"\nseverities = { Disaster = 1, high = 2 }\n'
        'default_level = 3\n',
        encoding="utf-8",
    )
    config = load_config(file)
    assert config.http == HttpSettings(rate_per_minute=6000, burst=500)
    assert config.alertmanager.level({"priority": "disaster"}) == 1
    assert config.alertmanager.level({"priority": "critical"}) == 3  # the defaults were replaced
    monkeypatch.setenv("DUTYBOARD_HTTP", "{max_body = 4096}")
    assert load_config(file).http == HttpSettings(max_body=4096)


@pytest.mark.parametrize(
    "text",
    ['[http]\nburst = 0\n', '[http]\nburst = "many"\n', '[http]\nspeed = 1\n', 'http = 5\n',
     '[alertmanager]\nseverities = { critical = 9 }\n', '[alertmanager]\ncolour = "red"\n'],
)
def test_bad_config_tables_are_one_clear_error(tmp_path: Path, text: str) -> None:
    file = tmp_path / "config.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(file)
    assert str(file) in str(refused.value)
