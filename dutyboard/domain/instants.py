"""Reading and writing instants: aware everywhere, UTC inside, the configured zone outside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final

from dutyboard.i18n import _


class InstantError(ValueError):
    """An instant the user typed cannot be read."""


#: Instants people may name: from 1970 up to, not including, 2100.
#: Outside it a date is a typo (years 1 and 9999 overflowed the conversion to UTC, and a
#: ticket dated 9999 could never be shown again).
FIRST_YEAR: Final = 1970
END_YEAR: Final = 2100
#: How far past the program's now a write may be dated: the clock skew between machines.
WRITE_SKEW: Final = timedelta(minutes=5)


def in_range(value: datetime) -> bool:
    """Whether an instant's date, as written (in its own offset), lies in 1970..2099."""
    return FIRST_YEAR <= value.year < END_YEAR


def parse_instant(text: str, zone: tzinfo) -> datetime:
    """Read ISO 8601; a value without an offset is in `zone`, the board's configured zone.

    Only instants from 1970-01-01 up to 2100-01-01 (exclusive) are accepted.
    """
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
    if not in_range(value):
        raise InstantError(
            _(
                "{value!r} is out of range: instants from {first}-01-01 up to {end}-01-01 "
                "are accepted"
            ).format(
                value=text, first=FIRST_YEAR, end=END_YEAR
            )
        )
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
