"""Intake of a new ticket as the phone rings: every field from the keyboard, checked as it is typed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from dutyboard import fmt
from dutyboard.domain.archive import closest
from dutyboard.domain.policy import CHANNELS, SERVICES
from dutyboard.i18n import N_, _
from dutyboard.service.tickets import TITLE_MAX
from dutyboard.tui import literal
from dutyboard.tui.screens.forms.base import (
    FormScreen,
    Submit,
    Values,
    Verdict,
    field_area,
    field_input,
    ok,
    wrong,
)
from dutyboard.tui.screens.forms.level import check_level_text, level_field

CODE_MAX = 64
DESCRIPTION_MAX = 4000


@dataclass(frozen=True)
class Place:
    """A site of the roster: its code and name."""

    code: str
    name: str


@dataclass(frozen=True)
class Thing:
    """An asset of the roster: its code, its site's code, name and kind."""

    code: str
    site: str
    name: str
    kind: str


def _unknown(text: str, known: list[str]) -> str:
    """Once the archive has sites (assets), a ticket names a known one: say which are close."""
    near = closest(text, known)
    if near:
        return _("not in the archive; closest: {near}").format(near=", ".join(near))
    return _("not in the archive")


class IntakeForm(FormScreen):
    """Level, service, channel, site, asset, title and description of a new ticket."""

    TITLE_MSGID = N_("New ticket")
    SUBMIT_MSGID = N_("Open ticket")

    DEFAULT_CSS = """
    IntakeForm {
        #form-fields Select { width: 1fr; }
        #intake-description { height: 4; }
    }
    """

    def __init__(self, submit: Submit, places: Sequence[Place], things: Sequence[Thing]) -> None:
        super().__init__(submit)
        self.places = {p.code.lower(): p for p in places}
        self.things = {t.code.lower(): t for t in things}

    def fields(self) -> ComposeResult:
        yield from self.row(_("Level"), level_field("intake-level"), self._check_level)
        yield from self.row(
            _("Service"),
            Select(
                [(fmt.service_name(s), s) for s in SERVICES],
                value=SERVICES[0],
                allow_blank=False,
                id="intake-service",
                compact=True,
            ),
            self._check_service,
        )
        yield from self.row(
            _("Channel"),
            Select(
                [(fmt.channel_name(c), c) for c in CHANNELS],
                value=CHANNELS[0],
                allow_blank=False,
                id="intake-channel",
                compact=True,
            ),
        )
        yield from self.row(
            _("Site"),
            field_input(
                "intake-site",
                placeholder=_("site code, or as the caller says it"),
                suggester=self._suggest([p.code for p in self.places.values()]),
            ),
            self._check_site,
        )
        yield from self.row(
            _("Asset"),
            field_input(
                "intake-asset",
                placeholder=_("asset code, if known"),
                suggester=self._suggest([t.code for t in self.things.values()]),
            ),
            self._check_asset,
        )
        yield from self.row(
            _("Title"),
            field_input("intake-title", placeholder=_("what the caller sees, in a line")),
            self._check_title,
        )
        yield from self.row(
            _("Description"),
            field_area("intake-description", placeholder=_("details (optional)")),
            self._check_description,
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#intake-level", Input).focus()

    @staticmethod
    def _suggest(codes: list[str]) -> SuggestFromList | None:
        return SuggestFromList(codes, case_sensitive=False) if codes else None

    # ------------------------------------------------------------ checks

    def _text(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def _check_level(self) -> Verdict:
        return check_level_text(self._text("intake-level"))

    def _check_service(self) -> Verdict:
        service = self.query_one("#intake-service", Select).value
        if service == "hardware":
            return ok(_("clocks run day and night"))
        return ok(_("clocks run on working hours"))

    def _site(self) -> Place | None:
        return self.places.get(self._text("intake-site").lower())

    def _check_site(self) -> Verdict:
        text = self._text("intake-site")
        if len(text) > CODE_MAX:
            return wrong(_("At most {n} characters").format(n=CODE_MAX))
        place = self._site()
        if place is not None:
            return ok(literal(place.name))
        if text and self.places:
            return wrong(_unknown(text, [p.code for p in self.places.values()]))
        if text:
            return ok(_("not on the roster: kept as typed"))
        return ok()

    def _check_asset(self) -> Verdict:
        text = self._text("intake-asset")
        if len(text) > CODE_MAX:
            return wrong(_("At most {n} characters").format(n=CODE_MAX))
        thing = self.things.get(text.lower())
        if thing is None and text and self.things:
            return wrong(_unknown(text, [t.code for t in self.things.values()]))
        if thing is None:
            return ok(_("not on the roster: kept as typed") if text else "")
        place = self._site()
        if place is not None and place.code != thing.site:
            return wrong(
                _("{asset} is at {site}, not {typed}").format(
                    asset=thing.code, site=thing.site, typed=place.code
                )
            )
        return ok(literal(thing.name))

    def _check_title(self) -> Verdict:
        text = self._text("intake-title")
        if not text:
            return wrong(_("A ticket needs a title"))
        if len(text) > TITLE_MAX:
            return wrong(_("The title is longer than {n} characters").format(n=TITLE_MAX))
        return ok()

    def _check_description(self) -> Verdict:
        if len(self.query_one("#intake-description", TextArea).text) > DESCRIPTION_MAX:
            return wrong(_("At most {n} characters").format(n=DESCRIPTION_MAX))
        return ok()

    def refreshed(self, widget: Widget | None) -> None:
        """The site decides which assets fit: narrow the suggestions and check the asset again."""
        if widget is None or widget.id != "intake-site":
            return
        place = self._site()
        codes = [t.code for t in self.things.values() if place is None or t.site == place.code]
        self.query_one("#intake-asset", Input).suggester = self._suggest(codes)
        if self._text("intake-asset"):
            self.check("intake-asset")

    # ------------------------------------------------------------ values

    def values(self) -> Values:
        place = self._site()
        thing = self.things.get(self._text("intake-asset").lower())
        site = place.code if place is not None else self._text("intake-site")
        asset = thing.code if thing is not None else self._text("intake-asset")
        return {
            "level": int(self._text("intake-level")),
            "service": self.query_one("#intake-service", Select).value,
            "channel": self.query_one("#intake-channel", Select).value,
            "site": site or None,
            "asset": asset or None,
            "title": self._text("intake-title"),
            "description": self.query_one("#intake-description", TextArea).text.strip(),
        }
