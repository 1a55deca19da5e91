"""The customer archive's own tables: the customer's people, the spare-parts store, parts used.

Sites and assets live in dutyboard.store.models (tickets and inspections name them). Made by
migration 0003_archive; whenever a field changes here, a new migration changes it there.
"""

from __future__ import annotations

from typing import Final

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField

from dutyboard.store.models import BaseModel, InstantField, Site, Ticket


class Contact(BaseModel):
    """One of the customer's people at a site; `reporter`: one of the agreed people who report."""

    site = ForeignKeyField(Site, backref="contacts", on_delete="RESTRICT")
    name = CharField()
    phone = CharField(default="")
    email = CharField(default="")
    title = CharField(default="")
    reporter = BooleanField(default=False)

    class Meta:
        indexes = ((("site", "name"), True),)


class Part(BaseModel):
    """A spare part kept in stock, for one kind of asset; low stock when qty < min_qty."""

    code = CharField(unique=True)
    name = CharField()
    kind = CharField()
    qty = IntegerField(default=0)
    min_qty = IntegerField(default=0)
    #: local | hangzhou
    store = CharField(default="local")
    retired = BooleanField(default=False)


class PartUse(BaseModel):
    """Parts taken from stock for a ticket (the asset's maintenance record lists them)."""

    ticket = ForeignKeyField(Ticket, backref="parts_used", on_delete="RESTRICT")
    part = ForeignKeyField(Part, backref="uses", on_delete="RESTRICT")
    qty = IntegerField()
    at = InstantField()
    by = CharField()

    class Meta:
        indexes = ((("ticket", "id"), False),)


ARCHIVE_MODELS: Final = (Contact, Part, PartUse)
