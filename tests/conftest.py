"""Fixtures every test suite shares: an isolated environment and a throwaway database per test.

- Every test runs with XDG_DATA_HOME / XDG_CONFIG_HOME / XDG_CACHE_HOME / XDG_STATE_HOME in a
  temporary directory and no DUTYBOARD_* variable set, so nothing reads or writes the real
  home or a developer's database; the models' proxy is closed and unbound after each test.
- `db_url` (parametrized by `db_backend`: sqlite / postgres) names a fresh, empty database;
  `db` opens and migrates it; `make_db_url(tag)` makes more on the same backend. Both in one test share the same database, so a subprocess can be pointed at
  it with `--db` or `db_env`. `sqlite_url` / `sqlite_db` are SQLite only; `postgres_url` is
  PostgreSQL only (mark such tests `@pytest.mark.postgres`).
- PostgreSQL: the server at 127.0.0.1:5432 (override with DUTYBOARD_TEST_PG), database `test`.
  Each pytest process works in its own schema (dutyboard_test_<pid>), dropped and recreated
  before every test so migrations run from scratch, and dropped at the end; the URL selects
  it with `?options=-csearch_path=...`, so subprocesses given the URL see the same tables.
  When no server answers, the PostgreSQL cases are skipped, or fail when CI is set.
- `sqlite_copy(name, build)` gives a test its own copy of a SQLite board that `build(path)`
  makes once per session (per process under xdist): an expensive board (a demo) is built
  once, and every test still gets a file of its own.

Nothing here imports peewee or the store at import time (tests check that the domain
stays free of it in a clean interpreter, and collection stays fast).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from hypothesis import HealthCheck, settings

# A loaded machine (CI shares its cores) makes single examples slow: properties are about
# correctness, so no example has a deadline and slowness is no health failure.
settings.register_profile(
    "dutyboard", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("dutyboard")

PG_SERVER = os.environ.get("DUTYBOARD_TEST_PG", "").strip() or (
    "postgresql://postgres@127.0.0.1:5432/test"
)
PG_SKIP_REASON = "PostgreSQL not reachable at 127.0.0.1:5432"
SCHEMA_PREFIX = "dutyboard_test_"
TEST_ZONE = "Asia/Shanghai"

#: The backends every store-touching test runs on.
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

_pg_error: list[str | None] = []  # [None] reachable, [message] not, [] not yet tried
_schemas: set[str] = set()


# ---------------------------------------------------------------- PostgreSQL helpers


def _ci() -> bool:
    """Whether we run under CI, where the PostgreSQL tests must run rather than skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def _admin_connection() -> Any:
    """An autocommit psycopg2 connection to the test server (for creating schemas)."""
    import psycopg2  # type: ignore[import-untyped]

    parsed = urlparse(PG_SERVER)
    conn = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname=(parsed.path or "/test").lstrip("/") or "test",
        connect_timeout=3,
    )
    conn.autocommit = True
    return conn


