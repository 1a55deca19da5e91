"""Intake from monitoring: a ticket's dedup key and repeat count, and the API tokens table.

Frozen copies, independent of dutyboard.store.models and intake_models (playhouse.migrations).
The dedup index is partial (only tickets that are not closed), so a closed ticket's key may
open a new ticket while two open ones with one key can never exist.
"""

from __future__ import annotations

from typing import Any

from peewee import SQL, CharField, DateTimeField, IntegerField, Model

DEDUP_INDEX = "ticket_dedup_key_open"


def _token_model(migrator: Any, db: Any) -> type[Model]:
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False
            schema = migrator.schema

    class ApiToken(Base):
        name = CharField(unique=True)
        access = CharField()
        lookup = CharField(unique=True)
        digest = CharField()
        created_at = DateTimeField()
        created_by = CharField()
        revoked_at = DateTimeField(null=True)
        revoked_by = CharField(null=True)

    return ApiToken


def up(migrator: Any, db: Any) -> None:
    """Add the ticket's intake columns and the partial unique index; create api_token."""
    migrator.migrate(
        migrator.add_column("ticket", "dedup_key", CharField(null=True)),
        migrator.add_column("ticket", "repeats", IntegerField(default=0)),
        migrator.add_column("ticket", "last_repeat_at", DateTimeField(null=True)),
        migrator.add_index(
            "ticket", ("dedup_key",), unique=True, where=SQL("status <> 'closed'"), name=DEDUP_INDEX
        ),
    )
    db.create_tables([_token_model(migrator, db)])


def down(migrator: Any, db: Any) -> None:
    """Drop the token table and the ticket's intake columns."""
    db.drop_tables([_token_model(migrator, db)])
    migrator.migrate(
        migrator.drop_index("ticket", DEDUP_INDEX),
        migrator.drop_column("ticket", "last_repeat_at"),
        migrator.drop_column("ticket", "repeats"),
        migrator.drop_column("ticket", "dedup_key"),
    )
