"""Bulk import and export of the archive as CSV, the spreadsheets customers already keep.

Import reads UTF-8 (with or without the BOM Excel's "CSV UTF-8" writes) or, failing that,
GB18030 (a superset of GBK, what Excel and WPS write for plain "CSV" on a Chinese system). The
header row names the columns with the command line's option names; every row is checked and the
whole file goes in as one transaction: the first bad row refuses the file, naming its line (the
header is line 1) and column, and nothing is written. A code (for contacts: site and name) that
exists already is refused unless `update` is given.

Export writes sites.csv, assets.csv, contacts.csv and parts.csv in UTF-8 with the same headers,
so an exported file can be edited and imported again with --update.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from dutyboard.domain import archive as rules
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.service.parts import stock_changed
from dutyboard.store.archive_models import Contact, Part
from dutyboard.store.db import run_write
from dutyboard.store.models import Asset, Site

KINDS: Final = ("sites", "assets", "contacts", "parts")
#: Each kind's columns in export order; the required ones must be in an imported header.
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "sites": ("code", "name", "address", "retired"),
    "assets": ("code", "site", "name", "kind", "model", "serial", "accepted", "retired"),
    "contacts": ("site", "name", "phone", "email", "title", "reporter"),
    "parts": ("code", "name", "kind", "qty", "min", "store", "retired"),
}
REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "sites": ("code", "name"),
    "assets": ("code", "site", "name", "kind"),
    "contacts": ("site", "name"),
    "parts": ("code", "name", "kind"),
}
_BREAKS = re.compile(r"\s*[\r\n]+\s*")
#: Refused outright: a spreadsheet bigger than any customer's device list.
MAX_BYTES: Final = 20 * 1024 * 1024


class RowError(Exception):
    """One bad cell: its line in the file, its column's name, and what is wrong."""

    def __init__(self, line: int, column: str | None, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows added and updated, and the encoding the file was read in."""

    kind: str
    file: str
    encoding: str
    added: int
    updated: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "encoding": self.encoding,
            "added": self.added,
            "updated": self.updated,
        }


# ---------------------------------------------------------------- reading the file


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in: UTF-8 (BOM or not), else GB18030.

    Raises RowError at the line of the first byte neither encoding can read.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RowError(
            1,
            None,
            _('the file is UTF-16 text (Excel\'s "Unicode text"); save it as "CSV UTF-8"'),
        )
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RowError(
            line,
            None,
            _(
                'byte 0x{byte:02X} is neither UTF-8 nor GBK/GB18030; save the file as "CSV UTF-8"'
            ).format(byte=data[error.start]),
        ) from None


def _letter(index: int) -> str:
    """A spreadsheet's column letter: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Row:
    """One data row: its first line in the file and its cells by column name."""

    line: int
    cells: dict[str, str]
    letters: dict[str, str]

    def get(self, column: str) -> str:
        """The cell's text, trimmed; a line break typed in a cell (Alt+Enter) becomes a space."""
        return _BREAKS.sub(" ", self.cells.get(column, "")).strip()

    def error(self, column: str, message: str) -> RowError:
        return RowError(self.line, f"{self.letters.get(column, '?')} ({column})", message)

    def check(self, column: str, make: Callable[..., Any], *args: Any) -> Any:
        """A domain rule applied to this row's cell; its refusal names the row and column."""
        try:
            return make(self.get(column), *args)
        except rules.ArchiveError as error:
            raise self.error(column, str(error)) from None


def read_rows(text: str, kind: str) -> tuple[list[str], list[Row]]:
    """The header's column names and the non-empty data rows, checked against the kind's columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RowError(
            1, None, _("the file is empty: the first line must name the columns")
        ) from None
    except csv.Error as error:
        raise RowError(1, None, str(error)) from None
    names = [cell.strip().lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    known = COLUMNS[kind]
    letters: dict[str, str] = {}
    for index, name in enumerate(names):
        if not name:
            raise RowError(1, _letter(index), _("a column has no name"))
        if name not in known:
            raise RowError(
                1,
                f"{_letter(index)} ({name})",
                _("unknown column {name!r}; the columns of {kind} are {known}").format(
                    name=name, kind=kind, known=",".join(known)
                ),
            )
        if name in letters:
            raise RowError(
                1,
                f"{_letter(index)} ({name})",
                _("column {name!r} appears twice").format(name=name),
            )
        letters[name] = _letter(index)
    missing = [c for c in REQUIRED[kind] if c not in letters]
    if missing:
        raise RowError(
            1,
            None,
            _("the header has no column {missing}; the columns of {kind} are {known}").format(
                missing=", ".join(missing), kind=kind, known=",".join(known)
            ),
        )
    rows: list[Row] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise RowError(start, None, str(error)) from None
        if not any(cell.strip() for cell in cells):
            continue
        extra = [i for i in range(len(names), len(cells)) if cells[i].strip()]
        if extra:
            raise RowError(start, _letter(extra[0]), _("a value beyond the last named column"))
        rows.append(
            Row(
                start,
                {n: (cells[i] if i < len(cells) else "") for i, n in enumerate(names)},
                letters,
            )
        )
    return names, rows


# ---------------------------------------------------------------- checking and writing rows


@dataclass
class _Plan:
    """Rows checked and ready: new ones and changes to existing ones, each with its values."""

    add: list[tuple[Row, dict[str, Any]]]
    change: list[tuple[Row, Any, dict[str, Any]]]


def _present(names: list[str], values: dict[str, Any]) -> dict[str, Any]:
    """Only the fields whose columns the file has (a column left out leaves the field alone)."""
    mapping = {"min": "min_qty", "site": "site"}
    return {k: v for k, v in values.items() if k in {mapping.get(n, n) for n in names}}


def _site_values(row: Row) -> dict[str, Any]:
    return {
        "name": row.check("name", rules.check_text, _("The name"), True),
        "address": row.check("address", rules.check_text, _("The address")),
        "retired": row.check("retired", rules.parse_yes_no, _("retired")),
    }


def _asset_values(row: Row) -> dict[str, Any]:
    return {
        "name": row.check("name", rules.check_text, _("The name"), True),
        "kind": row.check("kind", rules.check_kind),
        "model": row.check("model", rules.check_text, _("The model")),
        "serial": row.check("serial", rules.check_text, _("The serial number")),
        "accepted": row.check("accepted", rules.parse_date, _("The acceptance date")),
        "retired": row.check("retired", rules.parse_yes_no, _("retired")),
    }


def _contact_values(row: Row) -> dict[str, Any]:
    return {
        "phone": row.check("phone", rules.check_phone),
        "email": row.check("email", rules.check_email),
        "title": row.check("title", rules.check_text, _("The title")),
        "reporter": row.check("reporter", rules.parse_yes_no, _("reporter")),
    }


def _part_values(row: Row) -> dict[str, Any]:
    return {
        "name": row.check("name", rules.check_text, _("The name"), True),
        "kind": row.check("kind", rules.check_kind),
        "qty": row.check("qty", rules.check_quantity, _("The quantity")) if row.get("qty") else 0,
        "min_qty": row.check("min", rules.check_quantity, _("The minimum"))
        if row.get("min")
        else 0,
        "store": row.check("store", rules.check_store) if row.get("store") else "local",
        "retired": row.check("retired", rules.parse_yes_no, _("retired")),
    }


def _site_ref(row: Row, sites: dict[str, Site]) -> Site:
    code = row.get("site")
    site = sites.get(code)
    if site is None:
        near = rules.closest(code, [c for c, s in sites.items() if not s.retired])
        hint = _("; the closest known: {near}").format(near=", ".join(near)) if near else ""
        raise row.error("site", _("unknown site {code!r}").format(code=code) + hint)
    if site.retired:
        raise row.error("site", _("site {code} is retired").format(code=code))
    return site


def _plan(kind: str, names: list[str], rows: list[Row], update: bool) -> _Plan:
    """Check every row against the rules and the archive; the first problem refuses the file."""
    plan = _Plan([], [])
    seen: dict[Any, int] = {}
    sites = {s.code: s for s in Site.select()}
    for row in rows:
        if kind == "contacts":
            site = _site_ref(row, sites)
            name = row.check("name", rules.check_text, _("The name"), True)
            key: Any = (site.code, name)
            values = _contact_values(row)
            existing: Any = Contact.get_or_none((Contact.site == site.id) & (Contact.name == name))
            phone = values["phone"] if "phone" in names or existing is None else existing.phone
            email = values["email"] if "email" in names or existing is None else existing.email
            if not phone and not email:
                raise row.error(
                    "phone" if "phone" in names else "name",
                    _("contact {name} needs a phone number or an e-mail address").format(name=name),
                )
            values = {"site": site.id, "name": name, **values}
            column = "name"
        else:
            key = row.check(
                "code",
                rules.check_code,
                {"sites": _("site"), "assets": _("asset"), "parts": _("part")}[kind],
            )
            model: Any = {"sites": Site, "assets": Asset, "parts": Part}[kind]
            existing = model.get_or_none(model.code == key)
            make = {"sites": _site_values, "assets": _asset_values, "parts": _part_values}[kind]
            values = {"code": key, **make(row)}
            if kind == "assets":
                values["site"] = _site_ref(row, sites).id
            column = "code"
        if key in seen:
            raise row.error(
                column,
                _("{key} is already on line {line}").format(key=_key_text(key), line=seen[key]),
            )
        seen[key] = row.line
        if existing is not None and not update:
            raise row.error(
                column,
                _("{key} exists already; import with --update to change existing rows").format(
                    key=_key_text(key)
                ),
            )
        if existing is None:
            plan.add.append((row, values))
        else:
            plan.change.append((row, existing, _present(names, values)))
    if kind == "sites":
        _check_retired_sites(plan)
    return plan


def _key_text(key: Any) -> str:
    return " / ".join(key) if isinstance(key, tuple) else str(key)


def _check_retired_sites(plan: _Plan) -> None:
    for row, existing, values in plan.change:
        if values.get("retired") and not existing.retired:
            in_service = Asset.select().where((Asset.site == existing.id) & ~Asset.retired).count()
            if in_service:
                raise row.error(
                    "retired",
                    _("site {code} still has {n} assets in service; retire them first").format(
                        code=existing.code, n=in_service
                    ),
                )


def _write(board: Board, kind: str, plan: _Plan, at: datetime | None) -> None:
    model: Any = {"sites": Site, "assets": Asset, "contacts": Contact, "parts": Part}[kind]
    for _row, values in plan.add:
        created = model.create(**values)
        if kind == "parts":
            stock_changed(board, created.id, None, at)
    for _row, existing, values in plan.change:
        before = (int(existing.qty), int(existing.min_qty)) if kind == "parts" else None
        if values:
            model.update(**values).where(model.id == existing.id).execute()
        if kind == "parts":
            stock_changed(board, existing.id, before, at)


def import_csv(
    board: Board,
    file: str | os.PathLike[str],
    kind: str,
    update: bool = False,
    at: datetime | None = None,
) -> ImportResult:
    """Import one CSV file of sites, assets, contacts or parts, all rows or none (a manager's)."""
    if kind not in KINDS:
        raise BadInput(
            _("The kind must be one of {choices}, not {value!r}").format(
                choices=", ".join(KINDS), value=kind
            )
        )
    path = Path(file).expanduser()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BadInput(
                _("{file} is larger than {n} MB").format(file=path, n=MAX_BYTES // (1024 * 1024))
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise BadInput(_("{file} is a directory, not a CSV file").format(file=path)) from None
    except OSError as error:
        raise BadInput(
            _("Cannot read {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None
    try:
        text, encoding = decode(data)
        names, rows = read_rows(text, kind)
    except RowError as error:
        raise _refusal(path, error) from None

    def write() -> ImportResult:
        require(board, "manager")
        try:
            plan = _plan(kind, names, rows, update)
        except RowError as error:
            raise _refusal(path, error) from None
        board.record(
            "archive_imported",
            {
                "kind": kind,
                "file": path.name,
                "encoding": encoding,
                "added": len(plan.add),
                "updated": len(plan.change),
            },
            at=at,
        )
        _write(board, kind, plan, at)
        return ImportResult(kind, str(path), encoding, len(plan.add), len(plan.change))

    return run_write(write)


def _refusal(path: Path, error: RowError) -> BadInput:
    if error.column:
        where = _("{file}, line {line}, column {column}").format(
            file=path.name, line=error.line, column=error.column
        )
    else:
        where = _("{file}, line {line}").format(file=path.name, line=error.line)
    return BadInput(
        _("{where}: {problem}; nothing was imported").format(where=where, problem=error.message)
    )


# ---------------------------------------------------------------- export


def _rows(kind: str) -> Iterator[list[str]]:
    yes_no = rules.yes_no
    if kind == "sites":
        for s in Site.select().order_by(Site.code):
            yield [s.code, s.name, s.address, yes_no(s.retired)]
    elif kind == "assets":
        for a in Asset.select(Asset, Site.code).join(Site).order_by(Asset.code):
            accepted = a.accepted.isoformat() if isinstance(a.accepted, date) else ""
            yield [
                a.code,
                a.site.code,
                a.name,
                a.kind,
                a.model,
                a.serial,
                accepted,
                yes_no(a.retired),
            ]
    elif kind == "contacts":
        for c in Contact.select(Contact, Site.code).join(Site).order_by(Site.code, Contact.name):
            yield [c.site.code, c.name, c.phone, c.email, c.title, yes_no(c.reporter)]
    else:
        for p in Part.select().order_by(Part.code):
            yield [p.code, p.name, p.kind, str(p.qty), str(p.min_qty), p.store, yes_no(p.retired)]


@dataclass(frozen=True)
class ExportResult:
    """The directory written and how many rows each file holds."""

    directory: str
    files: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"dir": self.directory, "files": dict(self.files)}


def export_csv(board: Board, directory: str | os.PathLike[str], bom: bool = False) -> ExportResult:
    """Write sites.csv, assets.csv, contacts.csv and parts.csv (UTF-8; with a BOM for Excel)."""
    folder = Path(directory).expanduser()
    if folder.exists() and not folder.is_dir():
        raise BadInput(_("{dir} is a file; name a directory").format(dir=folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadInput(
            _("Cannot write {dir}: {reason}").format(dir=folder, reason=error.strerror or error)
        ) from None
    tables = {kind: list(_rows(kind)) for kind in KINDS}  # read first: files only once all is read
    counts: dict[str, int] = {}
    for kind, rows in tables.items():
        name = f"{kind}.csv"
        target = folder / name
        scratch = folder / f".{name}.partial"
        try:
            with scratch.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS[kind])
                writer.writerows(rows)
            os.replace(scratch, target)
        except OSError as error:
            scratch.unlink(missing_ok=True)
            raise BadInput(
                _("Cannot write {file}: {reason}").format(
                    file=target, reason=error.strerror or error
                )
            ) from None
        counts[name] = len(rows)
    return ExportResult(str(folder), counts)
