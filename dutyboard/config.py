"""Settings: a typed `Config` read from TOML, with DUTYBOARD_* environment overrides on top.

The file is $XDG_CONFIG_HOME/dutyboard/config.toml (or DUTYBOARD_CONFIG); every key is
optional and flat:

    timezone = "Asia/Shanghai"     # unset: the system's local zone
    language = "zh_CN"             # unset: LC_ALL / LC_MESSAGES / LANG
    business_day_start = "09:00"
    business_day_end = "17:00"
    bell = true                    # ring the terminal bell on a breach
    notify = true                  # desktop/terminal notifications
    sweep_interval = 5.0           # seconds between automatic escalation sweeps
    db = "/srv/dutyboard/duty.db"  # or "postgresql://user@host/dutyboard"

and two tables for the HTTP interface (`dutyboard serve --http`):

    [http]
    rate_per_minute = 600          # requests per token (sustained), with bursts of `burst`
    burst = 120
    max_body = 1048576             # bytes a request body may have

    [alertmanager]                 # which labels say what (these are the defaults)
    level_label = "level"          # 1..4
    severity_label = "severity"
    severities = { critical = 1, high = 2, major = 2, warning = 3 }
    default_level = 4
    site_label = "site"
    asset_label = "asset"
    service_label = "service"      # hardware (default) or development

Each key can be overridden by DUTYBOARD_<KEY> (DUTYBOARD_TIMEZONE, DUTYBOARD_DB, ...). A bad
value is refused with a message naming the file or variable and the key, never a traceback.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dutyboard import locations
from dutyboard.domain.intake import AlertMapping
from dutyboard.i18n import _

ENV_PREFIX = "DUTYBOARD_"
#: Names another config file instead of the XDG one.
CONFIG_ENV = "DUTYBOARD_CONFIG"
SWEEP_INTERVAL_MIN = 1.0
SWEEP_INTERVAL_MAX = 3600.0
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class ConfigError(Exception):
    """The config cannot be used; the message names the file or variable and the key."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- time zones


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone of that name; ValueError (with a message to show) when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            _("{value!r} is not a known time zone (e.g. Asia/Shanghai)").format(value=name)
        ) from None


def _zone_key_from_path(path: str) -> str | None:
    """The zone key in a path such as /usr/share/zoneinfo/Asia/Shanghai (Asia/Shanghai)."""
    marker = "zoneinfo/"
    if marker not in path:
        return None
    return path.rsplit(marker, 1)[1] or None


def system_zone(
    environ: Mapping[str, str] | None = None, localtime: str = "/etc/localtime"
) -> ZoneInfo:
    """The machine's local zone: TZ, else /etc/localtime's zoneinfo link, else UTC."""
    env = os.environ if environ is None else environ
    tz = env.get("TZ", "").strip()
    if tz:
        key = tz.removeprefix(":")
        for candidate in (_zone_key_from_path(key), key):
            if candidate:
                try:
                    return ZoneInfo(candidate)
                except (ZoneInfoNotFoundError, ValueError, OSError):
                    pass
    try:
        link = os.readlink(localtime)
    except OSError:
        link = None
    if link is not None:
        target = os.path.normpath(os.path.join(os.path.dirname(localtime), link))
        linked = _zone_key_from_path(target)
        if linked:
            try:
                return ZoneInfo(linked)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                pass
    try:
        with open(localtime, "rb") as data:  # a copied file rather than a link
            return ZoneInfo.from_file(data, key="localtime")
    except (OSError, ValueError):
        pass
    return ZoneInfo("UTC")


# ---------------------------------------------------------------- values


