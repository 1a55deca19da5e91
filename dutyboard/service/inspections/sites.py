"""A site's inspection settings: its day of the month, its own ranges, its own monthly template."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dutyboard.domain import inspection as rules
from dutyboard.domain.instants import iso
from dutyboard.i18n import _
from dutyboard.service.access import require
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.service.inspections.templates import (
    DEFAULT_TEMPLATES,
    builtin_template,
    parse_template,
)
from dutyboard.store.db import run_write
from dutyboard.store.inspection_models import SiteInspectionSettings
from dutyboard.store.models import Site


def get_site(code: str) -> Site:
    """The site with that code; BadInput naming the known sites otherwise."""
    code = (code or "").strip()
    site = Site.get_or_none(Site.code == code) if code else None
    if site is None:
        known = [s.code for s in Site.select(Site.code).order_by(Site.code)]
        if known:
            raise BadInput(
                _("Unknown site {site!r}: the sites are {sites}").format(
                    site=code, sites=", ".join(known)
                )
            )
        raise BadInput(_("Unknown site {site!r}: no sites are registered yet").format(site=code))
    return site


@dataclass(frozen=True)
class SiteSettings:
    """A site's inspection day, its own ranges, and whether it has its own template."""

    site: str
    day_of_month: int
    ranges: dict[str, dict[str, float | None]]
    template_key: str
    own_template: bool
    updated_at: datetime | None
    updated_by: str | None

    def to_json(self, zone: Any) -> dict[str, Any]:
        return {
            "site": self.site,
            "day_of_month": self.day_of_month,
            "ranges": self.ranges,
            "template": self.template_key,
            "own_template": self.own_template,
            "updated_at": iso(self.updated_at, zone),
            "updated_by": self.updated_by,
        }


def settings_row(site: Site) -> SiteInspectionSettings | None:
    """The site's stored settings, None while it uses the defaults."""
    return SiteInspectionSettings.get_or_none(SiteInspectionSettings.site == site.id)


def site_template(row: SiteInspectionSettings | None) -> rules.Template:
    """The monthly template a site uses: its own, else the shipped one."""
    if row is not None and row.template:
        try:
            return rules.Template.from_json(json.loads(row.template))
        except (json.JSONDecodeError, rules.TemplateError):
            pass  # never stored unchecked; fall back rather than lock the site out
    return builtin_template(DEFAULT_TEMPLATES["monthly"])


def site_settings(board: Board, site: str) -> SiteSettings:
    """What a site's inspections use now."""
    row_site = get_site(site)
    row = settings_row(row_site)
    template = site_template(row)
    return SiteSettings(
        site=row_site.code,
        day_of_month=row.day_of_month if row else rules.DEFAULT_DAY_OF_MONTH,
        ranges=row.ranges_dict if row else {},
        template_key=template.key,
        own_template=bool(row and row.template),
        updated_at=row.updated_at if row else None,
        updated_by=row.updated_by if row else None,
    )


def configure_site(
    board: Board,
    site: str,
    *,
    day_of_month: int | None = None,
    ranges: Mapping[str, Mapping[str, float | None] | None] | None = None,
    template_json: str | None = None,
    default_template: bool = False,
    at: datetime | None = None,
) -> SiteSettings:
    """A manager's action: the site's inspection day, its own ranges, its own monthly template.

    `ranges` maps item keys to {"min": x, "max": y} (None for a key drops the site's range,
    so the template's default is in force again). Drafts already started keep their ranges.
    """
    at = at or board.now()
    row_site = get_site(site)
    if day_of_month is not None:
        try:
            rules.check_day_of_month(day_of_month)
        except rules.BadValue as error:
            raise BadInput(error.reason) from None
    new_template: rules.Template | None = None
    if template_json is not None:
        new_template = parse_template(template_json)
        if new_template.kind != "monthly":
            raise BadInput(_("A site's own template must be a monthly one"))

    def write() -> SiteSettings:
        require(board, "manager")
        row = settings_row(row_site)
        if row is None:
            row = SiteInspectionSettings(site=row_site.id, day_of_month=rules.DEFAULT_DAY_OF_MONTH)
        current = row.ranges_dict
        for key, bounds in (ranges or {}).items():
            if bounds is None:
                current.pop(key, None)
            else:
                current[key] = {k: v for k, v in bounds.items() if k in ("min", "max")}
        if new_template is not None:
            row.template = json.dumps(new_template.to_json(), ensure_ascii=False)
        elif default_template:
            row.template = None
        template = site_template(row)
        try:
            template.with_ranges(current)
        except rules.TemplateError as error:
            raise BadInput(str(error)) from None
        if day_of_month is not None:
            row.day_of_month = day_of_month
        row.ranges = json.dumps(current, ensure_ascii=False, sort_keys=True)
        row.updated_at = at
        row.updated_by = board.actor
        row.save()
        board.record("inspection_settings", {
            "site": row_site.code, "day_of_month": row.day_of_month, "ranges": current,
            "template": template.key, "own_template": bool(row.template),
        }, at=at)
        return site_settings(board, row_site.code)

    return run_write(write)
