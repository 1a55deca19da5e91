"""`token add|list|revoke`: shown once, kept as a hash, acting as token:NAME with its own access."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dutyboard.service import team, tickets, tokens
from dutyboard.service.access import access_of
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput, Forbidden, NotFound
from dutyboard.store.intake_models import ApiToken
from dutyboard.store.models import Event


def test_a_token_is_shown_once_and_kept_only_as_its_hash(board: Board) -> None:
    info, secret = tokens.add_token(board, "alertmanager", "engineer")
    assert secret.startswith("dbt_") and len(secret) > 40
    row = ApiToken.get()
    stored = " ".join(str(v) for v in row.__data__.values())
    assert secret not in stored and secret.split("_")[-1] not in stored
    listed = [t.to_json(board.zone) for t in tokens.list_tokens(board)]
    assert listed == [info.to_json(board.zone)]
    assert secret not in json.dumps(listed) and listed[0]["actor"] == "token:alertmanager"
    assert Event.get(Event.kind == "token_added").details_dict == {
        "name": "alertmanager", "access": "engineer"
    }


def test_only_the_exact_token_authenticates(board: Board) -> None:
    _info, secret = tokens.add_token(board, "zabbix", "viewer")
    assert tokens.authenticate(secret) == tokens.Principal("zabbix", "viewer")
    last = secret[-1]
    wrong = secret[:-1] + ("A" if last != "A" else "B")
    for presented in (wrong, "", "dbt_", secret + "x", "Bearer " + secret, secret.upper()):
        assert tokens.authenticate(presented) is None


def test_a_revoked_token_stops_working_and_stays_listed(board: Board) -> None:
    _info, secret = tokens.add_token(board, "old", "engineer")
    revoked = tokens.revoke_token(board, "old")
    assert revoked.revoked_at is not None and revoked.revoked_by == "zhangwei"
    assert tokens.authenticate(secret) is None
    assert access_of("token:old") == "viewer"
    assert [t.name for t in tokens.list_tokens(board)] == ["old"]
    with pytest.raises(BadInput):
        tokens.revoke_token(board, "old")
    with pytest.raises(BadInput):
        tokens.add_token(board, "old", "viewer")  # the audit trail's token:old stays one token
    with pytest.raises(NotFound):
        tokens.revoke_token(board, "never")


@pytest.mark.parametrize(("name", "access"), [("", "viewer"), ("a b", "viewer"), ("x" * 65, "viewer"),
                                               ("ok", "manager"), ("ok", "admin")])
def test_bad_names_and_accesses_are_refused(board: Board, name: str, access: str) -> None:
    with pytest.raises(BadInput):
        tokens.add_token(board, name, access)
    assert ApiToken.select().count() == 0


def test_tokens_are_for_managers_only(board: Board) -> None:
    manager = board.acting_as("wangqiang")
    team.add_person(manager, "wangqiang", "王强", "local_manager", "manager")
    team.add_person(manager, "zhangwei", "张伟", "dedicated_engineer", "engineer")
    with pytest.raises(Forbidden):
        tokens.add_token(board, "monitor", "engineer")
    tokens.add_token(manager, "monitor", "engineer")
    with pytest.raises(Forbidden):
        tokens.list_tokens(board)
    with pytest.raises(Forbidden):
        tokens.revoke_token(board, "monitor")


def test_a_token_acts_with_its_own_access_whatever_the_roster(board: Board) -> None:
    tokens.add_token(board, "screen", "viewer")
    tokens.add_token(board, "monitor", "engineer")
    viewer = board.acting_as("token:screen")
    with pytest.raises(Forbidden):  # even while the roster is empty
        tickets.open_ticket(viewer, level=2, title="disk")
    engineer = board.acting_as("token:monitor")
    ticket_id = tickets.open_ticket(engineer, level=2, title="disk")
    assert tickets.view(engineer, ticket_id).opened_by == "token:monitor"
    team.add_person(board, "wangqiang", "王强", "local_manager", "manager")
    with pytest.raises(Forbidden):  # an engineer token is never a manager
        tokens.add_token(engineer, "another", "viewer")


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dutyboard", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_token_commands(db_env: dict[str, str]) -> None:
    made = _cli(db_env, "token", "add", "am", "--access", "engineer")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("dbt_") and "\n" not in secret and "once" in made.stderr
    as_json = _cli(db_env, "token", "add", "board-tv", "--access", "viewer", "--json")
    assert json.loads(as_json.stdout)["token"].startswith("dbt_")
    listed = _cli(db_env, "token", "list", "--json")
    assert [t["name"] for t in json.loads(listed.stdout)] == ["am", "board-tv"]
    assert secret not in listed.stdout
    assert _cli(db_env, "token", "list").stdout.count("\n") == 2
    again = _cli(db_env, "token", "add", "am", "--access", "viewer")
    assert again.returncode == 2 and "Traceback" not in again.stderr
    bad = _cli(db_env, "token", "add", "x", "--access", "manager")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    revoked = _cli(db_env, "token", "revoke", "am", "--json")
    assert revoked.returncode == 0 and json.loads(revoked.stdout)["revoked_at"]
    unknown = _cli(db_env, "token", "revoke", "nobody")
    assert unknown.returncode == 2 and "nobody" in unknown.stderr
