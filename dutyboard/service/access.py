"""Who may do what: viewer (read only), engineer (triage, inspections), manager (also the calendar,
the roster, templates and targets).

The roster decides: a login on it has its access, anyone else is a viewer. A board whose roster
is still empty has nobody to ask, so everyone acts as a manager until the first person is added
(the way a fresh install, a demo or a monitoring script's own board starts).
"""

from __future__ import annotations

from dutyboard.domain.names import access_name
from dutyboard.domain.policy import ACCESS_LEVELS
from dutyboard.i18n import _
from dutyboard.service.board import Board
from dutyboard.service.errors import Forbidden
from dutyboard.store.intake_models import ApiToken
from dutyboard.store.models import Engineer

#: An HTTP token acts as `token:NAME` with the access it was made with (never manager).
TOKEN_ACTOR_PREFIX = "token:"
TOKEN_ACCESS = ("viewer", "engineer")


def access_of(login: str) -> str:
    """The access a login has on this board (a token's is its own, whatever the roster says)."""
    if login.startswith(TOKEN_ACTOR_PREFIX):
        token = (
            ApiToken.select(ApiToken.access, ApiToken.revoked_at)
            .where(ApiToken.name == login.removeprefix(TOKEN_ACTOR_PREFIX))
            .first()
        )
        if token is None or token.revoked_at is not None:
            return "viewer"
        return str(token.access)
    person = Engineer.get_or_none(Engineer.login == login)
    if person is not None:
        return str(person.access) if person.active else "viewer"
    if not Engineer.select().exists():
        return "manager"
    return "viewer"


def require(board: Board, needed: str) -> None:
    """Refuse, naming the role needed, when the acting person's access is below it."""
    have = board.granted or access_of(board.actor)
    if ACCESS_LEVELS.index(have) < ACCESS_LEVELS.index(needed):
        raise Forbidden(
            _("{who} is a {have} on this board; this needs the {needed} role").format(
                who=board.actor, have=access_name(have), needed=access_name(needed)
            )
        )