def postgres_error() -> str | None:
    """None when the test server answers, else why not (asked once per session)."""
    if not _pg_error:
        try:
            _admin_connection().close()
            _pg_error.append(None)
        except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
            _pg_error.append(
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
    return _pg_error[0]


def require_postgres() -> None:
    """Skip the test when PostgreSQL does not answer; under CI, fail it instead."""
    error = postgres_error()
    if error is None:
        return
    if _ci():
        pytest.fail(f"{PG_SKIP_REASON} ({error}); CI must run the PostgreSQL tests", pytrace=False)
    pytest.skip(PG_SKIP_REASON)


def fresh_postgres_url(tag: str = "") -> str:
    """A URL naming an empty schema of the test database (recreated now)."""
    require_postgres()
    schema = f"{SCHEMA_PREFIX}{os.getpid()}{'_' + tag if tag else ''}"
    conn = _admin_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET lock_timeout = '20s'")
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            cursor.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        conn.close()
    _schemas.add(schema)
    separator = "&" if "?" in PG_SERVER else "?"
    return f"{PG_SERVER}{separator}options={quote('-csearch_path=' + schema, safe='')}"


def _drop_schemas() -> None:
    if not _schemas:
        return
    conn = _admin_connection()
    try:
        with conn.cursor() as cursor:
            for schema in sorted(_schemas):
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        conn.close()
    _schemas.clear()


@pytest.fixture(scope="session", autouse=True)
def _postgres_schemas_dropped_at_end() -> Iterator[None]:
    """Leave no test schema behind on the shared server."""
    yield
    if _schemas:
        _close_store()
        with suppress(Exception):  # the server went away: nothing left to clean
            _drop_schemas()


# ---------------------------------------------------------------- isolation


def _close_store() -> None:
    """Close and unbind the models' database, if the store was ever imported."""
    store = sys.modules.get("dutyboard.store.db")
    if store is not None:
        store.close_database()


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """No DUTYBOARD_* settings, and XDG directories of its own for every test."""
    for name in list(os.environ):
        if name.startswith("DUTYBOARD_"):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("xdg")
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    yield home
    _close_store()


# ---------------------------------------------------------------- databases


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """The backend this run of the test uses: sqlite or postgres."""
    backend: str = request.param
    return backend


@pytest.fixture()
def make_db_url(db_backend: str, tmp_path: Path) -> Callable[[str], str]:
    """Makes more fresh databases on the test's backend: make_db_url("other") -> URL."""

    def make(tag: str) -> str:
        if db_backend == "sqlite":
            return str(tmp_path / f"{tag}.db")
        return fresh_postgres_url(tag)

    return make


@pytest.fixture()
def db_url(db_backend: str, tmp_path: Path) -> str:
    """A fresh, empty database on each backend: a file path, or a PostgreSQL URL."""
    if db_backend == "sqlite":
        return str(tmp_path / "board.db")
    return fresh_postgres_url()


@pytest.fixture()
def db(db_url: str) -> Iterator[Any]:
    """The database of `db_url`, opened and migrated; the models are bound to it."""
    from dutyboard.store.db import close_database, open_database

    database = open_database(db_url)
    yield database
    close_database()


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file path (not yet created)."""
    return str(tmp_path / "board.db")


@pytest.fixture()
def sqlite_db(sqlite_url: str) -> Iterator[Any]:
    """A fresh SQLite database, opened and migrated."""
    from dutyboard.store.db import close_database, open_database

    database = open_database(sqlite_url)
    yield database
    close_database()


@pytest.fixture(scope="session")
def _sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The boards built so far this session, by name."""
    return {}


@pytest.fixture()
def sqlite_copy(
    _sqlite_templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Callable[[str, Callable[[str], None]], str]:
    """`sqlite_copy(name, build)`: the path of this test's copy of the board `build` makes.

    The board is built the first time a test asks for it (inside that test's isolated
    environment), closed, then copied file by file for each test; the copy keeps the file's mode.
    """

    def copy(name: str, build: Callable[[str], None]) -> str:
        template = _sqlite_templates.get(name)
        if template is None:
            template = tmp_path_factory.mktemp(f"template-{name}") / "board.db"
            build(str(template))
            _close_store()
            _sqlite_templates[name] = template
        target = tmp_path / f"{name}.db"
        for suffix in ("", "-wal"):
            if Path(f"{template}{suffix}").exists():
                shutil.copy2(f"{template}{suffix}", f"{target}{suffix}")
        return str(target)

    return copy


@pytest.fixture()
def postgres_url() -> str:
    """A fresh PostgreSQL schema's URL (mark the test `@pytest.mark.postgres`)."""
    return fresh_postgres_url()


@pytest.fixture()
def db_env(db_url: str) -> dict[str, str]:
    """The environment for a subprocess that should use the same database as the test."""
    return {**os.environ, "DUTYBOARD_DB": db_url, "DUTYBOARD_TIMEZONE": TEST_ZONE}
