"""Intake from monitoring: reading an Alertmanager webhook and mapping an alert to a ticket.

Pure rules: the payload is Prometheus Alertmanager's webhook (version 4). Each alert carries
its own status (one notification may mix firing and resolved alerts) and a fingerprint, the
key under which its ticket is opened or repeated. Fields Alertmanager adds in newer releases
are ignored, never refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from dutyboard.domain.policy import LEVELS, SERVICES
from dutyboard.i18n import _

#: The contract's default: a `severity` label's value to a level; anything else is DEFAULT_LEVEL.
SEVERITY_LEVELS: Mapping[str, int] = MappingProxyType(
    {"critical": 1, "high": 2, "major": 2, "warning": 3}
)
DEFAULT_LEVEL = 4
#: Alertmanager's zero time: a firing alert's endsAt.
_ZERO_YEAR = 1
TITLE_MAX = 200


class AlertError(ValueError):
    """A payload that is not an Alertmanager webhook (the message says what is wrong)."""


@dataclass(frozen=True)
class AlertMapping:
    """Which labels name the level, site, asset and service, and how severities map to levels.

    Changeable in config.toml's `[alertmanager]` section.
    """

    level_label: str = "level"
    severity_label: str = "severity"
    severities: Mapping[str, int] = field(default_factory=lambda: SEVERITY_LEVELS)
    default_level: int = DEFAULT_LEVEL
    site_label: str = "site"
    asset_label: str = "asset"
    service_label: str = "service"

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.severities.items() if v not in LEVELS}
        if bad or self.default_level not in LEVELS:
            raise ValueError(_("levels must be 1, 2, 3 or 4"))

    def level(self, labels: Mapping[str, str]) -> int:
        """A `level` label 1–4 sets the level; else the severity's level; else the default."""
        raw = labels.get(self.level_label, "").strip()
        if raw.isdigit() and int(raw) in LEVELS:
            return int(raw)
        severity = labels.get(self.severity_label, "").strip().lower()
        return self.severities.get(severity, self.default_level)

    def site(self, labels: Mapping[str, str]) -> str | None:
        return labels.get(self.site_label, "").strip() or None

    def asset(self, labels: Mapping[str, str]) -> str | None:
        return labels.get(self.asset_label, "").strip() or None

    def service(self, labels: Mapping[str, str]) -> str:
        """hardware unless the label names development (the 5×8 resident service)."""
        value = labels.get(self.service_label, "").strip().lower()
        return value if value in SERVICES else "hardware"


@dataclass(frozen=True)
class Alert:
    """One alert of a notification."""

    status: str
    fingerprint: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    starts_at: datetime | None
    ends_at: datetime | None
    generator_url: str

    @property
    def firing(self) -> bool:
        return self.status == "firing"

    def title(self) -> str:
        """The summary annotation, else the alert's name (with its instance when it has one)."""
        notes = self.annotations
        text = notes.get("summary", "").strip() or notes.get("title", "").strip()
        if not text:
            name = self.labels.get("alertname", "").strip() or _("Alert from monitoring")
            instance = self.labels.get("instance", "").strip()
            text = f"{name} ({instance})" if instance else name
        text = " ".join(text.split())
        return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"

    def description(self) -> str:
        """The description annotation, the labels and where the alert came from."""
        lines = []
        described = self.annotations.get("description", "").strip()
        if described:
            lines += [described, ""]
        lines += [f"{key}={value}" for key, value in sorted(self.labels.items())]
        if self.generator_url:
            lines += ["", self.generator_url]
        return "\n".join(lines)

    def reported_at(self, now: datetime) -> datetime:
        """When the fault began: startsAt when that is in the past, else now."""
        if self.starts_at is None or self.starts_at > now:
            return now
        return self.starts_at


def _text_map(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AlertError(_("{what} must be an object").format(what=what))
    return {str(k): v if isinstance(v, str) else str(v) for k, v in value.items()}


def _instant(value: Any, what: str) -> datetime | None:
    """An RFC 3339 instant; None for none or Alertmanager's zero time."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise AlertError(_("{what} must be an RFC 3339 instant").format(what=what))
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:  # Python 3.11 reads Go's nanoseconds, keeping microseconds
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise AlertError(_("{what} must be an RFC 3339 instant, not {value!r}").format(
            what=what, value=value)) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if parsed.year <= _ZERO_YEAR:
        return None
    return parsed.astimezone(UTC)


def fingerprint_of(labels: Mapping[str, str]) -> str:
    """A stable key for an alert sent without a fingerprint: a hash of its sorted labels."""
    text = "\n".join(f"{k}={v}" for k, v in sorted(labels.items()))
    return "labels:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_alertmanager(payload: Any) -> list[Alert]:
    """The alerts of an Alertmanager webhook payload; AlertError when it is not one."""
    if not isinstance(payload, dict):
        raise AlertError(_("The payload must be a JSON object"))
    alerts = payload.get("alerts")
    if not isinstance(alerts, list):
        raise AlertError(_("The payload has no list of alerts"))
    parsed = []
    for index, raw in enumerate(alerts):
        where = f"alerts[{index}]"
        if not isinstance(raw, dict):
            raise AlertError(_("{what} must be an object").format(what=where))
        status = raw.get("status", payload.get("status"))
        if status not in ("firing", "resolved"):
            raise AlertError(
                _("{what}.status must be firing or resolved, not {value!r}").format(
                    what=where, value=status
                )
            )
        labels = _text_map(raw.get("labels"), where + ".labels")
        fingerprint = raw.get("fingerprint")
        if not isinstance(fingerprint, str) or not fingerprint.strip():
            fingerprint = fingerprint_of(labels)
        generator = raw.get("generatorURL")
        parsed.append(
            Alert(
                status=status,
                fingerprint=fingerprint.strip(),
                labels=MappingProxyType(labels),
                annotations=MappingProxyType(
                    _text_map(raw.get("annotations"), where + ".annotations")
                ),
                starts_at=_instant(raw.get("startsAt"), where + ".startsAt"),
                ends_at=_instant(raw.get("endsAt"), where + ".endsAt"),
                generator_url=generator.strip() if isinstance(generator, str) else "",
            )
        )
    return parsed
