"""The inspection tables: checklists filled or submitted, their values, findings, site settings.

An inspection keeps a JSON copy of the template as it was used (with the site's ranges in
force), so a later change to a template or a range never alters an old report. Made by
migration 0002_inspections; whenever a field changes here, a new migration changes it there.
"""

from __future__ import annotations

import json
from typing import Any, Final

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from dutyboard.store.models import BaseModel, InstantField, Site, Ticket


class Inspection(BaseModel):
    """One visit's checklist: a draft while it is filled, then submitted with its service record."""

    site = ForeignKeyField(Site, backref="inspections", on_delete="RESTRICT")
    site_id: int  # the key peewee keeps beside each foreign key, declared for type checkers
    #: A dutyboard.domain.inspection.KINDS key.
    kind = CharField()
    #: A dutyboard.domain.inspection.STATUSES key.
    status = CharField(default="draft")
    #: The month ("2026-11") a monthly inspection counts for; the start month for ad-hoc ones.
    period = CharField()
    started_at = InstantField()
    started_by = CharField()
    submitted_at = InstantField(null=True)
    submitted_by = CharField(null=True)
    #: The engineers' names as written on the report.
    engineers = CharField(default="")
    customer_rep = CharField(default="")
    template_key = CharField()
    #: The template as used, JSON (sections, items, the ranges in force).
    template = TextField()
    #: The five-part service record (dutyboard.domain.policy.REPORT_PARTS).
    cause = TextField(default="")
    response = TextField(default="")
    process = TextField(default="")
    result = TextField(default="")
    precautions = TextField(default="")
    #: Bumped by every change, so a value can never slip into a submitted inspection.
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("site", "kind", "status", "period"), False),
            (("status", "started_at"), False),
        )

    @property
    def template_dict(self) -> dict[str, Any]:
        data = json.loads(self.template or "{}")
        return data if isinstance(data, dict) else {}


class InspectionValue(BaseModel):
    """One item's value in an inspection (canonical text), its note, verdict and reason."""

    inspection = ForeignKeyField(Inspection, backref="values", on_delete="CASCADE")
    key = CharField()
    #: The canonical value ("31", "fault", "na", free text); None when only a note is kept.
    value = TextField(null=True)
    note = TextField(default="")
    #: ok | finding | na; None while the item has no value.
    verdict = CharField(null=True)
    reason = TextField(default="")
    set_at = InstantField()
    set_by = CharField()

    class Meta:
        indexes = ((("inspection", "key"), True),)


class InspectionFinding(BaseModel):
    """A failed item of a submitted inspection and the ticket it opened."""

    inspection = ForeignKeyField(Inspection, backref="findings", on_delete="RESTRICT")
    key = CharField()
    ticket = ForeignKeyField(Ticket, backref="inspection_findings", on_delete="RESTRICT")
    ticket_id: int
    value = TextField(default="")
    reason = TextField(default="")

    class Meta:
        indexes = ((("inspection", "key"), True),)


class SiteInspectionSettings(BaseModel):
    """A site's inspection day, its own ranges and (optionally) its own monthly template."""

    site = ForeignKeyField(Site, unique=True, backref="inspection_settings", on_delete="CASCADE")
    site_id: int
    day_of_month = IntegerField(default=15)
    #: JSON object {item key: {"min": x, "max": y}} over the template's defaults.
    ranges = TextField(default="{}")
    #: The site's own monthly template (JSON), or None for the shipped one.
    template = TextField(null=True)
    updated_at = InstantField(null=True)
    updated_by = CharField(null=True)

    @property
    def ranges_dict(self) -> dict[str, Any]:
        data = json.loads(self.ranges or "{}")
        return data if isinstance(data, dict) else {}


INSPECTION_MODELS: Final = (Inspection, InspectionValue, InspectionFinding, SiteInspectionSettings)
