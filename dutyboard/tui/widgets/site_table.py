"""The sites' inspection schedule as a table, overdue first, updated by key so the cursor stays put.

Rows are keyed by site code; a reload changes only the cells that differ, removes sites that
left, adds new ones, and re-sorts only when the order changed (style.md practice 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from dutyboard import fmt
from dutyboard.i18n import N_, _
from dutyboard.service.inspections import DueRow
from dutyboard.tui import literal, translate_bindings

#: (column key, heading msgid), left to right; the site's name takes what width is left.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("state", N_("State")),
    ("site", N_("Site")),
    ("next_due", N_("Next due")),
    ("last_done", N_("Last done")),
    ("draft", N_("Draft")),
    ("name", N_("Name")),
)
#: Cells of the columns before the name, and the padding of each column.
_FIXED = {"state": 9, "site": 12, "next_due": 10, "last_done": 11, "draft": 11}
_PADDING = 2
#: The widest day of a year (a two-digit month and day) sizes the date columns in any language.
_WIDE_DAY = datetime(2026, 12, 28, 23, 59, tzinfo=UTC)


def fixed_widths() -> dict[str, int]:
    """The fixed columns' widths in the current language (2026年12月28日 is wider than 2026-12-28)."""
    widths = dict(_FIXED)
    widths["next_due"] = max(widths["next_due"], fmt.cell_width(fmt.date(_WIDE_DAY.date())))
    widths["last_done"] = max(
        widths["last_done"], fmt.cell_width(fmt.datetime_short(_WIDE_DAY, UTC))
    )
    return widths


def state_of(row: DueRow) -> str:
    """"overdue", "due" (owed this month, not late yet) or "done" (this month's is submitted)."""
    if row.overdue:
        return "overdue"
    return "due" if row.due_now else "done"


def state_name(state: str) -> str:
    """The state as the table says it."""
    names = {"overdue": _("Overdue"), "due": _("Due"), "done": _("Done")}
    return names[state]


class SiteTable(DataTable[Text]):
    """One row a site: state, code, next due day, last monthly inspection, open drafts, name."""

    DEFAULT_CSS = """
    SiteTable {
        height: 1fr;
        & > .site-table--overdue { color: $error; text-style: bold; }
        & > .site-table--due { color: $warning; }
        & > .site-table--done { color: $text-muted; }
        & > .site-table--draft { color: $accent; }
    }
    SiteTable:nocolor > .site-table--overdue { text-style: bold reverse; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "site-table--overdue",
        "site-table--due",
        "site-table--done",
        "site-table--draft",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Start / resume"), id="inspections.start"),
        Binding("j", "cursor_down", N_("Down"), show=False),
        Binding("k", "cursor_up", N_("Up"), show=False),
    ]

    def __init__(self, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        translate_bindings(self)
        self.zone = zone
        self.rows_by_site: dict[str, DueRow] = {}
        self.adhoc_drafts: dict[str, int] = {}
        self.order: list[str] = []
        self._name_width = 0
        self._widths = fixed_widths()

    def on_mount(self) -> None:
        for key, heading in COLUMNS:
            # The name's column is as wide as its (fitted) names.
            self.add_column(_(heading), key=key, width=self._widths.get(key))

    def name_width(self) -> int:
        """What is left of the table's width for the site's name (at least 8 cells)."""
        used = sum(self._widths.values()) + _PADDING * len(COLUMNS) + 2
        width = self.size.width or self.app.size.width
        return max(8, width - used)

    @property
    def cursor_site(self) -> str | None:
        """The site code under the cursor, None while the table is empty."""
        if not self.order or self.cursor_row >= self.row_count:
            return None
        row_key, _column = self.coordinate_to_cell_key((self.cursor_row, 0))  # type: ignore[arg-type]
        return str(row_key.value)

    def cells(self, row: DueRow) -> dict[str, Text]:
        """The row's cells by column key."""
        drafts = []
        if row.draft is not None:
            drafts.append(f"#{row.draft}")
        adhoc = self.adhoc_drafts.get(row.site)
        if adhoc is not None:
            drafts.append(_("#{id} ad-hoc").format(id=adhoc))
        state = state_of(row)
        last = fmt.datetime_short(row.last_done, self.zone) if row.last_done else "—"
        return {
            "state": Text(state_name(state), style=self.get_component_rich_style(f"site-table--{state}")),
            "site": Text(literal(row.site), style="bold"),
            "next_due": Text(fmt.date(row.next_due)),
            "last_done": Text(last),
            "draft": Text(" ".join(drafts), style=self.get_component_rich_style("site-table--draft")),
            "name": Text(fmt.fit(literal(row.site_name), self.name_width())),
        }

    def show_rows(self, rows: Sequence[DueRow], adhoc_drafts: Mapping[str, int]) -> None:
        """Merge a fresh schedule by site: change only what differs, keep the cursor's site."""
        keep = self.cursor_site
        self.refit_names()
        self.adhoc_drafts = dict(adhoc_drafts)
        wanted = [row.site for row in rows]
        for site in [s for s in self.rows_by_site if s not in set(wanted)]:
            self.remove_row(site)
            del self.rows_by_site[site]
        for row in rows:
            cells = self.cells(row)
            old = self.rows_by_site.get(row.site)
            if old is None:
                self.add_row(*(cells[key] for key, _h in COLUMNS), key=row.site)
            else:
                current = self.get_row(row.site)
                for (key, _heading), before in zip(COLUMNS, current, strict=True):
                    if before != cells[key]:
                        self.update_cell(row.site, key, cells[key])
            self.rows_by_site[row.site] = row
        if [str(k.value) for k in self._row_locations] != wanted or self.order != wanted:
            position = {site: n for n, site in enumerate(wanted)}
            self.sort("site", key=lambda cell: position[cell.plain])
        self.order = wanted
        if keep is not None and keep in self.rows_by_site:
            self.move_cursor(row=self.get_row_index(keep), animate=False)

    def refit_names(self) -> None:
        """The terminal was resized: the names are cut to the width that is left."""
        width = self.name_width()
        if width == self._name_width:
            return
        self._name_width = width
        for site, row in self.rows_by_site.items():
            self.update_cell(
                site, "name", Text(fmt.fit(literal(row.site_name), width)), update_width=True
            )

    def counts(self) -> dict[str, int]:
        """How many sites are overdue, due and done."""
        found = {"overdue": 0, "due": 0, "done": 0}
        for row in self.rows_by_site.values():
            found[state_of(row)] += 1
        return found
