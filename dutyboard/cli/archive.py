"""`dutyboard site|asset|contact|part|archive …`; parts, backup units, billable work on tickets.

Same conventions as the rest of the command line (contract.md): `--json` after the command,
exit 2 for bad input with one clear line (a refusal raises a ServiceError that the main loop
turns into its exit status). Imports nothing heavy at module level.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from dutyboard.i18n import _

#: The command groups this module adds to the main parser.
ARCHIVE_COMMANDS = frozenset({"site", "asset", "contact", "part", "archive"})
#: The `ticket` operations this module adds.
TICKET_OPS = frozenset({"wait-part", "use-part", "backup-unit", "billable"})

YES_NO = ("yes", "no")


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("machine-readable output on stdout"))


def _at_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", metavar="ISO", help=_("do it as of this instant (default: now)"))


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _ops(parent: Any, name: str, text: str) -> Any:
    group = parent.add_parser(name, help=text)
    return group.add_subparsers(dest="op", parser_class=type(group), required=True)


def add_archive_parsers(commands: Any) -> None:
    """Add site, asset, contact, part and archive to the main parser's subcommands."""
    from dutyboard.domain.policy import ASSET_KINDS as kinds
    from dutyboard.domain.policy import PART_STORES as stores

    ops = _ops(commands, "site", _("the customer's sites (machine rooms, stations)"))
    for name in ("add", "set"):
        p = ops.add_parser(name, help=_("register a site") if name == "add" else _("change a site"))
        p.add_argument("code")
        p.add_argument("--name", required=name == "add")
        p.add_argument("--address")
        if name == "set":
            p.add_argument("--retired", choices=YES_NO)
        _at_flag(p)
        _json_flag(p)
    p = ops.add_parser("list", help=_("every site"))
    _json_flag(p)
    p = ops.add_parser("show", help=_("a site with its assets, people and spare parts"))
    p.add_argument("code")
    _json_flag(p)

    ops = _ops(commands, "asset", _("the system configuration: what was sold at each site"))
    for name in ("add", "set"):
        p = ops.add_parser(
            name, help=_("register an asset") if name == "add" else _("change an asset")
        )
        p.add_argument("code")
        p.add_argument("--site", required=name == "add")
        p.add_argument("--name", required=name == "add")
        p.add_argument("--kind", choices=kinds, required=name == "add")
        p.add_argument("--model")
        p.add_argument("--serial", metavar="SN")
        p.add_argument("--accepted", metavar="DATE", help=_("acceptance date, YYYY-MM-DD"))
        if name == "set":
            p.add_argument("--retired", choices=YES_NO)
        _at_flag(p)
        _json_flag(p)
    p = ops.add_parser("list", help=_("assets, all or of one site"))
    p.add_argument("--site")
    _at_flag(p)
    _json_flag(p)
    p = ops.add_parser("show", help=_("an asset and its maintenance record"))
    p.add_argument("code")
    _at_flag(p)
    _json_flag(p)

    ops = _ops(commands, "contact", _("the customer's people"))
    for name in ("add", "set"):
        p = ops.add_parser(
            name, help=_("add a contact") if name == "add" else _("change a contact")
        )
        p.add_argument("name")
        p.add_argument("--site", required=True)
        p.add_argument("--phone")
        p.add_argument("--email")
        p.add_argument("--title")
        p.add_argument(
            "--reporter", choices=YES_NO, help=_("one of the agreed people who report faults")
        )
        _at_flag(p)
        _json_flag(p)
    p = ops.add_parser("list", help=_("the customer's people, all or of one site"))
    p.add_argument("--site")
    _json_flag(p)

    ops = _ops(commands, "part", _("the spare-parts store"))
    p = ops.add_parser("add", help=_("a new spare part"))
    p.add_argument("code")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", choices=kinds, required=True)
    p.add_argument("--qty", default="0")
    p.add_argument("--min", default="0")
    p.add_argument("--store", choices=stores, default="local")
    _at_flag(p)
    _json_flag(p)
    p = ops.add_parser("set", help=_("count the stock (--qty with --reason), or change a part"))
    p.add_argument("code")
    p.add_argument("--qty")
    p.add_argument("--reason")
    p.add_argument("--name")
    p.add_argument("--kind", choices=kinds)
    p.add_argument("--min")
    p.add_argument("--store", choices=stores)
    p.add_argument("--retired", choices=YES_NO)
    _at_flag(p)
    _json_flag(p)
    p = ops.add_parser("list", help=_("the store; --low: only parts below their minimum"))
    p.add_argument("--low", action="store_true")
    _json_flag(p)

    ops = _ops(commands, "archive", _("import and export the archive as CSV"))
    p = ops.add_parser("import", help=_("import a CSV file: all rows or none"))
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--kind", choices=("sites", "assets", "contacts", "parts"), required=True)
    p.add_argument("--update", action="store_true", help=_("change rows whose code exists"))
    _at_flag(p)
    _json_flag(p)
    p = ops.add_parser("export", help=_("write sites.csv, assets.csv, contacts.csv and parts.csv"))
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--bom", action="store_true", help=_("start each file with a BOM, for Excel"))
    _json_flag(p)


