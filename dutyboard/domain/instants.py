"""Reading and writing instants: aware everywhere, UTC inside, the configured zone outside."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from dutyboard.i18n import _


class InstantError(ValueError):
    """An instant the user typed cannot be read."""


def parse_instant(text: str, zone: tzinfo) -> datetime:
    """Read ISO 8601; a value without an offset is in `zone`, the board's configured zone."""
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InstantError(
            _("{value!r} is not an ISO 8601 instant (e.g. 2026-11-25T14:05:00+08:00)").format(
                value=text
            )
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def iso(value: datetime | None, zone: tzinfo) -> str | None:
    """ISO 8601 with the zone's offset, to the second."""
    if value is None:
        return None
    return value.astimezone(zone).replace(microsecond=0).isoformat()


def utc(value: datetime) -> datetime:
    """Normalise an aware instant to UTC; a naive one is a programming error."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(UTC)
