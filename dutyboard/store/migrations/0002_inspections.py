"""Inspections: checklists with their values, findings linked to tickets, and site settings.

Frozen copies of the models as they were at this migration, independent of
dutyboard.store.inspection_models (playhouse.migrations); later changes come as new numbered
migrations. Instants are DateTimeField here, stored as UTC without zone like InstantField.
"""

from __future__ import annotations

from typing import Any

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def _models(migrator: Any, db: Any) -> list[type[Model]]:
    """The four tables as this migration makes them, bound to the database being migrated."""

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False
            schema = migrator.schema

    class Site(Base):
        code = CharField(unique=True)

    class Ticket(Base):
        title = CharField()

    class Inspection(Base):
        site = ForeignKeyField(Site, backref="inspections", on_delete="RESTRICT")
        kind = CharField()
        status = CharField(default="draft")
        period = CharField()
        started_at = DateTimeField()
        started_by = CharField()
        submitted_at = DateTimeField(null=True)
        submitted_by = CharField(null=True)
        engineers = CharField(default="")
        customer_rep = CharField(default="")
        template_key = CharField()
        template = TextField()
        cause = TextField(default="")
        response = TextField(default="")
        process = TextField(default="")
        result = TextField(default="")
        precautions = TextField(default="")
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("site", "kind", "status", "period"), False),
                (("status", "started_at"), False),
            )

    class InspectionValue(Base):
        inspection = ForeignKeyField(Inspection, backref="values", on_delete="CASCADE")
        key = CharField()
        value = TextField(null=True)
        note = TextField(default="")
        verdict = CharField(null=True)
        reason = TextField(default="")
        set_at = DateTimeField()
        set_by = CharField()

        class Meta:
            indexes = ((("inspection", "key"), True),)

    class InspectionFinding(Base):
        inspection = ForeignKeyField(Inspection, backref="findings", on_delete="RESTRICT")
        key = CharField()
        ticket = ForeignKeyField(Ticket, backref="inspection_findings", on_delete="RESTRICT")
        value = TextField(default="")
        reason = TextField(default="")

        class Meta:
            indexes = ((("inspection", "key"), True),)

    class SiteInspectionSettings(Base):
        site = ForeignKeyField(
            Site, unique=True, backref="inspection_settings", on_delete="CASCADE"
        )
        day_of_month = IntegerField(default=15)
        ranges = TextField(default="{}")
        template = TextField(null=True)
        updated_at = DateTimeField(null=True)
        updated_by = CharField(null=True)

    return [Inspection, InspectionValue, InspectionFinding, SiteInspectionSettings]


def up(migrator: Any, db: Any) -> None:
    """Create the inspection tables and their indexes."""
    db.create_tables(_models(migrator, db))


def down(migrator: Any, db: Any) -> None:
    """Drop the inspection tables (newest first, so foreign keys never dangle)."""
    db.drop_tables(list(reversed(_models(migrator, db))))