def add_ticket_parsers(ops: Any, version_flag: Any) -> None:
    """Add wait-part, use-part, backup-unit and billable to `ticket` (each with the main
    parser's `--expect-version`)."""
    from dutyboard.domain.policy import BILLABLE_REASONS
    from dutyboard.domain.policy import PART_STORES as stores

    p = ops.add_parser(
        "wait-part", help=_("waiting for a replacement part: the 48 h parts clock starts")
    )
    p.add_argument("id", type=_ticket_id)
    p.add_argument("--part", required=True, metavar="CODE")
    p.add_argument("--note", default="")
    version_flag(p)
    _at_flag(p)
    _json_flag(p)
    p = ops.add_parser("use-part", help=_("take parts from stock for the ticket"))
    p.add_argument("id", type=_ticket_id)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--qty", default="1")
    version_flag(p)
    _at_flag(p)
    _json_flag(p)
    p = ops.add_parser("backup-unit", help=_("a backup unit was brought in"))
    p.add_argument("id", type=_ticket_id)
    p.add_argument("--from", dest="source", choices=stores, required=True)
    p.add_argument("--note", default="")
    version_flag(p)
    _at_flag(p)
    _json_flag(p)
    p = ops.add_parser("billable", help=_("mark the work billable (--off clears it: a manager's)"))
    p.add_argument("id", type=_ticket_id)
    mark = p.add_mutually_exclusive_group(required=True)
    mark.add_argument("--reason", choices=BILLABLE_REASONS)
    mark.add_argument("--off", action="store_true")
    p.add_argument("--note", default="")
    version_flag(p)
    _at_flag(p)
    _json_flag(p)


def add_caller_flags(p: argparse.ArgumentParser) -> None:
    """`ticket open --caller NAME --callback PHONE`."""
    p.add_argument("--caller", metavar="NAME", help=_("who reported it"))
    p.add_argument("--callback", metavar="PHONE", help=_("the number to call back"))


def _ticket_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a number").format(value=text)
        ) from None


def _at(board: Any, args: argparse.Namespace) -> Any:
    """`--at ISO` as an instant, or None for now."""
    return board.at(args.at) if getattr(args, "at", None) is not None else None


