"""Migration 0003 on both engines; backup, restore, migrate --to and check carry the archive."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dutyboard.config import Config
from dutyboard.service import admin, archive, billable, parts, tickets
from dutyboard.service.board import Board
from dutyboard.store import copying
from dutyboard.store import db as store
from dutyboard.store.archive_models import ARCHIVE_MODELS

CONFIG = Config(timezone="Asia/Shanghai")
ARCHIVE_TABLES = {"contact", "part", "part_use"}


def _rows(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {
        m._meta.table_name: list(
            m.select(*m._meta.sorted_fields).order_by(m._meta.primary_key).tuples().execute(db)
        )
        for m in copying.all_models()
    }


def _archive(url: str) -> None:
    board = Board.open(url, actor="zhangwei", config=CONFIG)
    try:
        archive.add_site(board, "HQ-DC", "中心机房")
        archive.add_asset(
            board, "HQ-SRV-01", "HQ-DC", "应用服务器 01", "server", accepted="2023-01-01"
        )
        archive.add_contact(board, "李主任", "HQ-DC", phone="0571-63701234", reporter=True)
        parts.add_part(board, "PSU-550", "550W 电源", "server", qty=2, minimum=1)
        at = board.at("2026-11-25T10:00")
        tid = tickets.open_ticket(
            board,
            level=2,
            title="电源故障",
            asset="HQ-SRV-01",
            caller="李主任",
            callback="0571-63701234",
            at=at,
        )
        parts.wait_part(board, tid, "PSU-550", at=board.at("2026-11-25T10:30"))
        parts.use_part(board, tid, "PSU-550", at=board.at("2026-11-25T11:00"))
        parts.backup_unit(board, tid, "local", at=board.at("2026-11-25T11:10"))
        billable.mark_billable(board, tid, "untrained_use", at=board.at("2026-11-25T11:20"))
    finally:
        board.close()


def test_every_archive_table_is_one_of_the_boards_models() -> None:
    assert {m._meta.table_name for m in copying.all_models()} >= ARCHIVE_TABLES
    assert {m._meta.table_name for m in ARCHIVE_MODELS} == ARCHIVE_TABLES


def test_the_migration_makes_exactly_the_archive_models(
    db: Any, make_db_url: Callable[[str], str]
) -> None:
    def shape(database: Any) -> dict[str, Any]:
        schema = (
            None
            if isinstance(database, store.SqliteDatabase)
            else database.execute_sql("SELECT current_schema()").fetchone()[0]
        )
        return {
            t: (
                sorted(
                    (c.name, c.data_type.lower(), c.null) for c in database.get_columns(t, schema)
                ),
                sorted(
                    (i.name, tuple(i.columns), i.unique) for i in database.get_indexes(t, schema)
                ),
                sorted((f.column, f.dest_table) for f in database.get_foreign_keys(t, schema)),
            )
            for t in sorted(ARCHIVE_TABLES)
        }

    migrated = shape(db)
    store.close_database()
    url = make_db_url("models")
    scratch = (
        store._postgres_database(url) if url.startswith("postgres") else store._sqlite_database(url)
    )
    try:
        models = copying.all_models()
        with scratch.bind_ctx(models):
            scratch.create_tables(models)
        assert shape(scratch) == migrated
    finally:
        scratch.close_all() if hasattr(scratch, "close_all") else scratch.close()


def test_a_board_from_before_the_archive_is_upgraded_in_place(db_url: str, db_backend: str) -> None:
    from playhouse.migrations import Runner  # type: ignore[import-untyped]

    raw = (
        store._sqlite_database(db_url)
        if db_backend == "sqlite"
        else store._postgres_database(db_url)
    )
    schema = (
        None if db_backend == "sqlite" else raw.execute_sql("SELECT current_schema()").fetchone()[0]
    )
    Runner(raw, str(store.MIGRATIONS_DIR), schema=schema).up("0002_inspections")
    raw.execute_sql("INSERT INTO site (code, name, address) VALUES ('HQ-DC', '中心机房', '')")
    raw.execute_sql(
        "INSERT INTO asset (code, site_id, name, kind, model, serial) "
        "VALUES ('HQ-SRV-01', 1, '应用服务器 01', 'server', '', '')"
    )
    raw.close_all() if hasattr(raw, "close_all") else raw.close()
    board = Board.open(db_url, actor="zhangwei", config=CONFIG)
    try:
        asset = archive.list_assets(board)[0]
        assert (asset.code, asset.retired, asset.accepted) == ("HQ-SRV-01", False, None)
        assert archive.list_sites(board)[0].retired is False
        tid = tickets.open_ticket(board, level=3, title="fan", asset="HQ-SRV-01")
        assert tickets.view(board, tid).clocks["parts"].state == "pending"
        assert admin.check(board).ok
    finally:
        board.close()


def test_check_backup_and_restore_carry_the_archive(sqlite_url: str, tmp_path: Path) -> None:
    _archive(sqlite_url)
    board = Board.open(sqlite_url, actor="zhangwei", config=CONFIG)
    try:
        assert admin.check(board).ok
        original = _rows(board.db)
        assert all(original[t] for t in ARCHIVE_TABLES)
        admin.backup(board, str(tmp_path / "copy.db"))
        parts.count_stock(board, "PSU-550", 9, "after the backup")
    finally:
        board.close()
    admin.restore(sqlite_url, str(tmp_path / "copy.db"), CONFIG, "zhangwei")
    board = Board.open(sqlite_url, actor="zhangwei", config=CONFIG)
    try:
        restored = _rows(board.db)
        assert {t: restored[t] for t in ARCHIVE_TABLES | {"site", "asset", "ticket"}} == {
            t: original[t] for t in ARCHIVE_TABLES | {"site", "asset", "ticket"}
        }
    finally:
        board.close()


def test_check_finds_a_ticket_whose_billable_mark_differs_from_its_trail(sqlite_url: str) -> None:
    _archive(sqlite_url)
    board = Board.open(sqlite_url, actor="zhangwei", config=CONFIG)
    try:
        board.db.execute_sql("UPDATE ticket SET billable = NULL, parts_done = NULL")
        report = admin.check(board)
        assert not report.ok
        assert (
            "billable" in report.problems[0].message and "parts_done" in report.problems[0].message
        )
    finally:
        board.close()


@pytest.mark.postgres
def test_migrate_to_postgresql_and_back_carries_the_archive(
    sqlite_url: str, postgres_url: str, tmp_path: Path
) -> None:
    _archive(sqlite_url)
    board = Board.open(sqlite_url, actor="zhangwei", config=CONFIG)
    try:
        original = _rows(board.db)
        copied = admin.migrate_to(board, postgres_url)
        assert {copied.counts[t] for t in ARCHIVE_TABLES} == {1}
    finally:
        board.close()
    pg = Board.open(postgres_url, actor="zhangwei", config=CONFIG)
    try:
        assert admin.check(pg).ok
        assert _rows(pg.db) == original
        assert json.dumps(archive.show_asset(pg, "HQ-SRV-01").to_json(pg.zone), ensure_ascii=False)
        parts.add_part(pg, "FAN-01", "风扇", "server", qty=1)  # ids continue past the copied ones
        admin.backup(pg, str(tmp_path / "from-pg.db"))
    finally:
        pg.close()
    back = Board.open(str(tmp_path / "from-pg.db"), actor="zhangwei", config=CONFIG)
    try:
        assert [p.code for p in parts.list_parts(back)] == ["FAN-01", "PSU-550"]
        assert admin.check(back).ok
    finally:
        back.close()
