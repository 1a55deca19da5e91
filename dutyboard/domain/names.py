"""The names people read for the board's keys, in their language.

A key (`on_site`, `dedicated_engineer`) is what the database stores, the command line accepts
and JSON prints; the keys are defined in dutyboard.domain.policy. A name ("on site", "已到场")
is a key as people read it, looked up in the catalogue when it is shown, with a context where a
short word would be ambiguous (the status "open", the clock "report"). Unknown keys raise
ValueError naming the keys that exist.
"""

from __future__ import annotations

from typing import Final

from dutyboard.i18n import N_, _, pgettext

_ACCESS_NAMES: Final = {
    "viewer": N_("viewer"),
    "engineer": N_("engineer"),
    "manager": N_("manager"),
}


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
    """The plan's word for a clock: respond 响应, arrive 到场, restore 恢复, report 报告 …"""
    names = {
        "respond": pgettext("clock", "respond"),
        "arrive": pgettext("clock", "arrive"),
        "restore": pgettext("clock", "restore"),
        "report": pgettext("clock", "report"),
        "update": pgettext("clock", "update"),
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


def access_name(access: str) -> str:
    """An access level as shown: "engineer", "工程师"."""
    return _(_lookup(_ACCESS_NAMES, access))


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