def _yes(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


# ---------------------------------------------------------------- running


def run_ticket_op(board: Any, args: argparse.Namespace, at: Any, version: int | None) -> None:
    """Do one of this module's ticket operations (main prints the ticket afterwards)."""
    from dutyboard.service import billable, parts

    if args.op == "wait-part":
        parts.wait_part(board, args.id, args.part, args.note, at, version)
    elif args.op == "use-part":
        parts.use_part(board, args.id, args.code, args.qty, at, version)
    elif args.op == "backup-unit":
        parts.backup_unit(board, args.id, args.source, args.note, at, version)
    elif args.off:
        billable.clear_billable(board, args.id, at, version)
    else:
        billable.mark_billable(board, args.id, args.reason, args.note, at, version)


def run_archive(board: Any, args: argparse.Namespace) -> None:
    """Run one archive command."""
    {"site": _site, "asset": _asset, "contact": _contact, "part": _part, "archive": _bulk}[
        args.command
    ](board, args)


def _given(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The options given on the command line (left out ones stay as they are)."""
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def _site(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import archive

    if args.op in ("add", "set"):
        if args.op == "add":
            site = archive.add_site(
                board, args.code, args.name, args.address or "", _at(board, args)
            )
        else:
            site = archive.set_site(
                board,
                args.code,
                **_given(args, "name", "address"),
                retired=_yes(args.retired),
                at=_at(board, args),
            )
        if args.json:
            _print_json(site.to_json())
        else:
            sys.stdout.write(_site_line(site) + "\n")
        return
    if args.op == "list":
        sites = archive.list_sites(board)
        if args.json:
            _print_json([s.to_json() for s in sites])
        elif not sites:
            sys.stdout.write(
                _("No sites yet: add one with `dutyboard site add CODE --name NAME`.") + "\n"
            )
        for s in sites if not args.json else []:
            sys.stdout.write(_site_line(s) + "\n")
        return
    detail = archive.show_site(board, args.code)
    if args.json:
        _print_json(detail.to_json())
        return
    out = sys.stdout
    out.write(_site_line(detail.site) + "\n")
    if detail.site.address:
        out.write("  " + detail.site.address + "\n")
    out.write(_("Assets:") + "\n")
    for a in detail.assets:
        out.write("  " + _asset_line(a) + "\n")
    out.write(_("People:") + "\n")
    for c in detail.contacts:
        out.write("  " + _contact_line(c) + "\n")
    out.write(_("Spare parts for its devices:") + "\n")
    for p in detail.parts:
        out.write("  " + _part_line(p) + "\n")


def _retired(flag: bool) -> str:
    return "  " + _("(retired)") if flag else ""


def _site_line(s: Any) -> str:
    from dutyboard import fmt

    counts = _("{assets} assets, {contacts} people").format(assets=s.assets, contacts=s.contacts)
    code, name = fmt.fit(s.code, 12, pad=True), fmt.fit(s.name, 28, pad=True)
    return f"{code} {name} {counts}{_retired(s.retired)}"


def _asset_line(a: Any) -> str:
    from dutyboard import fmt

    accepted = a.accepted.isoformat() if a.accepted else "-"
    return (
        f"{fmt.fit(a.code, 12, pad=True)} {fmt.fit(a.site, 12, pad=True)} "
        f"{fmt.fit(fmt.asset_kind_name(a.kind), 8, pad=True)} {fmt.fit(a.name, 24, pad=True)} "
        f"{fmt.fit(a.model, 22, pad=True)} {fmt.fit(a.serial or '-', 14, pad=True)} {accepted}"
        f"{_retired(a.retired)}"
    )


def _contact_line(c: Any) -> str:
    from dutyboard import fmt

    reporter = "  " + _("agreed reporter") if c.reporter else ""
    return (
        f"{fmt.fit(c.site, 12, pad=True)} {fmt.fit(c.name, 10, pad=True)} "
        f"{fmt.fit(c.title or '-', 14, pad=True)} {fmt.fit(c.phone or '-', 16, pad=True)} "
        f"{c.email or '-'}{reporter}"
    )


def _part_line(p: Any) -> str:
    from dutyboard import fmt

    low = "  " + _("LOW STOCK") if p.low else ""
    stock = _("{qty} in stock, min {min}").format(qty=p.qty, min=p.min)
    return (
        f"{fmt.fit(p.code, 14, pad=True)} {fmt.fit(p.name, 26, pad=True)} "
        f"{fmt.fit(fmt.asset_kind_name(p.kind), 8, pad=True)} {fmt.fit(stock, 20, pad=True)} "
        f"{fmt.part_store_name(p.store)}{low}{_retired(p.retired)}"
    )


def _asset(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import archive

    if args.op in ("add", "set"):
        if args.op == "add":
            asset = archive.add_asset(
                board,
                args.code,
                args.site,
                args.name,
                args.kind,
                args.model or "",
                args.serial or "",
                args.accepted,
                _at(board, args),
            )
        else:
            asset = archive.set_asset(
                board,
                args.code,
                **_given(args, "site", "name", "kind", "model", "serial", "accepted"),
                retired=_yes(args.retired),
                at=_at(board, args),
            )
        if args.json:
            _print_json(asset.to_json())
        else:
            sys.stdout.write(_asset_line(asset) + "\n")
        return
    if args.op == "list":
        assets = archive.list_assets(board, args.site, _at(board, args))
        if args.json:
            _print_json([a.to_json() for a in assets])
            return
        if not assets:
            sys.stdout.write(
                _("No assets yet: add them with `dutyboard asset add` or `archive import`.") + "\n"
            )
        for a in assets:
            sys.stdout.write(_asset_line(a) + "\n")
        return
    detail = archive.show_asset(board, args.code, _at(board, args))
    if args.json:
        _print_json(detail.to_json(board.zone))
        return
    _print_asset(board, detail)


def _print_asset(board: Any, detail: Any) -> None:
    from dutyboard import fmt

    out, a = sys.stdout, detail.asset
    out.write(f"{a.code}  {a.name}  ({fmt.asset_kind_name(a.kind)}){_retired(a.retired)}\n")
    out.write(
        _("site: {site} {name}  model: {model}  serial: {serial}").format(
            site=a.site, name=detail.site_name, model=a.model or "-", serial=a.serial or "-"
        )
        + "\n"
    )
    if a.free_service_until is not None:
        line = (
            _("free service until {date}") if a.in_free_service else _("free service ended {date}")
        )
        accepted = a.accepted.isoformat() if a.accepted else _("the board's acceptance date")
        out.write(
            _("accepted: {accepted}; {free}").format(
                accepted=accepted, free=line.format(date=a.free_service_until.isoformat())
            )
            + "\n"
        )
    out.write(_("Maintenance record, newest first:") + "\n")
    if not detail.history:
        out.write("  " + _("nothing yet") + "\n")
    for h in detail.history:
        when = fmt.datetime_short(h.at, board.zone)
        d = h.data
        if h.type == "ticket":
            level, status = fmt.level_short(d["level"]), fmt.status_name(d["status"])
            text = f"#{d['id']} {level} {status}  {d['title']}"
            if d.get("billable"):
                text += "  [" + fmt.billable_reason_name(d["billable"]) + "]"
        elif h.type == "part":
            text = _("part {part} {name} ×{qty} on #{ticket} by {by}").format(**d)
        else:
            text = _("inspection {id} ({period}) named it: {items}").format(
                id=d["id"], period=d["period"], items=", ".join(d["items"]) or _("in its record")
            )
        out.write(f"  {when}  {text}\n")


def _contact(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import archive

    if args.op in ("add", "set"):
        if args.op == "add":
            contact = archive.add_contact(
                board,
                args.name,
                args.site,
                args.phone or "",
                args.email or "",
                args.title or "",
                args.reporter == "yes",
                _at(board, args),
            )
        else:
            given = _given(args, "phone", "email", "title")
            if args.reporter is not None:
                given["reporter"] = args.reporter == "yes"
            contact = archive.set_contact(board, args.name, args.site, **given, at=_at(board, args))
        if args.json:
            _print_json(contact.to_json())
        else:
            sys.stdout.write(_contact_line(contact) + "\n")
        return
    contacts = archive.list_contacts(board, args.site)
    if args.json:
        _print_json([c.to_json() for c in contacts])
        return
    if not contacts:
        sys.stdout.write(
            _("No contacts yet: add them with `dutyboard contact add NAME --site S --phone P`.")
            + "\n"
        )
    for c in contacts:
        sys.stdout.write(_contact_line(c) + "\n")


def _part(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import parts

    if args.op in ("add", "set"):
        if args.op == "add":
            part = parts.add_part(
                board,
                args.code,
                args.name,
                args.kind,
                args.qty,
                args.min,
                args.store,
                _at(board, args),
            )
        else:
            changes = _given(args, "name", "kind", "store")
            if args.min is not None:
                changes["minimum"] = args.min
            part = parts.set_part(
                board,
                args.code,
                qty=args.qty,
                reason=args.reason,
                retired=_yes(args.retired),
                at=_at(board, args),
                **changes,
            )
        if args.json:
            _print_json(part.to_json())
        else:
            sys.stdout.write(_part_line(part) + "\n")
        return
    found = parts.list_parts(board, low=args.low)
    if args.json:
        _print_json([p.to_json() for p in found])
        return
    if not found:
        sys.stdout.write(
            (_("No part is below its minimum.") if args.low else _("No spare parts yet.")) + "\n"
        )
    for p in found:
        sys.stdout.write(_part_line(p) + "\n")


def _bulk(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.service import archive_csv

    if args.op == "import":
        result = archive_csv.import_csv(
            board, args.file, args.kind, update=args.update, at=_at(board, args)
        )
        if args.json:
            _print_json(result.to_json())
        else:
            sys.stdout.write(
                _("Imported {file} ({encoding}): {added} added, {updated} updated.").format(
                    file=result.file,
                    encoding=result.encoding,
                    added=result.added,
                    updated=result.updated,
                )
                + "\n"
            )
        return
    exported = archive_csv.export_csv(board, args.dir, bom=args.bom)
    if args.json:
        _print_json(exported.to_json())
        return
    for name, count in exported.files.items():
        sys.stdout.write(
            _("{file}: {n} rows").format(file=f"{exported.directory}/{name}", n=count) + "\n"
        )
