"""`dutyboard token add|list|revoke`: the bearer tokens of the HTTP interface (managers only)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from dutyboard.domain.names import access_name
from dutyboard.i18n import _


def add_token_parser(commands: Any) -> None:
    """Add `token add|list|revoke` to the main parser's subcommands."""
    from dutyboard.service.access import TOKEN_ACCESS

    token = commands.add_parser("token", help=_("tokens for the HTTP interface"))
    ops = token.add_subparsers(dest="op", parser_class=type(token), required=True)
    p = ops.add_parser("add", help=_("make a token; it is shown only this once"))
    p.add_argument("name")
    p.add_argument("--access", choices=TOKEN_ACCESS, required=True)
    _json_flag(p)
    p = ops.add_parser("list", help=_("every token, revoked ones too"))
    _json_flag(p)
    p = ops.add_parser("revoke", help=_("stop a token from working"))
    p.add_argument("name")
    _json_flag(p)


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("machine-readable output on stdout"))


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def run_token(board: Any, args: argparse.Namespace) -> None:
    """Carry out one `token …` command."""
    from dutyboard.service import tokens

    if args.op == "add":
        info, secret = tokens.add_token(board, args.name, args.access)
        if args.json:
            _print_json({**info.to_json(board.zone), "token": secret})
            return
        # The token alone on stdout (TOKEN=$(dutyboard token add …)), the advice on stderr.
        sys.stderr.write(
            _("Token {name} ({access}), acting as {actor}; it is shown only this once:").format(
                name=info.name, access=access_name(info.access), actor=info.actor
            ) + "\n"
        )
        sys.stdout.write(secret + "\n")
        return
    if args.op == "revoke":
        info = tokens.revoke_token(board, args.name)
        if args.json:
            _print_json(info.to_json(board.zone))
        else:
            sys.stdout.write(_("Token {name} revoked.").format(name=info.name) + "\n")
        return
    rows = tokens.list_tokens(board)
    if args.json:
        _print_json([row.to_json(board.zone) for row in rows])
        return
    from dutyboard import fmt

    if not rows:
        sys.stdout.write(
            _("No tokens yet (`dutyboard token add NAME --access viewer|engineer`).") + "\n"
        )
    for row in rows:
        state = (
            _("revoked {at} by {who}").format(
                at=fmt.instant_iso(row.revoked_at, board.zone), who=row.revoked_by
            )
            if row.revoked_at is not None
            else _("active")
        )
        sys.stdout.write(
            f"{fmt.fit(row.name, 20, pad=True)} "
            f"{fmt.fit(access_name(row.access), 9, pad=True)} "
            f"{fmt.instant_iso(row.created_at, board.zone)} "
            f"{fmt.fit(row.created_by, 12, pad=True)} "
            f"{state}\n"
        )