def parse_time_of_day(text: str) -> time:
    """A time of day written HH:MM; ValueError (with a message to show) otherwise."""
    match = _TIME_RE.match(text.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(_("{value!r} is not a time of day (HH:MM, e.g. 09:00)").format(value=text))


def _as_text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(_("{value!r} must be text in quotes").format(value=value))
    if not value.strip():
        raise ValueError(_("the value is empty"))
    return value.strip()


def _as_zone_name(value: Any) -> str:
    name = _as_text(value)
    zone_named(name)
    return name


def _as_time_text(value: Any) -> str:
    parsed = parse_time_of_day(_as_text(value))
    return parsed.strftime("%H:%M")


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(_("{value!r} is not true or false").format(value=value))


def _as_interval(value: Any) -> float:
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if (
        number is None
        or not math.isfinite(number)
        or not (SWEEP_INTERVAL_MIN <= number <= SWEEP_INTERVAL_MAX)
    ):
        raise ValueError(
            _("{value!r} is not a number of seconds between {low:g} and {high:g}").format(
                value=value, low=SWEEP_INTERVAL_MIN, high=SWEEP_INTERVAL_MAX
            )
        )
    return number


# ---------------------------------------------------------------- the HTTP interface's tables


@dataclass(frozen=True)
class HttpSettings:
    """Limits of the HTTP interface: requests per token and the size of a request body."""

    rate_per_minute: int = 600
    burst: int = 120
    max_body: int = 1_048_576


def _as_table(value: Any) -> dict[str, Any]:
    """A TOML table; from the environment, an inline table such as `{burst = 10}`."""
    if isinstance(value, str):
        try:
            value = tomllib.loads("table = " + value.strip())["table"]
        except tomllib.TOMLDecodeError:
            value = None
    if not isinstance(value, dict):
        raise ValueError(_("{value!r} is not a table (e.g. {{burst = 10}})").format(value=value))
    return value


def _known(table: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ValueError(
            _("unknown key {key!r} (known keys: {known})").format(
                key=unknown[0], known=", ".join(known)
            )
        )


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(
            _("{name} must be a whole number from {low} to {high}, not {value!r}").format(
                name=name, low=low, high=high, value=value
            )
        )
    return value


def _as_http(value: Any) -> HttpSettings:
    table = _as_table(value)
    names = tuple(f.name for f in fields(HttpSettings))
    _known(table, names)
    limits = {
        "rate_per_minute": (1, 1_000_000),
        "burst": (1, 100_000),
        "max_body": (1024, 64 << 20),
    }
    return HttpSettings(**{k: _whole(v, k, *limits[k]) for k, v in table.items()})


def _as_alert_mapping(value: Any) -> AlertMapping:
    table = _as_table(value)
    names = tuple(f.name for f in fields(AlertMapping))
    _known(table, names)
    values: dict[str, Any] = {}
    for key, item in table.items():
        if key == "severities":
            severities = _as_table(item)
            values[key] = {
                str(name).lower(): _whole(level, f"severities.{name}", 1, 4)
                for name, level in severities.items()
            }
        elif key == "default_level":
            values[key] = _whole(item, key, 1, 4)
        else:
            values[key] = _as_text(item)
    return AlertMapping(**values)


#: How each key's value is read and checked (the same from TOML and from the environment).
_READERS: dict[str, Callable[[Any], Any]] = {
    "timezone": _as_zone_name,
    "language": _as_text,
    "business_day_start": _as_time_text,
    "business_day_end": _as_time_text,
    "bell": _as_bool,
    "notify": _as_bool,
    "sweep_interval": _as_interval,
    "db": _as_text,
    "http": _as_http,
    "alertmanager": _as_alert_mapping,
}


@dataclass(frozen=True)
class Config:
    """The settings of one run; `zone`, `day_start` and `day_end` are the parsed forms."""

    timezone: str | None = None
    language: str | None = None
    business_day_start: str = "09:00"
    business_day_end: str = "17:00"
    bell: bool = True
    notify: bool = True
    sweep_interval: float = 5.0
    db: str | None = None
    http: HttpSettings = field(default_factory=HttpSettings)
    alertmanager: AlertMapping = field(default_factory=AlertMapping)

    def __post_init__(self) -> None:
        if self.timezone is not None:
            try:
                zone_named(self.timezone)
            except ValueError as error:
                raise ConfigError(str(error)) from None
        try:
            start = parse_time_of_day(self.business_day_start)
            end = parse_time_of_day(self.business_day_end)
        except ValueError as error:
            raise ConfigError(str(error)) from None
        if start >= end:
            raise ConfigError(
                _("business_day_start ({start}) must be before business_day_end ({end})").format(
                    start=self.business_day_start, end=self.business_day_end
                )
            )

    @property
    def zone(self) -> ZoneInfo:
        """The zone instants are shown and read in: the configured one, else the system's."""
        if self.timezone is None:
            return system_zone()
        return ZoneInfo(self.timezone)

    @property
    def day_start(self) -> time:
        """When the business day starts (development tickets, report clocks)."""
        return parse_time_of_day(self.business_day_start)

    @property
    def day_end(self) -> time:
        """When the business day ends."""
        return parse_time_of_day(self.business_day_end)


KEYS: tuple[str, ...] = tuple(f.name for f in fields(Config))


def env_name(key: str) -> str:
    """The environment variable that overrides a key: DUTYBOARD_TIMEZONE for timezone."""
    return ENV_PREFIX + key.upper()


def _in_file(path: Path, key: str) -> str:
    return _("Config file {path}, key {key}").format(path=path, key=key)


def _in_env(name: str) -> str:
    return _("Environment variable {name}").format(name=name)


def _located(where: str, problem: object) -> str:
    return _("{where}: {problem}").format(where=where, problem=problem)


def _read_file(path: Path) -> dict[str, Any]:
    """The raw table in a TOML file; an unreadable or malformed file is a ConfigError."""
    try:
        with path.open("rb") as data:
            return tomllib.load(data)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            _("Config file {path} is not valid TOML: {error}").format(path=path, error=error)
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            _("Config file {path} is a directory, not a file").format(path=path)
        ) from None
    except OSError as error:
        raise ConfigError(
            _("Cannot read the config file {path}: {error}").format(
                path=path, error=error.strerror or error
            )
        ) from None


def _resolve_db(value: str, base: Path) -> str:
    """A database path in the config file is relative to the file's directory; URLs are kept."""
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """The settings: defaults, then the TOML file (if any), then DUTYBOARD_* variables."""
    named = os.fspath(path) if path is not None else os.environ.get(CONFIG_ENV, "").strip()
    explicit = bool(named)
    file = Path(named).expanduser() if named else locations.config_file()
    values: dict[str, Any] = {}
    if file.exists() or explicit:
        raw = _read_file(file)
        for key, value in raw.items():
            if key not in _READERS:
                raise ConfigError(
                    _("Config file {path}: unknown key {key!r} (known keys: {known})").format(
                        path=file, key=key, known=", ".join(KEYS)
                    )
                )
            try:
                values[key] = _READERS[key](value)
            except (ValueError, TypeError) as error:
                raise ConfigError(_located(_in_file(file, key), error)) from None
        if "db" in values:
            values["db"] = _resolve_db(values["db"], file.parent)
    for key in KEYS:
        name = env_name(key)
        raw_env = os.environ.get(name, "")
        if not raw_env.strip():
            continue
        try:
            values[key] = _READERS[key](raw_env)
        except (ValueError, TypeError) as error:
            raise ConfigError(_located(_in_env(name), error)) from None
    try:
        return Config(**values)
    except ConfigError as error:
        where = _("Config file {path}").format(path=file) if file.exists() else _("Settings")
        raise ConfigError(_located(where, error.message)) from None
