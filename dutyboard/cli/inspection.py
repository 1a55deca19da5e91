"""`dutyboard inspection due|list|show|start|set|submit|report|site`: inspections from scripts.

Same conventions as the rest of the command line: `--json` after the command,
`--at ISO`, exit 2 for bad input (a refusal raises a ServiceError the main loop turns into its
exit status and message), 3 when someone else changed it first. Imports nothing heavy at module
level, so `dutyboard ticket …` stays fast and never pulls in Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from dutyboard.domain.inspection import KINDS, STATUSES
from dutyboard.domain.policy import REPORT_PARTS
from dutyboard.i18n import _

FORMATS = ("md", "html")


def _id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not an inspection number").format(value=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not an inspection number").format(value=text)
        )
    return value


def _day(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 31:
        raise argparse.ArgumentTypeError(
            _("the inspection day must be a day of the month from 1 to 31, not {value!r}").format(
                value=text
            )
        )
    return value


def _flags(p: argparse.ArgumentParser, at: bool = False) -> None:
    if at:
        p.add_argument("--at", metavar="ISO", help=_("do it as of this instant (default: now)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output on stdout"))


def add_inspection_parser(commands: Any) -> argparse.ArgumentParser:
    """Add `inspection …` to the main parser's subcommands."""
    inspection: argparse.ArgumentParser = commands.add_parser(
        "inspection", help=_("preventive inspections")
    )
    ops = inspection.add_subparsers(dest="op", parser_class=type(inspection), required=True)

    p = ops.add_parser("due", help=_("every site's last inspection and next due day"))
    _flags(p, at=True)

    p = ops.add_parser("list", help=_("inspections, newest first"))
    p.add_argument("--site")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--kind", choices=KINDS)
    _flags(p)

    p = ops.add_parser("show", help=_("one inspection with its values and findings"))
    p.add_argument("id", type=_id)
    _flags(p)

    p = ops.add_parser("start", help=_("start (or resume) an inspection's checklist"))
    p.add_argument("--site", required=True)
    p.add_argument("--kind", choices=KINDS, default="monthly")
    p.add_argument("--template", metavar="KEY", help=_("another shipped template"))
    _flags(p, at=True)

    p = ops.add_parser("set", help=_("record one item's value (and note)"))
    p.add_argument("id", type=_id)
    p.add_argument("key")
    p.add_argument(
        "value", nargs="?", help=_('the value; "" clears it; leave out to set only the note')
    )
    p.add_argument("--note")
    _flags(p, at=True)

    p = ops.add_parser("submit", help=_("submit: findings open tickets"))
    p.add_argument("id", type=_id)
    p.add_argument("--engineer", metavar="NAMES")
    p.add_argument("--customer", metavar="NAME", help=_("the customer's representative"))
    p.add_argument(
        "--record-file",
        metavar="FILE",
        help=_("the service record: 'Cause: …' sections, a JSON object, or plain text"),
    )
    for part in REPORT_PARTS:
        p.add_argument(f"--{part}", metavar="TEXT")
    _flags(p, at=True)

    p = ops.add_parser("report", help=_("the system health inspection report"))
    p.add_argument("id", type=_id)
    p.add_argument("--format", choices=FORMATS, default="md")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--lang", metavar="LANG", help=_("zh_CN or en (default: yours)"))

    p = ops.add_parser("site", help=_("a site's inspection day and ranges (manager)"))
    p.add_argument("site")
    p.add_argument("--day", type=_day, help=_("day of the month (default 15)"))
    p.add_argument(
        "--range",
        action="append",
        default=[],
        metavar="KEY=MIN..MAX",
        help=_(
            "the site's range for an item, e.g. env.temperature=18..25, perf.db_load=..70; "
            "KEY=default goes back to the template's"
        ),
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--template", metavar="FILE", help=_("the site's own monthly template (JSON)")
    )
    source.add_argument("--default-template", action="store_true")
    _flags(p, at=True)
    return inspection


