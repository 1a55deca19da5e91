"""Locale-aware formatting: countdowns, durations, dates and the plan's names, in the current language.

Every word comes from the catalogue (dutyboard.i18n), so the zh_CN forms ("3小时05分",
"2026年11月25日", "一级 紧急") live beside their English msgids. Pure and cheap to import:
no Textual, no database, no babel.
"""

from __future__ import annotations

import math
from datetime import date as _date
from datetime import datetime, tzinfo

from rich.cells import cell_len, get_character_cell_size

from dutyboard.i18n import N_, _, pgettext

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


def level_name(level: int) -> str:
    """The plan's name of a fault level: "L1 urgent", "一级 紧急"."""
    names = {
        1: pgettext("level", "L1 urgent"),
        2: pgettext("level", "L2 serious"),
        3: pgettext("level", "L3 significant"),
        4: pgettext("level", "L4 ordinary"),
    }
    return _lookup(names, level)


def level_short(level: int) -> str:
    """A fault level in a badge or narrow column: "L1", "一级"."""
    names = {
        1: pgettext("level", "L1"),
        2: pgettext("level", "L2"),
        3: pgettext("level", "L3"),
        4: pgettext("level", "L4"),
    }
    return _lookup(names, level)


def clock_name(name: str) -> str:
    """The plan's word for a clock: respond 响应, arrive 到场, restore 恢复, report 报告, update 更新,
    parts 备件."""
    names = {
        "respond": pgettext("clock", "respond"),
        "arrive": pgettext("clock", "arrive"),
        "restore": pgettext("clock", "restore"),
        "report": pgettext("clock", "report"),
        "update": pgettext("clock", "update"),
        "parts": pgettext("clock", "parts"),
    }
    return _lookup(names, name)


def status_name(status: str) -> str:
    """A ticket status as shown: "on site", "已到场"."""
    names = {
        "open": pgettext("ticket status", "open"),
        "acknowledged": pgettext("ticket status", "acknowledged"),
        "dispatched": pgettext("ticket status", "dispatched"),
        "on_site": pgettext("ticket status", "on site"),
        "restored": pgettext("ticket status", "restored"),
        "closed": pgettext("ticket status", "closed"),
    }
    return _lookup(names, status)


def clock_state_name(state: str) -> str:
    """A clock's state as shown: "breached", "已超时"."""
    names = {
        "pending": pgettext("clock state", "pending"),
        "running": pgettext("clock state", "running"),
        "warning": pgettext("clock state", "warning"),
        "breached": pgettext("clock state", "breached"),
        "met": pgettext("clock state", "met"),
        "missed": pgettext("clock state", "missed"),
        "not_applicable": pgettext("clock state", "not applicable"),
    }
    return _lookup(names, state)


def role_name(role: str) -> str:
    """Who is called, in the escalation table's terms: "dedicated engineer", "专责工程师"."""
    names = {
        "dedicated_engineer": pgettext("role", "dedicated engineer"),
        "local_manager": pgettext("role", "local service manager"),
        "regional_expert": pgettext("role", "East China regional expert"),
        "vendor_expert": pgettext("role", "vendor expert"),
        "regional_gm": pgettext("role", "vendor regional general manager"),
        "national_expert": pgettext("role", "national technical service centre expert"),
    }
    return _lookup(names, role)


def service_name(service: str) -> str:
    """The service a ticket falls under, with its hours: "hardware (7×24)", "硬件(7×24)"."""
    names = {
        "hardware": pgettext("service", "hardware (7×24)"),
        "development": pgettext("service", "development (5×8)"),
    }
    return _lookup(names, service)


def channel_name(channel: str) -> str:
    """How a report arrived: "phone hotline", "热线电话"."""
    names = {
        "phone": pgettext("channel", "phone hotline"),
        "email": pgettext("channel", "e-mail"),
        "web": pgettext("channel", "web"),
        "remote": pgettext("channel", "remote access"),
        "onsite": pgettext("channel", "on site"),
        "monitoring": pgettext("channel", "monitoring alert"),
        "inspection": pgettext("channel", "inspection"),
    }
    return _lookup(names, channel)


# ---------------------------------------------------------------- the customer archive


def asset_kind_name(kind: str) -> str:
    """A device class: "storage", "存储"."""
    names = {
        "server": pgettext("asset kind", "server"),
        "storage": pgettext("asset kind", "storage"),
        "network": pgettext("asset kind", "network"),
        "database": pgettext("asset kind", "database"),
        "platform": pgettext("asset kind", "platform"),
        "other": pgettext("asset kind", "other"),
    }
    return _lookup(names, kind)


def part_store_name(store: str) -> str:
    """Where spares are kept: "local store", "本地备件库"."""
    names = {
        "local": pgettext("part store", "local store"),
        "hangzhou": pgettext("part store", "Hangzhou office"),
    }
    return _lookup(names, store)


def billable_reason_name(reason: str) -> str:
    """Why work is billable, in the plan's words (保修说明)."""
    names = {
        "not_reported_by_agreed_people": pgettext(
            "billable", "not reported through the agreed people"
        ),
        "untrained_use": pgettext("billable", "installed or used by untrained staff"),
        "unauthorised_change": pgettext("billable", "changed without the company's agreement"),
        "force_majeure": pgettext("billable", "fire, lightning or force majeure"),
        "out_of_period": pgettext("billable", "outside the free service period"),
    }
    return _lookup(names, reason)


def _lookup(names: dict[int, str] | dict[str, str], key: object) -> str:
    """A name from its table, or a clear error naming the values that exist."""
    try:
        return names[key]  # type: ignore[index]
    except (KeyError, TypeError):
        raise ValueError(
            _("{value!r} is not one of {choices}").format(
                value=key, choices=", ".join(str(choice) for choice in names)
            )
        ) from None


def cell_width(text: str) -> int:
    """How many terminal cells a text takes (a Chinese character takes two)."""
    return cell_len(text)


def fit(text: str, width: int, *, pad: bool = False) -> str:
    """Cut a text to `width` cells with "…", never through a double-width character; pad if asked."""
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
