"""`dutyboard backup`, `restore`, `check` and `migrate --to`: looking after the board itself.

Kept apart from the ticket commands so `dutyboard ticket …` stays lean; the work is done by
dutyboard.service.admin.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from dutyboard.i18n import _

#: The commands this module adds to the main parser.
ADMIN_COMMANDS = frozenset({"backup", "restore", "check", "migrate"})
#: Commands that must work when the board cannot be opened (it is what they repair).
WITHOUT_BOARD = frozenset({"restore"})

EXIT_OK, EXIT_PROBLEMS = 0, 1


def add_admin_parsers(commands: Any) -> None:
    """Add backup, restore, check and migrate to the main parser's subcommands."""
    p = commands.add_parser("backup", help=_("write a consistent copy of the board to a file"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help=_("overwrite FILE if it exists"))
    _json_flag(p)

    p = commands.add_parser("restore", help=_("put a checked backup back in place of the board"))
    p.add_argument("file", metavar="FILE")
    _json_flag(p)

    p = commands.add_parser("check", help=_("check the board's integrity and consistency"))
    _json_flag(p)

    p = commands.add_parser(
        "migrate", help=_("copy this SQLite board into an empty PostgreSQL database")
    )
    p.add_argument("--to", metavar="URL", required=True, help=_("postgresql://user@host/dbname"))
    _json_flag(p)


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("machine-readable output on stdout"))


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f} {unit}"


def run_admin(board_or_none: Any, args: argparse.Namespace) -> int:
    """Run one admin command; returns the exit status (errors are raised for main to report)."""
    from dutyboard.service import admin

    command = args.command
    if command == "restore":
        from dutyboard.config import load_config
        from dutyboard.service.board import default_actor

        config = board_or_none.config if board_or_none is not None else load_config()
        restored = admin.restore(args.db, args.file, config, args.by or default_actor())
        if args.json:
            _print_json(restored.to_json())
        else:
            sys.stdout.write(
                _("Restored {file} into {board}: {tickets} tickets, {events} events.").format(
                    file=restored.source,
                    board=restored.board,
                    tickets=restored.tickets,
                    events=restored.events,
                )
                + "\n"
            )
            if restored.kept:
                sys.stdout.write(
                    _("The board as it was before is kept as {kept}.").format(kept=restored.kept)
                    + "\n"
                )
        return EXIT_OK

    board = board_or_none
    if board is None:
        from dutyboard.service.board import Board

        board = Board.open(args.db, actor=args.by)
    try:
        if command == "backup":
            result = admin.backup(board, args.file, replace=args.replace)
            if args.json:
                _print_json(result.to_json())
            else:
                sys.stdout.write(
                    _(
                        "Backup written to {file}: {tickets} tickets, {events} events, {size}."
                    ).format(
                        file=result.path,
                        tickets=result.tickets,
                        events=result.events,
                        size=_size(result.size),
                    )
                    + "\n"
                )
            return EXIT_OK
        if command == "check":
            report = admin.check(board)
            if args.json:
                _print_json(report.to_json())
            elif report.ok:
                sys.stdout.write(
                    _(
                        "All is well in {where}: {tickets} tickets, {events} events and "
                        "{escalations} escalations checked; every ticket matches its audit trail."
                    ).format(
                        where=report.where,
                        tickets=report.tickets,
                        events=report.events,
                        escalations=report.escalations,
                    )
                    + "\n"
                )
            else:
                sys.stdout.write(
                    _("{n} problems found in {where}:").format(
                        n=len(report.problems), where=report.where
                    )
                    + "\n"
                )
                for problem in report.problems:
                    sys.stdout.write("  - " + problem.message + "\n")
            return EXIT_OK if report.ok else EXIT_PROBLEMS
        if command == "migrate":
            copied = admin.migrate_to(board, args.to)
            if args.json:
                _print_json(copied.to_json())
            else:
                sys.stdout.write(
                    _(
                        "Copied the board to {where}: {tickets} tickets, {events} events, "
                        "{inspections} inspections."
                    ).format(
                        where=copied.where,
                        tickets=copied.counts.get("ticket", 0),
                        events=copied.counts.get("event", 0),
                        inspections=copied.counts.get("inspection", 0),
                    )
                    + "\n"
                )
                sys.stdout.write(
                    _("Point everyone at it with --db or DUTYBOARD_DB ({where}).").format(
                        where=copied.where
                    )
                    + "\n"
                )
            return EXIT_OK
        raise ValueError(command)
    finally:
        if board_or_none is None:
            board.close()