# ---------------------------------------------------------------- output


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _write(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _bad(message: str) -> Exception:
    from dutyboard.service.errors import BadInput

    return BadInput(message)


def _read_text(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise _bad(_("Cannot read {file}: {error}").format(file=path, error=error)) from None


def parse_range(text: str) -> tuple[str, dict[str, float | None] | None]:
    """`KEY=MIN..MAX` (an empty side keeps the template's bound) or `KEY=default`."""
    key, sep, bounds = text.partition("=")
    key, bounds = key.strip(), bounds.strip()
    if not sep or not key:
        raise _bad(_("--range needs KEY=MIN..MAX, not {value!r}").format(value=text))
    if bounds.lower() == "default":
        return key, None
    low, dots, high = bounds.partition("..")
    if not dots:
        raise _bad(_("--range needs KEY=MIN..MAX, not {value!r}").format(value=text))

    found: dict[str, float | None] = {}
    for side, part in (("min", low.strip()), ("max", high.strip())):
        if not part:
            continue  # an empty side keeps the template's bound
        try:
            found[side] = float(part)
        except ValueError:
            raise _bad(_("{value!r} is not a number").format(value=part)) from None
    if not found:
        raise _bad(_("--range needs KEY=MIN..MAX, not {value!r}").format(value=text))
    return key, found


def _show_view(board: Any, view: Any, as_json: bool) -> None:
    if as_json:
        _print_json(view.to_json(board.zone))
        return
    from dutyboard import fmt

    status = _("draft") if view.status == "draft" else _("submitted")
    _write(
        _("Inspection #{id} {site} {kind} {period}: {status}").format(
            id=view.id,
            site=view.site,
            kind=view.kind,
            period=f"{view.period[0]:04d}-{view.period[1]:02d}",
            status=status,
        )
        + ("  " + _("(resumed)") if view.resumed else "")
    )
    for section, entries in view.sections():
        _write(f"[{section.title_text()}]")
        for e in entries:
            mark = {"finding": "✗", "ok": "✓", "na": "-"}.get(e.verdict or "", " ")
            required = "*" if e.item.required else " "
            value = e.value_text() or "—"
            extra = f"  ({e.item.range_text()})" if e.item.range_text() else ""
            reason = f"  {e.reason}" if e.verdict == "finding" and e.reason else ""
            note = f"  # {e.note}" if e.note else ""
            _write(
                f" {mark}{required} {e.key:<26} {fmt.fit(e.item.label_text(), 28, pad=True)} "
                f"{value}{extra}{reason}{note}"
            )
    if view.missing:
        _write(_("Required items still empty: {keys}").format(keys=", ".join(view.missing)))
    if view.findings:
        _write(_("Findings: {n}").format(n=len(view.findings)))
        for f in view.findings:
            ticket = f"  #{f.ticket}" if f.ticket is not None else ""
            _write(f"  {f.key}: {f.value_text()}  {f.reason}{ticket}")


def run_inspection(board: Any, args: argparse.Namespace) -> None:
    """Carry out one `inspection …` command."""
    from dutyboard.service import inspections

    op = args.op
    at = board.at(args.at) if getattr(args, "at", None) is not None else None
    if op == "due":
        rows = inspections.due(board, at)
        if args.json:
            _print_json([row.to_json(board.zone) for row in rows])
            return
        from dutyboard import fmt

        if not rows:
            _write(_("No sites are registered."))
        for row in rows:
            last = fmt.date(row.last_done.astimezone(board.zone).date()) if row.last_done else "—"
            state = _("OVERDUE") if row.overdue else (_("due") if row.due_now else _("done"))
            draft = "  " + _("draft #{id}").format(id=row.draft) if row.draft else ""
            _write(
                f"{row.site:<14} {state:<8} "
                + _("next {due}, last {last}").format(due=fmt.date(row.next_due), last=last)
                + draft
            )
        return
    if op == "list":
        items = inspections.list_inspections(
            board, site=args.site, status=args.status, kind=args.kind
        )
        if args.json:
            _print_json([s.to_json(board.zone) for s in items])
            return
        from dutyboard import fmt

        for s in items:
            when = fmt.date(s.started_at.astimezone(board.zone).date())
            _write(
                f"#{s.id:<5} {s.site:<14} {s.kind:<8} {s.status:<10} {when}  "
                + _("{n} findings").format(n=s.findings)
            )
        return
    if op == "show":
        _show_view(board, inspections.show(board, args.id), args.json)
        return
    if op == "start":
        view = inspections.start(board, args.site, args.kind, at, template=args.template)
        _show_view(board, view, args.json)
        return
    if op == "set":
        if args.value is None and args.note is None:
            raise _bad(_("Give a value, a --note, or both"))
        entry = inspections.set_value(board, args.id, args.key, args.value, args.note, at)
        if args.json:
            _print_json({"id": args.id, "key": entry.key, **entry.to_json(board.zone)})
            return
        line = f"{entry.key} = {entry.value_text() or '—'}"
        if entry.verdict == "finding":
            line += "  " + _("finding: {reason}").format(reason=entry.reason)
        if entry.note:
            line += f"  # {entry.note}"
        _write(line)
        return
    if op == "submit":
        record = _record(args)
        result = inspections.submit(
            board,
            args.id,
            engineer=args.engineer,
            customer_rep=args.customer,
            record=record,
            at=at,
        )
        if args.json:
            _print_json(result.to_json())
            return
        _write(_("Inspection #{id} submitted.").format(id=result.id))
        if not result.findings:
            _write(_("No findings."))
        for f in result.findings:
            _write(
                "  "
                + _("{key}: {value} {reason} → ticket #{ticket}").format(
                    key=f.key, value=f.value_text(), reason=f.reason, ticket=f.ticket
                )
            )
        return
    if op == "report":
        _report(board, args)
        return
    if op == "site":
        _site(board, args, at)
        return
    raise _bad(_("Unknown inspection command {op!r}").format(op=op))


def _record(args: argparse.Namespace) -> dict[str, str]:
    """The five-part service record from --record-file and the per-part flags (flags win)."""
    parts: dict[str, str] = {}
    if args.record_file:
        text = _read_text(args.record_file)
        if text.strip():
            from dutyboard.service.tickets import parse_report

            parts.update({k: v for k, v in parse_report(text).items() if v})
    for part in REPORT_PARTS:
        value = getattr(args, part)
        if value is not None:
            parts[part] = value
    return parts


def _report(board: Any, args: argparse.Namespace) -> None:
    from dutyboard.reports.inspection_report import render

    text = render(board, args.id, fmt=args.format, lang=args.lang)
    if not args.output or args.output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = os.path.expanduser(args.output)
    try:
        with open(target + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(target + ".tmp", target)
    except OSError as error:
        raise _bad(
            _("Cannot write {file}: {error}").format(file=args.output, error=error)
        ) from None
    sys.stderr.write(_("Report written to {file}").format(file=args.output) + "\n")


def _site(board: Any, args: argparse.Namespace, at: Any) -> None:
    from dutyboard.service import inspections

    ranges = dict(parse_range(text) for text in args.range)
    template_json = _read_text(args.template) if args.template else None
    if args.day is None and not ranges and template_json is None and not args.default_template:
        settings = inspections.site_settings(board, args.site)
    else:
        settings = inspections.configure_site(
            board,
            args.site,
            day_of_month=args.day,
            ranges=ranges,
            template_json=template_json,
            default_template=args.default_template,
            at=at,
        )
    if args.json:
        _print_json(settings.to_json(board.zone))
        return
    _write(
        _("{site}: inspection day {day}, template {template}").format(
            site=settings.site, day=settings.day_of_month, template=settings.template_key
        )
    )
    for key, bounds in sorted(settings.ranges.items()):
        _write(f"  {key}: {bounds.get('min')}..{bounds.get('max')}")
