"""The first schema: roster, tickets with their stored clocks, audit trail, escalations, calendar.

Frozen copies of the models as they were at this migration, deliberately independent of
dutyboard.store.models (playhouse.migrations): later changes to the models come as new
numbered migrations, never as edits here. InstantField stores like DateTimeField (UTC
without zone), so the frozen copies use DateTimeField.
"""

from __future__ import annotations

from typing import Any

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator: Any, db: Any) -> None:
    """Create every table and index of the first schema."""

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False
            schema = migrator.schema

    class Site(Base):
        code = CharField(unique=True)
        name = CharField()
        address = CharField(default="")

    class Asset(Base):
        code = CharField(unique=True)
        site = ForeignKeyField(Site, backref="assets", on_delete="RESTRICT")
        name = CharField()
        kind = CharField()
        model = CharField(default="")
        serial = CharField(default="")

    class Engineer(Base):
        login = CharField(unique=True)
        name = CharField()
        phone = CharField(default="")
        email = CharField(default="")
        role = CharField()
        access = CharField(default="engineer")
        active = BooleanField(default=True)

    class Ticket(Base):
        title = CharField()
        description = TextField(default="")
        level = IntegerField()
        initial_level = IntegerField()
        base_level = IntegerField()
        service = CharField()
        channel = CharField()
        status = CharField(default="open")
        site = CharField(null=True)
        asset = CharField(null=True)
        owner = CharField(null=True)
        opened_by = CharField()
        reported_at = DateTimeField()
        acknowledged_at = DateTimeField(null=True)
        dispatched_at = DateTimeField(null=True)
        on_site_at = DateTimeField(null=True)
        restored_at = DateTimeField(null=True)
        analysis_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        crisis = BooleanField(default=False)
        last_update_at = DateTimeField(null=True)
        respond_start = DateTimeField(null=True)
        respond_due = DateTimeField(null=True)
        respond_warn = DateTimeField(null=True)
        respond_done = DateTimeField(null=True)
        arrive_start = DateTimeField(null=True)
        arrive_due = DateTimeField(null=True)
        arrive_warn = DateTimeField(null=True)
        arrive_done = DateTimeField(null=True)
        restore_start = DateTimeField(null=True)
        restore_due = DateTimeField(null=True)
        restore_warn = DateTimeField(null=True)
        restore_done = DateTimeField(null=True)
        report_start = DateTimeField(null=True)
        report_due = DateTimeField(null=True)
        report_warn = DateTimeField(null=True)
        report_done = DateTimeField(null=True)
        update_start = DateTimeField(null=True)
        update_due = DateTimeField(null=True)
        update_warn = DateTimeField(null=True)
        update_done = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("status",), False),
                (("level", "status"), False),
            )

    class FaultReport(Base):
        ticket = ForeignKeyField(Ticket, unique=True, backref="reports", on_delete="RESTRICT")
        cause = TextField(default="")
        response = TextField(default="")
        process = TextField(default="")
        result = TextField(default="")
        precautions = TextField(default="")
        submitted_at = DateTimeField()
        submitted_by = CharField()

    class Event(Base):
        ticket = ForeignKeyField(Ticket, null=True, backref="events", on_delete="RESTRICT")
        at = DateTimeField()
        recorded_at = DateTimeField()
        by = CharField()
        kind = CharField()
        details = TextField(default="{}")

        class Meta:
            indexes = ((("ticket", "id"), False),)

    class Escalation(Base):
        ticket = ForeignKeyField(Ticket, backref="escalations", on_delete="RESTRICT")
        at = DateTimeField()
        from_level = IntegerField()
        to_level = IntegerField()
        kind = CharField()
        reason = TextField(default="")

        class Meta:
            indexes = ((("ticket", "at", "from_level", "to_level", "kind"), True),)

    class CalendarOverride(Base):
        day = DateField(unique=True)
        working = BooleanField()
        note = CharField(default="")
        set_by = CharField()
        set_at = DateTimeField()

    db.create_tables(
        [Site, Asset, Engineer, Ticket, FaultReport, Event, Escalation, CalendarOverride]
    )
