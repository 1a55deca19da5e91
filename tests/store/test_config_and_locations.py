"""Settings from TOML and DUTYBOARD_* variables, clear refusals, XDG locations, the local zone."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from dutyboard import locations
from dutyboard.config import Config, ConfigError, load_config, system_zone

FULL = """
timezone = "Asia/Shanghai"
language = "zh_CN"
business_day_start = "08:30"
business_day_end = "17:30"
bell = false
notify = false
sweep_interval = 10
db = "postgresql://duty@db.example.cn/dutyboard"
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def config_file() -> Path:
    """Where load_config looks by default (inside the test's own XDG_CONFIG_HOME)."""
    return Path(os.environ["XDG_CONFIG_HOME"]) / "dutyboard" / "config.toml"


# ---------------------------------------------------------------- locations


def test_locations_follow_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    assert locations.data_dir() == tmp_path / "d" / "dutyboard"
    assert locations.config_file() == tmp_path / "c" / "dutyboard" / "config.toml"
    assert locations.default_db_path() == tmp_path / "d" / "dutyboard" / "dutyboard.db"


def test_locations_fall_back_to_the_home_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/is/ignored")
    assert locations.default_db_path() == tmp_path / ".local/share/dutyboard/dutyboard.db"
    assert locations.config_file() == tmp_path / ".config/dutyboard/config.toml"


# ---------------------------------------------------------------- loading


def test_no_file_gives_the_defaults(config_file: Path) -> None:
    assert not config_file.exists()
    config = load_config()
    assert config == Config()
    assert (config.day_start, config.day_end) == (time(9), time(17))
    assert (config.bell, config.notify, config.sweep_interval, config.db) == (True, True, 5.0, None)


def test_every_key_is_read_from_toml(config_file: Path) -> None:
    _write(config_file, FULL)
    config = load_config()
    assert config == Config(
        timezone="Asia/Shanghai",
        language="zh_CN",
        business_day_start="08:30",
        business_day_end="17:30",
        bell=False,
        notify=False,
        sweep_interval=10.0,
        db="postgresql://duty@db.example.cn/dutyboard",
    )
    assert str(config.zone) == "Asia/Shanghai"
    assert (config.day_start, config.day_end) == (time(8, 30), time(17, 30))


def test_environment_variables_override_the_file(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(config_file, FULL)
    monkeypatch.setenv("DUTYBOARD_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("DUTYBOARD_BELL", "yes")
    monkeypatch.setenv("DUTYBOARD_NOTIFY", "1")
    monkeypatch.setenv("DUTYBOARD_SWEEP_INTERVAL", "2.5")
    monkeypatch.setenv("DUTYBOARD_BUSINESS_DAY_END", "18:00")
    monkeypatch.setenv("DUTYBOARD_DB", "/srv/duty.db")
    monkeypatch.setenv("DUTYBOARD_LANGUAGE", "")  # empty means unset
    config = load_config()
    assert (config.timezone, config.bell, config.notify) == ("Europe/Berlin", True, True)
    assert (config.sweep_interval, config.business_day_end) == (2.5, "18:00")
    assert (config.db, config.language, config.business_day_start) == (
        "/srv/duty.db",
        "zh_CN",
        "08:30",
    )


def test_a_relative_database_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "etc" / "duty.toml", 'db = "data/duty.db"\n')
    assert load_config(path).db == str(tmp_path / "etc" / "data" / "duty.db")
    _write(path, 'db = "sqlite:///rel.db"\n')
    assert load_config(path).db == "sqlite:///rel.db"


def test_dutyboard_config_names_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "other.toml", 'language = "en"\n')
    monkeypatch.setenv("DUTYBOARD_CONFIG", str(path))
    assert load_config().language == "en"


def test_a_named_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.toml"):
        load_config(tmp_path / "missing.toml")


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('timezone = "Mars/Olympus_Mons"', ["timezone", "Mars/Olympus_Mons", "time zone"]),
        ('timezone = "../etc/passwd"', ["timezone", "time zone"]),
        ('business_day_start = "9 am"', ["business_day_start", "9 am", "HH:MM"]),
        ('business_day_end = "25:00"', ["business_day_end", "25:00"]),
        ('business_day_start = "18:00"', ["business_day_start", "before", "business_day_end"]),
        ('bell = "maybe"', ["bell", "true or false"]),
        ("sweep_interval = 0", ["sweep_interval", "between"]),
        ('sweep_interval = "nan"', ["sweep_interval"]),
        ("sweep_interval = true", ["sweep_interval"]),
        ("timezone = 8", ["timezone"]),
        ('timezon = "Asia/Shanghai"', ["unknown key", "timezon"]),
        ("[display]\nbell = true", ["unknown key", "display"]),
        ('timezone = "Asia/Shanghai', ["not valid TOML"]),
    ],
)
def test_bad_values_in_the_file_name_the_file_and_the_key(
    config_file: Path, text: str, expected: list[str]
) -> None:
    _write(config_file, text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = caught.value.message
    assert str(config_file) in message
    for part in expected:
        assert part in message
    assert "Traceback" not in message and "\n" not in message.strip()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DUTYBOARD_TIMEZONE", "Nowhere/Town"),
        ("DUTYBOARD_BELL", "sometimes"),
        ("DUTYBOARD_SWEEP_INTERVAL", "fast"),
        ("DUTYBOARD_BUSINESS_DAY_START", "nine"),
    ],
)
def test_bad_environment_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert name in caught.value.message and value in caught.value.message


def test_a_config_file_that_is_a_directory_is_an_error(config_file: Path) -> None:
    config_file.mkdir(parents=True)
    with pytest.raises(ConfigError, match="directory"):
        load_config()


def test_a_config_built_in_code_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="time zone"):
        Config(timezone="Atlantis/Capital")
    with pytest.raises(ConfigError, match="before"):
        Config(business_day_start="17:00", business_day_end="09:00")


# ---------------------------------------------------------------- the local zone


def test_an_unset_timezone_is_the_systems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert str(Config().zone) == "Asia/Tokyo"
    assert str(Config(timezone="Asia/Shanghai").zone) == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("tz", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        (":Europe/Paris", "Europe/Paris"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
    ],
)
def test_the_tz_variable_names_the_system_zone(tz: str, zone: str, tmp_path: Path) -> None:
    assert str(system_zone({"TZ": tz}, str(tmp_path / "none"))) == zone


def test_the_localtime_link_names_the_system_zone(tmp_path: Path) -> None:
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/America/New_York")
    assert str(system_zone({}, str(link))) == "America/New_York"
    assert str(system_zone({"TZ": "Not/AZone"}, str(link))) == "America/New_York"


def test_a_copied_localtime_file_is_read_as_it_is(tmp_path: Path) -> None:
    source = Path("/usr/share/zoneinfo/Asia/Shanghai")
    if not source.exists():
        pytest.skip("no system zoneinfo to copy")
    copy = tmp_path / "localtime"
    shutil.copyfile(source, copy)
    zone = system_zone({}, str(copy))
    assert datetime(2026, 7, 1, 12, tzinfo=zone).utcoffset() == timedelta(hours=8)


def test_without_any_clue_the_system_zone_is_utc(tmp_path: Path) -> None:
    assert str(system_zone({}, str(tmp_path / "missing"))) == "UTC"
