"""The monthly schedule: each site's last inspection, next due day, and whether it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dutyboard.domain import inspection as rules
from dutyboard.domain.instants import iso
from dutyboard.service.board import Board
from dutyboard.store.inspection_models import Inspection, SiteInspectionSettings
from dutyboard.store.models import Site


@dataclass(frozen=True)
class DueRow:
    """One site on the inspections screen: last done, next due, overdue first."""

    site: str
    site_name: str
    last_done: datetime | None
    next_due: date
    overdue: bool
    #: Whether this month's (or a spilled previous month's) inspection is still owed.
    due_now: bool
    period: rules.Period
    day_of_month: int
    #: A monthly draft in progress for the site, to resume.
    draft: int | None

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "site": self.site,
            "last_done": iso(self.last_done, zone),
            "next_due": self.next_due.isoformat(),
            "overdue": self.overdue,
        }


def local_day(board: Board, at: datetime) -> date:
    """The day `at` falls on where the board is (periods and due days are local days)."""
    return at.astimezone(board.zone).date()


def done_periods(site_ids: list[int] | None = None) -> dict[int, set[rules.Period]]:
    """The months each site's submitted monthly inspections count for, by site id."""
    query = Inspection.select(Inspection.site, Inspection.period).where(
        (Inspection.kind == "monthly") & (Inspection.status == "submitted")
    )
    if site_ids is not None:
        query = query.where(Inspection.site.in_(site_ids))
    done: dict[int, set[rules.Period]] = {}
    for site_id, period in query.tuples().iterator():
        done.setdefault(site_id, set()).add(rules.parse_period(period))
    return done


def due(board: Board, at: datetime | None = None) -> list[DueRow]:
    """Every site with its last monthly inspection and next due day; overdue ones first."""
    at = at or board.now()
    today = local_day(board, at)
    sites = list(Site.select().order_by(Site.code))
    settings = {row.site_id: row for row in SiteInspectionSettings.select()}
    done = done_periods()
    last: dict[int, datetime] = {}
    for site_id, submitted_at in (
        Inspection.select(Inspection.site, Inspection.submitted_at)
        .where((Inspection.kind == "monthly") & (Inspection.status == "submitted"))
        .tuples()
        .iterator()
    ):
        if site_id not in last or submitted_at > last[site_id]:
            last[site_id] = submitted_at
    drafts: dict[int, int] = {}
    for site_id, draft_id in (
        Inspection.select(Inspection.site, Inspection.id)
        .where((Inspection.kind == "monthly") & (Inspection.status == "draft"))
        .order_by(Inspection.id)
        .tuples()
        .iterator()
    ):
        drafts.setdefault(site_id, draft_id)
    rows = []
    for site in sites:
        row = settings.get(site.id)
        day = row.day_of_month if row else rules.DEFAULT_DAY_OF_MONTH
        status = rules.schedule_status(
            today, day, done.get(site.id, set()), board.business.is_working_day
        )
        rows.append(
            DueRow(
                site=site.code,
                site_name=site.name,
                last_done=last.get(site.id),
                next_due=status.next_due,
                overdue=status.overdue,
                due_now=status.due_now,
                period=status.period,
                day_of_month=day,
                draft=drafts.get(site.id),
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.next_due, r.site))
    return rows


def overdue_count(board: Board, at: datetime | None = None) -> int:
    """How many sites' monthly inspections are overdue (the queue's header shows it)."""
    return sum(1 for row in due(board, at) if row.overdue)
