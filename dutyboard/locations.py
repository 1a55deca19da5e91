"""Where dutyboard keeps its files, by the XDG base directory rules, in one place."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "dutyboard"
CONFIG_FILE_NAME = "config.toml"
DB_FILE_NAME = "dutyboard.db"


def _xdg_home(variable: str, fallback: str) -> Path:
    """An XDG base directory: the variable when it holds an absolute path, else ~/fallback.

    The XDG specification says relative paths in these variables are invalid and ignored.
    """
    value = os.environ.get(variable, "").strip()
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def data_dir() -> Path:
    """The directory for the database: $XDG_DATA_HOME/dutyboard (~/.local/share/dutyboard)."""
    return _xdg_home("XDG_DATA_HOME", ".local/share") / APP_NAME


def config_dir() -> Path:
    """The directory for settings: $XDG_CONFIG_HOME/dutyboard (~/.config/dutyboard)."""
    return _xdg_home("XDG_CONFIG_HOME", ".config") / APP_NAME


def config_file() -> Path:
    """The config file read at start-up (it need not exist)."""
    return config_dir() / CONFIG_FILE_NAME


def default_db_path() -> Path:
    """The database used when neither --db, DUTYBOARD_DB nor the config names one."""
    return data_dir() / DB_FILE_NAME
