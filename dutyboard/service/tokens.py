"""Bearer tokens for the HTTP interface: made by managers, shown once, kept only as a hash.

A token is `dbt_<lookup>_<secret>`: the lookup part finds its row, then the SHA-256 of the whole
token is compared with the stored one in constant time, so neither the database nor the timing
of a refusal tells anything about a secret. A token acts as `token:NAME` in the audit trail,
with the access it was made with (viewer or engineer); a revoked token stays listed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dutyboard.domain.instants import iso
from dutyboard.i18n import _
from dutyboard.service.access import TOKEN_ACCESS, TOKEN_ACTOR_PREFIX, require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, NotFound
from dutyboard.store.db import run_write
from dutyboard.store.intake_models import ApiToken

TOKEN_PREFIX = "dbt_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_TOKEN = re.compile(r"^dbt_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$")
#: Compared against when no row matches, so a refusal takes as long as an acceptance.
_NO_DIGEST = hashlib.sha256(b"no such token").hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    """A token as `token list` shows it: never its secret or hash."""

    name: str
    access: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None

    @property
    def actor(self) -> str:
        """Who the token acts as in the audit trail."""
        return TOKEN_ACTOR_PREFIX + self.name

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "name": self.name,
            "access": self.access,
            "actor": self.actor,
            "created_at": iso(self.created_at, zone),
            "created_by": self.created_by,
            "revoked_at": iso(self.revoked_at, zone),
            "revoked_by": self.revoked_by,
        }


@dataclass(frozen=True)
class Principal:
    """Who a request presenting a valid token acts as, and with what access."""

    name: str
    access: str

    @property
    def actor(self) -> str:
        return TOKEN_ACTOR_PREFIX + self.name


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(row.name, row.access, row.created_at, row.created_by, row.revoked_at,
                     row.revoked_by)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_token(board: Board, name: str, access: str) -> tuple[TokenInfo, str]:
    """Make a token (a manager's action); returns it with its secret, which is never shown again."""
    name = name.strip()
    if not _NAME.match(name):
        raise BadInput(
            _("A token name is 1 to 64 letters, digits, dots, dashes or underscores, not {name!r}")
            .format(name=name)
        )
    if access not in TOKEN_ACCESS:
        raise BadInput(
            _("A token's access must be one of {choices}, not {value!r}").format(
                choices=", ".join(TOKEN_ACCESS), value=access
            )
        )
    lookup = secrets.token_hex(8)
    token = f"{TOKEN_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"

    def write() -> TokenInfo:
        require(board, "manager")
        if ApiToken.get_or_none(ApiToken.name == name) is not None:
            raise BadInput(
                _("There is already a token named {name} (names are never reused)").format(
                    name=name
                )
            )
        row = ApiToken.create(
            name=name, access=access, lookup=lookup, digest=_digest(token),
            created_at=board.now(), created_by=board.actor,
        )
        board.record("token_added", {"name": name, "access": access})
        return _info(row)

    return run_write(write), token


def list_tokens(board: Board) -> list[TokenInfo]:
    """Every token ever made, revoked ones too, by name (managers only)."""
    require(board, "manager")
    return [_info(row) for row in ApiToken.select().order_by(ApiToken.name)]


def revoke_token(board: Board, name: str) -> TokenInfo:
    """Stop a token from working at once; it stays listed, with who revoked it and when."""

    def write() -> TokenInfo:
        require(board, "manager")
        row = ApiToken.get_or_none(ApiToken.name == name.strip())
        if row is None:
            raise NotFound(_("There is no token named {name}").format(name=name))
        if row.revoked_at is not None:
            raise BadInput(_("The token {name} is already revoked").format(name=row.name))
        row.revoked_at, row.revoked_by = board.now(), board.actor
        row.save()
        board.record("token_revoked", {"name": row.name})
        return _info(row)

    return run_write(write)


def authenticate(token: str) -> Principal | None:
    """The principal a presented token stands for; None for a wrong, malformed or revoked one."""
    match = _TOKEN.match(token.strip())
    row = (
        ApiToken.select(ApiToken.name, ApiToken.access, ApiToken.digest, ApiToken.revoked_at)
        .where(ApiToken.lookup == match.group(1))
        .first()
        if match
        else None
    )
    expected = row.digest if row is not None else _NO_DIGEST
    same = hmac.compare_digest(_digest(token.strip()), expected)
    if row is None or not same or row.revoked_at is not None:
        return None
    return Principal(row.name, row.access)
