"""Locale-aware formatting: countdowns, durations, dates and the plan's names, in the user's words.

Every word comes from the catalogue (dutyboard.i18n), so the zh_CN forms ("3小时05分",
"2026年11月25日", "一级 紧急") live beside their English msgids. Pure and cheap to import:
no Textual, no database, no babel. The names of levels, statuses, clocks, roles, services and
channels are defined with their keys in dutyboard.domain.names and offered here with the
other formats.
"""

from __future__ import annotations

import math
from datetime import date as _date
from datetime import datetime, tzinfo

from rich.cells import cell_len, get_character_cell_size

from dutyboard.domain.names import (
    access_name,
    channel_name,
    clock_name,
    clock_state_name,
    level_name,
    level_short,
    role_name,
    service_name,
    status_name,
)
from dutyboard.i18n import N_, _

try:
    from rich.cells import split_graphemes as _split_graphemes
except ImportError:  # an older rich: measure character by character

    def _split_graphemes(
        text: str, unicode_version: str = "auto"
    ) -> tuple[list[tuple[int, int, int]], int]:
        """(start, end, cells) for each character, and the total cells."""
        spans = [(i, i + 1, get_character_cell_size(c)) for i, c in enumerate(text)]
        return spans, sum(cells for _s, _e, cells in spans)


MINUTE = 60
HOUR = 3600
DAY = 86400
#: From this many hours on, countdowns and durations count days.
DAYS_FROM_HOURS = 100
ELLIPSIS = "…"

# TRANSLATORS: abbreviated weekdays, Monday first, as in a calendar column.
_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def countdown(seconds: float) -> str:
    """How far a due is, short enough for a narrow column: "3h05m", "12:34", late "-0:42"."""
    sign = "-" if seconds < 0 else ""
    total = math.ceil(abs(seconds))
    if total >= DAYS_FROM_HOURS * HOUR:
        days, rest = divmod(total, DAY)
        # TRANSLATORS: compact countdown of 100 hours or more: days and hours, e.g. 4d05h.
        text = _("{days}d{hours:02d}h").format(days=days, hours=rest // HOUR)
    elif total >= HOUR:
        hours, rest = divmod(total, HOUR)
        # TRANSLATORS: compact countdown of an hour or more: hours and minutes, e.g. 3h05m.
        text = _("{hours}h{minutes:02d}m").format(hours=hours, minutes=rest // MINUTE)
    else:
        minutes, secs = divmod(total, MINUTE)
        text = f"{minutes}:{secs:02d}"
    return sign + text


def duration(seconds: float) -> str:
    """A length of time for prose and reports: "3 h 5 min", "45 s", "4 d 5 h"."""
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    if total < MINUTE:
        text = _("{seconds} s").format(seconds=total)
    elif total < HOUR:
        minutes, secs = divmod(total, MINUTE)
        if secs:
            text = _("{minutes} min {seconds} s").format(minutes=minutes, seconds=secs)
        else:
            text = _("{minutes} min").format(minutes=minutes)
    elif total < DAYS_FROM_HOURS * HOUR:
        hours, minutes = total // HOUR, total % HOUR // MINUTE
        if minutes:
            text = _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
        else:
            text = _("{hours} h").format(hours=hours)
    else:
        days, hours = total // DAY, total % DAY // HOUR
        if hours:
            text = _("{days} d {hours} h").format(days=days, hours=hours)
        else:
            text = _("{days} d").format(days=days)
    return sign + text


def date(d: _date) -> str:
    """A calendar date as people write it: "2026-11-25", "2026年11月25日"."""
    # TRANSLATORS: a full date; zh_CN writes it 2026年11月25日 (no zero padding).
    return _("{year}-{month:02d}-{day:02d}").format(year=d.year, month=d.month, day=d.day)


def weekday(d: _date) -> str:
    """The short weekday name: "Wed", "周三"."""
    return _(_WEEKDAYS[d.weekday()])


def datetime_short(dt: datetime, tz: tzinfo) -> str:
    """Month, day and time in the configured zone for a table cell: "11-25 14:05"."""
    local = _local(dt, tz)
    # TRANSLATORS: a date and time in a table cell, without the year.
    return _("{month:02d}-{day:02d} {hour:02d}:{minute:02d}").format(
        month=local.month, day=local.day, hour=local.hour, minute=local.minute
    )


def instant_iso(dt: datetime, tz: tzinfo) -> str:
    """ISO 8601 with the zone's offset, to the second, as the command line prints instants."""
    return _local(dt, tz).replace(microsecond=0).isoformat()


def _local(dt: datetime, tz: tzinfo) -> datetime:
    """An aware instant in the given zone; a naive one is refused rather than guessed."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(_("{value} has no time zone").format(value=dt.isoformat()))
    return dt.astimezone(tz)


def cell_width(text: str) -> int:
    """How many terminal cells a text takes (a Chinese character takes two)."""
    return cell_len(text)


def fit(text: str, width: int, *, pad: bool = False) -> str:
    """Cut a text to `width` cells with "…", never through a wide character; pad if asked."""
    width = max(width, 0)
    size = cell_len(text)
    if size > width:
        text = _truncate(text, width - cell_len(ELLIPSIS)) + ELLIPSIS if width else ""
        size = cell_len(text)
    if pad and size < width:
        text += " " * (width - size)
    return text


def _truncate(text: str, width: int) -> str:
    """The longest prefix of whole graphemes that fits in `width` cells."""
    spans, _total = _split_graphemes(text)
    used = 0
    end = 0
    for _start, stop, cells in spans:
        if used + cells > width:
            break
        used += cells
        end = stop
    return text[:end]


__all__ = [
    "access_name",
    "cell_width",
    "channel_name",
    "clock_name",
    "clock_state_name",
    "countdown",
    "date",
    "datetime_short",
    "duration",
    "fit",
    "instant_iso",
    "level_name",
    "level_short",
    "role_name",
    "service_name",
    "status_name",
    "weekday",
]
