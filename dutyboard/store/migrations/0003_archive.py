"""The customer archive: retired sites and assets, acceptance dates, contacts, parts and their use,
and on the ticket the caller, the parts clock and the billable mark.

Frozen copies of the models as they were at this migration, independent of
dutyboard.store.models and dutyboard.store.archive_models (playhouse.migrations); later changes
come as new numbered migrations. Instants are DateTimeField here, stored as UTC without zone
like InstantField.
"""

from __future__ import annotations

from typing import Any

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

#: The ticket's new columns: the parts clock's four dates, the caller and the billable mark.
TICKET_COLUMNS = (
    ("parts_start", lambda: DateTimeField(null=True)),
    ("parts_due", lambda: DateTimeField(null=True)),
    ("parts_warn", lambda: DateTimeField(null=True)),
    ("parts_done", lambda: DateTimeField(null=True)),
    ("caller", lambda: CharField(null=True)),
    ("callback", lambda: CharField(null=True)),
    ("caller_is_reporter", lambda: BooleanField(null=True)),
    ("billable", lambda: CharField(null=True)),
    ("billable_note", lambda: TextField(default="", constraints=[SQL("DEFAULT ''")])),
)


def _retired() -> BooleanField:
    """A flag with a database default, so rows inserted by older code still go in."""
    return BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])


def _models(migrator: Any, db: Any) -> list[type[Model]]:
    """The three new tables as this migration makes them, bound to the database being migrated."""

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False
            schema = migrator.schema

    class Site(Base):
        code = CharField(unique=True)

    class Ticket(Base):
        title = CharField()

    class Contact(Base):
        site = ForeignKeyField(Site, backref="contacts", on_delete="RESTRICT")
        name = CharField()
        phone = CharField(default="")
        email = CharField(default="")
        title = CharField(default="")
        reporter = BooleanField(default=False)

        class Meta:
            indexes = ((("site", "name"), True),)

    class Part(Base):
        code = CharField(unique=True)
        name = CharField()
        kind = CharField()
        qty = IntegerField(default=0)
        min_qty = IntegerField(default=0)
        store = CharField(default="local")
        retired = BooleanField(default=False)

    class PartUse(Base):
        ticket = ForeignKeyField(Ticket, backref="parts_used", on_delete="RESTRICT")
        part = ForeignKeyField(Part, backref="uses", on_delete="RESTRICT")
        qty = IntegerField()
        at = DateTimeField()
        by = CharField()

        class Meta:
            indexes = ((("ticket", "id"), False),)

    return [Contact, Part, PartUse]


def up(migrator: Any, db: Any) -> None:
    """Add the columns, then create the archive's tables and their indexes."""
    operations = [
        migrator.add_column("site", "retired", _retired()),
        migrator.add_column("asset", "accepted", DateField(null=True)),
        migrator.add_column("asset", "retired", _retired()),
    ]
    operations += [migrator.add_column("ticket", name, make()) for name, make in TICKET_COLUMNS]
    migrator.migrate(*operations)
    db.create_tables(_models(migrator, db))


def down(migrator: Any, db: Any) -> None:
    """Drop the archive's tables and columns (newest first, so foreign keys never dangle)."""
    db.drop_tables(list(reversed(_models(migrator, db))))
    operations = [migrator.drop_column("ticket", name) for name, _make in reversed(TICKET_COLUMNS)]
    operations += [
        migrator.drop_column("asset", "retired"),
        migrator.drop_column("asset", "accepted"),
        migrator.drop_column("site", "retired"),
    ]
    migrator.migrate(*operations)
