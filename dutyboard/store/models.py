"""The tables: the roster (sites, assets, engineers), tickets, their audit trail and calendar days.

Every model binds to `dutyboard.store.db.database`, a proxy pointed at SQLite or PostgreSQL
at start-up. The schema is made by the numbered migrations in dutyboard/store/migrations;
whenever a field changes here, a new migration makes the same change there.

A ticket's site, asset and owner are kept as the codes people type (Site.code, Asset.code,
Engineer.login), not as enforced foreign keys: the command line accepts any site or engineer
name, and a roster is optional.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from dutyboard.store.db import database


class InstantField(DateTimeField):
    """An instant: aware datetimes in and out, stored as UTC without zone (sortable on SQLite).

    A naive datetime is refused on write: its zone would be a guess.
    """

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"{self.name}: an aware datetime is needed, not {value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{self.name}: naive datetime {value.isoformat()} (no zone)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def python_value(self, value: Any) -> Any:
        value = super().python_value(value)  # type: ignore[no-untyped-call]
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=UTC)
            return value.astimezone(UTC)
        return value


class BaseModel(Model):
    """Bound to the proxy; snake_case table names (FaultReport -> fault_report)."""

    id = AutoField()

    class Meta:
        database = database
        legacy_table_names = False


class Site(BaseModel):
    """A place under the service plan (e.g. HQ-DC, the bureau's central machine room)."""

    code = CharField(unique=True)
    name = CharField()
    address = CharField(default="")


class Asset(BaseModel):
    """Something sold and maintained at a site: a server, storage, network, database, platform."""

    code = CharField(unique=True)
    site = ForeignKeyField(Site, backref="assets", on_delete="RESTRICT")
    name = CharField()
    kind = CharField()
    model = CharField(default="")
    serial = CharField(default="")


class Engineer(BaseModel):
    """A person on the roster; `login` is the OS user an SSH session runs as."""

    login = CharField(unique=True)
    name = CharField()
    phone = CharField(default="")
    email = CharField(default="")
    role = CharField()
    access = CharField(default="engineer")
    active = BooleanField(default=True)
    #: The login may name someone else with --by (a monitoring account acting for people).
    delegate = BooleanField(default=False)


class Ticket(BaseModel):
    """A fault: the current projection of its events, with every clock's stored dates."""

    title = CharField()
    description = TextField(default="")
    level = IntegerField()
    initial_level = IntegerField()
    #: The level as last set by opening or re-classification (automatic escalation keeps it).
    base_level = IntegerField()
    service = CharField()
    channel = CharField()
    status = CharField(default="open")
    site = CharField(null=True)
    asset = CharField(null=True)
    owner = CharField(null=True)
    opened_by = CharField()
    reported_at = InstantField()
    acknowledged_at = InstantField(null=True)
    dispatched_at = InstantField(null=True)
    on_site_at = InstantField(null=True)
    restored_at = InstantField(null=True)
    #: When the fault analysis report was submitted.
    analysis_at = InstantField(null=True)
    closed_at = InstantField(null=True)
    crisis = BooleanField(default=False)
    last_update_at = InstantField(null=True)
    respond_start = InstantField(null=True)
    respond_due = InstantField(null=True)
    respond_warn = InstantField(null=True)
    respond_done = InstantField(null=True)
    arrive_start = InstantField(null=True)
    arrive_due = InstantField(null=True)
    arrive_warn = InstantField(null=True)
    arrive_done = InstantField(null=True)
    restore_start = InstantField(null=True)
    restore_due = InstantField(null=True)
    restore_warn = InstantField(null=True)
    restore_done = InstantField(null=True)
    report_start = InstantField(null=True)
    report_due = InstantField(null=True)
    report_warn = InstantField(null=True)
    report_done = InstantField(null=True)
    update_start = InstantField(null=True)
    update_due = InstantField(null=True)
    update_warn = InstantField(null=True)
    update_done = InstantField(null=True)
    #: Optimistic locking: every rewrite checks it and adds one.
    version = IntegerField(default=1)
    #: The version at which status, level, owner or crisis last changed (--expect-version).
    state_version = IntegerField(default=1)
    # Intake from monitoring: the alert's key, and how often it came again while open.
    #: The key a monitoring system names an alert by (an Alertmanager fingerprint, a Zabbix
    #: event id); while the ticket is not closed, the same key repeats it instead of opening
    #: another.
    dedup_key = CharField(null=True)
    #: The `repeated` events in its audit trail (a projection, like the clocks; not versioned:
    #: an alert coming again must not make a person's pending step a conflict).
    repeats = IntegerField(default=0)
    last_repeat_at = InstantField(null=True)

    class Meta:
        indexes = (
            (("status",), False),
            (("level", "status"), False),
        )

    @classmethod
    def update_versioned(cls, pk: int, version: int, /, **fields: Any) -> bool:
        """Rewrite the row only if it is still at `version`; False when someone changed it first."""
        fields.pop("version", None)
        changed = (
            cls.update(**fields, version=cls.version + 1)
            .where((cls.id == pk) & (cls.version == version))
            .execute()
        )
        return bool(changed == 1)


#: At most one ticket that is not closed per dedup key: racing intakes of one alert open one ticket.
DEDUP_INDEX = "ticket_dedup_key_open"
Ticket.add_index(
    Ticket.index(Ticket.dedup_key, unique=True, where=(Ticket.status != "closed"), name=DEDUP_INDEX)
)


class FaultReport(BaseModel):
    """The fault analysis report: cause, response, process, result, precautions."""

    ticket = ForeignKeyField(Ticket, unique=True, backref="reports", on_delete="RESTRICT")
    cause = TextField(default="")
    response = TextField(default="")
    process = TextField(default="")
    result = TextField(default="")
    precautions = TextField(default="")
    submitted_at = InstantField()
    submitted_by = CharField()


class Event(BaseModel):
    """The append-only audit trail, and the source every clock is computed from."""

    ticket = ForeignKeyField(Ticket, null=True, backref="events", on_delete="RESTRICT")
    #: The instant the event is about (`--at`).
    at = InstantField()
    #: The wall clock when it was written.
    recorded_at = InstantField()
    by = CharField()
    #: The login it was written through, when that login named someone else as `by`.
    via = CharField(null=True)
    kind = CharField()
    #: A JSON object.
    details = TextField(default="{}")

    class Meta:
        indexes = ((("ticket", "id"), False),)

    @property
    def details_dict(self) -> dict[str, Any]:
        """The details as a dict (empty when there are none)."""
        data = json.loads(self.details or "{}")
        return data if isinstance(data, dict) else {}

    @staticmethod
    def dump_details(data: dict[str, Any]) -> str:
        """The JSON text stored for a details dict (stable key order, readable Chinese)."""
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


class Escalation(BaseModel):
    """A level change upwards; unique so racing sweeps record each escalation exactly once."""

    ticket = ForeignKeyField(Ticket, backref="escalations", on_delete="RESTRICT")
    at = InstantField()
    from_level = IntegerField()
    to_level = IntegerField()
    kind = CharField()
    reason = TextField(default="")

    class Meta:
        indexes = ((("ticket", "at", "from_level", "to_level", "kind"), True),)


class CalendarOverride(BaseModel):
    """A day a user declared working or off, over the official calendar."""

    day = DateField(unique=True)
    working = BooleanField()
    note = CharField(default="")
    set_by = CharField()
    set_at = InstantField()


MODELS: Final = (Site, Asset, Engineer, Ticket, FaultReport, Event, Escalation, CalendarOverride)
