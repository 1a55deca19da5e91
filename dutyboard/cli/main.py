"""The command line: scripts and monitoring drive the same service layer as the dashboard.

It never imports Textual: `dutyboard` without a command opens the dashboard it is handed
(dutyboard.program hands it dutyboard.tui's), so `dutyboard ticket …` stays fast and light.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from dutyboard.cli.admin import WITHOUT_BOARD, add_admin_parsers, run_admin
from dutyboard.cli.archive import ARCHIVE_COMMANDS, TICKET_OPS, run_archive, run_ticket_op
from dutyboard.cli.inspection import add_inspection_parser, run_inspection
from dutyboard.cli.token import add_token_parser, run_token
from dutyboard.i18n import N_, _

EXIT_OK, EXIT_OTHER, EXIT_BAD_INPUT, EXIT_CONFLICT = 0, 1, 2, 3
#: Opens the dashboard on a board until the engineer quits; returns the exit status.
Dashboard = Callable[[Any], int]


class CliError(Exception):
    """A refusal found by the command line itself (bad flag values)."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every refusal goes through one place."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(_("{prog}: {message}").format(prog=self.prog, message=message))


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a number").format(value=text)
        ) from None


def _level(text: str) -> int:
    value = _int(text)
    if value not in (1, 2, 3, 4):
        raise argparse.ArgumentTypeError(
            _("level must be 1, 2, 3 or 4, not {value}").format(value=text)
        )
    return value


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("machine-readable output on stdout"))


def _at_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", metavar="ISO", help=_("do it as of this instant (default: now)"))


def _version_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--expect-version", metavar="N", type=_int, dest="expect_version",
        help=_("refuse (exit 3) if the status, level, owner or crisis changed after version N"),
    )


