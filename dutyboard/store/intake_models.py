"""The bearer tokens monitoring systems and the browser board present to the HTTP interface."""

from __future__ import annotations

from peewee import CharField

from dutyboard.store.models import BaseModel, InstantField


class ApiToken(BaseModel):
    """A named token: only a hash of the secret is kept, and a revoked one stays for the audit."""

    name = CharField(unique=True)
    access = CharField()
    #: The token's public prefix, which finds the row without comparing secrets in SQL.
    lookup = CharField(unique=True)
    #: SHA-256 of the whole token, hex; compared in constant time.
    digest = CharField()
    created_at = InstantField()
    created_by = CharField()
    revoked_at = InstantField(null=True)
    revoked_by = CharField(null=True)


MODELS = (ApiToken,)