def build_parser() -> argparse.ArgumentParser:
    from dutyboard.cli import archive as archive_cli
    from dutyboard.domain.policy import ACCESS_LEVELS, CHANNELS, ROLES, SERVICES

    parser = _Parser(prog="dutyboard", description=_("The duty engineer's board."))
    parser.add_argument(
        "--db", metavar="PATH|URL", help=_("database file or URL (or DUTYBOARD_DB)")
    )
    parser.add_argument(
        "--by", metavar="NAME", help=_("who does it (or DUTYBOARD_USER; default the OS user)")
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("open the dashboard on a demo database")
    )
    parser.add_argument("--version", action="store_true", help=_("print the version"))
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    ticket = commands.add_parser("ticket", help=_("tickets"))
    ops = ticket.add_subparsers(dest="op", parser_class=_Parser, required=True)

    p = ops.add_parser("open", help=_("open a ticket"))
    p.add_argument("--level", type=_level, required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--service", choices=SERVICES, default="hardware")
    p.add_argument("--site")
    p.add_argument("--asset")
    p.add_argument("--channel", choices=CHANNELS, default="phone")
    p.add_argument("--description", default="")
    p.add_argument(
        "--dedup-key",
        metavar="KEY",
        help=_("a monitoring alert's key: while its ticket is not closed, repeat that ticket"),
    )
    archive_cli.add_caller_flags(p)
    _at_flag(p)
    _json_flag(p)

    for name, text in (
        ("ack", _("acknowledge: telephone support started")),
        ("dispatch", _("dispatch an engineer to the site")),
        ("arrive", _("the engineer is on site")),
        ("restore", _("service is restored")),
        ("close", _("close the ticket")),
    ):
        p = ops.add_parser(name, help=text)
        p.add_argument("id", type=_int)
        if name == "dispatch":
            p.add_argument("--to", metavar="ENGINEER")
        _at_flag(p)
        _version_flag(p)
        _json_flag(p)

    p = ops.add_parser("report", help=_("the fault analysis report"))
    p.add_argument("id", type=_int)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--file")
    _at_flag(p)
    _version_flag(p)
    _json_flag(p)

    p = ops.add_parser("note", help=_("add a note (in crisis mode, the hourly update)"))
    p.add_argument("id", type=_int)
    p.add_argument("text")
    _at_flag(p)
    _version_flag(p)
    _json_flag(p)

    p = ops.add_parser("level", help=_("re-classify"))
    p.add_argument("id", type=_int)
    p.add_argument("level", type=_level)
    p.add_argument("--reason", required=True)
    _at_flag(p)
    _version_flag(p)
    _json_flag(p)

    p = ops.add_parser("crisis", help=_("crisis mode on or off"))
    p.add_argument("id", type=_int)
    p.add_argument("--off", action="store_true")
    _at_flag(p)
    _version_flag(p)
    _json_flag(p)

    p = ops.add_parser("show", help=_("one ticket with its clocks and audit trail"))
    p.add_argument("id", type=_int)
    _at_flag(p)
    _json_flag(p)

    p = ops.add_parser("list", help=_("tickets that are not closed"))
    p.add_argument("--all", action="store_true", help=_("closed ones too"))
    _json_flag(p)
    archive_cli.add_ticket_parsers(ops, _version_flag)

    p = commands.add_parser("queue", help=_("the queue in queue order"))
    _at_flag(p)
    _json_flag(p)

    p = commands.add_parser("sweep", help=_("run automatic escalation"))
    _at_flag(p)
    p.add_argument(
        "--preview", action="store_true",
        help=_("only say what a sweep would do (--at may then lie ahead); write nothing"),
    )
    _json_flag(p)

    cal = commands.add_parser("calendar", help=_("business calendar"))
    cal_ops = cal.add_subparsers(dest="op", parser_class=_Parser, required=True)
    p = cal_ops.add_parser("set", help=_("declare a day working or off"))
    p.add_argument("date")
    p.add_argument("kind", choices=("work", "off"))
    p.add_argument("--note", default="")
    _json_flag(p)
    p = cal_ops.add_parser("show", help=_("the working days of a year"))
    p.add_argument("year")
    _json_flag(p)

    roster = commands.add_parser("roster", help=_("the team: roles and access"))
    roster_ops = roster.add_subparsers(dest="op", parser_class=_Parser, required=True)
    p = roster_ops.add_parser("list", help=_("everyone on the roster"))
    _json_flag(p)
    for name in ("add", "set"):
        p = roster_ops.add_parser(
            name, help=_("add someone") if name == "add" else _("change someone")
        )
        p.add_argument("login")
        p.add_argument("--name", required=name == "add")
        p.add_argument("--role", choices=ROLES, required=name == "add")
        p.add_argument(
            "--access", choices=ACCESS_LEVELS, default="engineer" if name == "add" else None
        )
        p.add_argument("--phone")
        p.add_argument("--email")
        if name == "set":
            p.add_argument("--active", choices=("yes", "no"))
        _json_flag(p)

    p = commands.add_parser("demo", help=_("fill the database with demo data"))
    p.add_argument("--seed", type=_int, default=7)
    _at_flag(p)
    _json_flag(p)
    add_inspection_parser(commands)
    add_token_parser(commands)
    add_admin_parsers(commands)
    archive_cli.add_archive_parsers(commands)
    return parser


# ---------------------------------------------------------------- output


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _show_ticket(
    board: Any, ticket_id: int, as_json: bool, at: Any = None, extra: dict[str, Any] | None = None
) -> None:
    from dutyboard.service import tickets

    view = tickets.view(board, ticket_id, at)
    if as_json:
        _print_json({**view.to_json(board.zone), **(extra or {})})
        return
    from dutyboard import fmt

    out = sys.stdout
    level = fmt.level_short(view.level)
    if view.level != view.initial_level:
        level = f"{fmt.level_short(view.initial_level)}→{level}"
    out.write(f"#{view.id} {level} {fmt.status_name(view.status)}  {view.title}\n")
    out.write(
        _(
            "service: {service}  channel: {channel}  site: {site}  asset: {asset}  owner: {owner}"
        ).format(
            service=fmt.service_name(view.service),
            channel=fmt.channel_name(view.channel),
            site=view.site or "-",
            asset=view.asset or "-",
            owner=view.owner or "-",
        )
        + "\n"
    )
    out.write(_("reported: {at}").format(at=fmt.instant_iso(view.reported_at, board.zone)) + "\n")
    _show_archive_part(view)
    for name, clock in view.clocks.items():
        due = fmt.instant_iso(clock.due, board.zone) if clock.due else "-"
        state = fmt.clock_state_name("warning" if clock.warning else clock.state)
        out.write(
            f"  {fmt.fit(fmt.clock_name(name), 10, pad=True)} "
            f"{fmt.fit(state, 12, pad=True)} {due}\n"
        )
    for e in view.escalations:
        out.write(
            "  ↑ "
            + _("{at}: level {from_level} → {to_level} ({reason})").format(
                at=fmt.instant_iso(e["at"], board.zone),
                from_level=e["from_level"],
                to_level=e["to_level"],
                reason=_(e["reason"]) if e["reason"] else "",
            )
            + "\n"
        )
    if view.repeats and view.last_repeat_at is not None:
        out.write(
            "  ↻ " + _("came {count} times from monitoring (key {key}), last at {at}").format(
                count=view.repeats + 1, key=view.dedup_key,
                at=fmt.instant_iso(view.last_repeat_at, board.zone),
            ) + "\n"
        )


def _show_archive_part(view: Any) -> None:
    """Where it is, who called and whether the work is billable (the customer archive)."""
    from dutyboard import fmt

    out = sys.stdout
    if view.site_name or view.asset_name:
        out.write(
            _("at: {site} {site_name}  {asset} {asset_name}").format(
                site=view.site or "-", site_name=view.site_name or "", asset=view.asset or "",
                asset_name=view.asset_name or "",
            ).rstrip() + "\n"
        )
    if view.caller or view.callback:
        agreed = {
            True: _("an agreed reporter"), False: _("not an agreed reporter of the site"), None: "",
        }[view.caller_is_reporter]
        out.write(
            _("caller: {caller}  call back: {callback}").format(
                caller=view.caller or "-", callback=view.callback or "-"
            ) + (f"  ({agreed})" if agreed else "") + "\n"
        )
    if view.billable:
        note = f" — {view.billable_note}" if view.billable_note else ""
        reason = fmt.billable_reason_name(view.billable)
        out.write(_("billable: {reason}").format(reason=reason) + note + "\n")
    for used in view.parts_used:
        out.write(
            "  " + _("part used: {part} {name} ×{qty}").format(
                part=used.part, name=used.name, qty=used.qty
            ) + "\n"
        )
    for unit in view.backup_units:
        out.write(
            "  " + _("backup unit from {store}").format(store=fmt.part_store_name(unit["from"]))
            + (f" — {unit['note']}" if unit["note"] else "") + "\n"
        )


def _queue(board: Any, at: Any, as_json: bool) -> None:
    from dutyboard.service import tickets

    if as_json:
        _print_json(tickets.queue_json(board, at))
        return
    items = tickets.queue(board, at)
    from dutyboard import fmt

    if not items:
        sys.stdout.write(_("The queue is empty.") + "\n")
    for row, nxt in items:
        left = fmt.countdown(nxt.seconds_left) if nxt else "-"
        clock = fmt.clock_name(nxt.name) if nxt else "-"
        sys.stdout.write(
            f"{fmt.fit(fmt.level_short(row.level), 4, pad=True)} #{row.id:<5} "
            f"{fmt.fit(fmt.status_name(row.status), 12, pad=True)} "
            f"{fmt.fit(clock, 8, pad=True)} {_right(left, 12)}  {fmt.fit(row.title, 60)}\n"
        )


def _right(text: str, width: int) -> str:
    """Right-align by terminal cells (Chinese characters are two cells wide)."""
    from dutyboard import fmt

    return " " * max(0, width - fmt.cell_width(text)) + text


SOURCE_NAMES = {"official": N_("official"), "override": N_("override"), "fallback": N_("Mon–Fri")}


def _read_report(args: argparse.Namespace) -> str:
    if args.text is not None:
        return str(args.text)
    try:
        with open(args.file, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(
            _("Cannot read {file}: {error}").format(file=args.file, error=error)
        ) from None


def _ticket(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import tickets

    at = board.at(args.at) if getattr(args, "at", None) is not None else None
    op = args.op
    if op == "open":
        intake = tickets.open_or_repeat(
            board,
            level=args.level,
            title=args.title,
            service=args.service,
            channel=args.channel,
            site=args.site,
            asset=args.asset,
            description=args.description,
            dedup_key=args.dedup_key,
            at=at,
            caller=args.caller,
            callback=args.callback,
        )
        def shown() -> None:
            if intake.deduplicated and not args.json:
                sys.stdout.write(
                    _(
                        "Ticket {id} is still open for this dedup key: recorded as occurrence "
                        "{count}."
                    ).format(id=intake.id, count=intake.count)
                    + "\n"
                )
            _show_ticket(board, intake.id, args.json, at, {"deduplicated": intake.deduplicated})

        _after_write(shown)
        return
    if op == "show":
        _show_ticket(board, args.id, args.json, at)
        return
    if op == "list":
        rows = tickets.list_tickets(board, include_closed=args.all)
        if args.json:
            _print_json(
                [
                    {
                        "id": r.id,
                        "level": r.level,
                        "initial_level": r.initial_level,
                        "status": r.status,
                        "title": r.title,
                        "site": r.site,
                        "asset": r.asset,
                        "owner": r.owner,
                    }
                    for r in rows
                ]
            )
        else:
            from dutyboard import fmt

            for r in rows:
                sys.stdout.write(
                    f"#{r.id:<5} {fmt.fit(fmt.level_short(r.level), 4, pad=True)} "
                    f"{fmt.fit(fmt.status_name(r.status), 12, pad=True)} {r.title}\n"
                )
        return
    version = args.expect_version
    if op in TICKET_OPS:
        run_ticket_op(board, args, at, version)
        _after_write(lambda: _show_ticket(board, args.id, args.json, at))
        return
    actions: dict[str, Callable[[], None]] = {
        "ack": lambda: tickets.acknowledge(board, args.id, at, version),
        "dispatch": lambda: tickets.dispatch(board, args.id, args.to, at, version),
        "arrive": lambda: tickets.arrive(board, args.id, at, version),
        "restore": lambda: tickets.restore(board, args.id, at, version),
        "close": lambda: tickets.close(board, args.id, at, version),
        "note": lambda: tickets.add_note(board, args.id, args.text, at, version),
        "level": lambda: tickets.set_level(board, args.id, args.level, args.reason, at, version),
        "crisis": lambda: tickets.set_crisis(board, args.id, not args.off, at, version),
        "report": lambda: tickets.submit_report(board, args.id, report, at, version),
    }
    report = tickets.parse_report(_read_report(args)) if op == "report" else {}
    actions[op]()
    _after_write(lambda: _show_ticket(board, args.id, args.json, at))


def _after_write(show: Callable[[], None]) -> None:
    """Print what a committed write did; the write stands whatever happens to the printing.

    A non-zero exit status says nothing was changed, so it must never follow a commit.
    """
    try:
        show()
    except BrokenPipeError:
        raise
    except Exception as error:  # noqa: BLE001 - the change is committed: say so, exit 0
        sys.stderr.write(
            _("Done, but it cannot be shown: {error}").format(error=error) + "\n"
        )


def _sweep(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.domain.instants import iso
    from dutyboard.service import tickets

    at = board.at(args.at)
    results = tickets.sweep(board, at, preview=args.preview)
    if args.json:
        _print_json(
            [
                {
                    "id": r.id,
                    "from_level": r.from_level,
                    "to_level": r.to_level,
                    "at": iso(r.at, board.zone),
                    "kind": r.kind,
                }
                for r in results
            ]
        )
        return
    if not results:
        sys.stdout.write(_("Nothing to escalate.") + "\n")
    for r in results:
        if r.kind == "management":
            line = _("#{id}: level 1 restore breached at {at}: management escalation")
        else:
            line = _("#{id}: level {from_level} → {to_level} at {at}")
        sys.stdout.write(
            line.format(
                id=r.id, from_level=r.from_level, to_level=r.to_level, at=iso(r.at, board.zone)
            )
            + "\n"
        )


def _calendar(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import calendar

    if args.op == "set":
        day = calendar.parse_day(args.date)
        moved = calendar.set_day(board, day, args.kind == "work", args.note)
        if args.json:
            _print_json(
                {"date": day.isoformat(), "working": args.kind == "work", "tickets_moved": moved}
            )
        else:
            sys.stdout.write(
                (
                    _("{date} is now a working day")
                    if args.kind == "work"
                    else _("{date} is now a day off")
                ).format(date=day.isoformat())
                + "\n"
            )
        return
    year = calendar.parse_year(args.year)
    days = calendar.year(board, year)
    if args.json:
        _print_json(
            [
                {
                    "date": d.date.isoformat(),
                    "working": d.working,
                    "source": d.source,
                    "holiday": d.holiday,
                }
                for d in days
            ]
        )
        return
    from dutyboard import fmt

    working = sum(1 for d in days if d.working)
    sys.stdout.write(_("{year}: {n} working days").format(year=year, n=working) + "\n")
    for d in days:
        weekend = d.date.weekday() >= 5
        if d.working == (not weekend) and d.source != "override":
            continue  # only exceptions: holidays on weekdays, working weekends, overrides
        kind = _("work") if d.working else _("off")
        sys.stdout.write(
            f"{fmt.fit(fmt.date(d.date), 14, pad=True)} {fmt.weekday(d.date)}  "
            f"{fmt.fit(kind, 6, pad=True)} {fmt.fit(_(SOURCE_NAMES[d.source]), 10, pad=True)} "
            f"{_(d.holiday) if d.holiday else ''}\n"
        )


def _roster(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import team

    if args.op == "add":
        team.add_person(
            board, args.login, args.name, args.role, args.access, args.phone or "", args.email or ""
        )
    elif args.op == "set":
        active = None if args.active is None else args.active == "yes"
        team.set_person(
            board,
            args.login,
            name=args.name,
            role=args.role,
            access=args.access,
            phone=args.phone,
            email=args.email,
            active=active,
        )
    people = team.people(board)
    if args.json:
        _print_json(
            [
                {
                    "login": p.login,
                    "name": p.name,
                    "role": p.role,
                    "access": p.access,
                    "phone": p.phone,
                    "email": p.email,
                    "active": p.active,
                }
                for p in people
            ]
        )
        return
    from dutyboard import fmt

    for p in people:
        sys.stdout.write(
            f"{fmt.fit(p.login, 12, pad=True)} {fmt.fit(p.name, 12, pad=True)} "
            f"{fmt.fit(fmt.role_name(p.role), 24, pad=True)} "
            f"{fmt.fit(fmt.access_name(p.access), 9, pad=True)} "
            f"{p.phone}{'' if p.active else '  ' + _('(inactive)')}\n"
        )


def _demo(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service.demo import make_demo

    summary = make_demo(board, seed=args.seed, at=board.at(args.at))
    if args.json:
        _print_json(summary)
    else:
        sys.stdout.write(
            _("Demo data: {tickets} tickets, {sites} sites, {engineers} engineers.").format(
                **summary
            )
            + "\n"
        )


def _open_demo_board(args: argparse.Namespace) -> Any:
    """A fresh demo database made on the spot, in a temporary directory."""
    import tempfile

    from dutyboard.service.board import Board
    from dutyboard.service.demo import make_demo

    folder = tempfile.mkdtemp(prefix="dutyboard-demo-")
    # The demo's duty engineer is on its roster, so every triage key works.
    board = Board.open(os.path.join(folder, "demo.db"), actor=args.by or "zhangwei")
    make_demo(board, seed=7)
    return board


def _dashboard(args: argparse.Namespace, dashboard: Dashboard | None) -> int:
    """The dashboard on the board; the queue as text where there is no terminal (or dashboard)."""
    from dutyboard.service.board import Board

    board = _open_demo_board(args) if args.demo else Board.open(args.db, actor=args.by)
    try:
        if dashboard is None or not sys.stdout.isatty():
            _queue(board, None, as_json=False)
            return EXIT_OK
        return dashboard(board)
    finally:
        board.close()


def main(argv: Sequence[str] | None = None, dashboard: Dashboard | None = None) -> int:
    """Run one command and return its exit status; without a command, open `dashboard`."""
    from dutyboard.config import ConfigError, load_config
    from dutyboard.i18n import setup_language
    from dutyboard.service.errors import ServiceError, StoreError

    try:
        config = load_config()
    except ConfigError as error:
        setup_language(None)
        sys.stderr.write(str(error) + "\n")
        return EXIT_BAD_INPUT
    setup_language(config.language)
    board = None
    try:
        args = build_parser().parse_args(argv)
        if args.version:
            from dutyboard import __version__

            sys.stdout.write(f"dutyboard {__version__}\n")
            return EXIT_OK
        if args.command is None:
            return _dashboard(args, dashboard)
        if args.command in WITHOUT_BOARD:
            return run_admin(None, args)  # restore must work when the board cannot be opened
        from dutyboard.service.board import Board

        board = Board.open(args.db, actor=args.by, config=config)
        handlers = {
            "ticket": _ticket,
            "queue": lambda b, a: _queue(b, b.at(a.at), a.json),
            "sweep": _sweep,
            "calendar": _calendar,
            "roster": _roster,
            "demo": _demo,
            "inspection": run_inspection,
            "token": run_token,
        }
        handlers.update(dict.fromkeys(ARCHIVE_COMMANDS, run_archive))
        if args.command not in handlers:
            return run_admin(board, args)
        handlers[args.command](board, args)
        return EXIT_OK
    except CliError as error:
        sys.stderr.write(error.message + "\n")
        return error.status
    except ServiceError as error:
        sys.stderr.write(error.message + "\n")
        return error.exit_status
    except StoreError as error:
        sys.stderr.write(str(error) + "\n")
        return EXIT_OTHER
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    finally:
        if board is not None:
            for notice in board.take_notices():
                sys.stderr.write(notice + "\n")
            board.close()
