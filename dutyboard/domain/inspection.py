"""Inspection checklists: templates, typed values checked, verdicts, findings, the monthly schedule.

Pure rules (no database, no UI), so the form can check a value as it is typed and the service
layer, the report and the tests share one definition of "a finding". Templates are data
(dutyboard/templates/*.json); their labels are English msgids translated where shown.
"""

from __future__ import annotations

import calendar as _calendar
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Final

from dutyboard.domain.policy import LEVELS, SERVICES
from dutyboard.i18n import N_, _

KINDS: Final = ("monthly", "adhoc")
STATUSES: Final = ("draft", "submitted")
ITEM_TYPES: Final = ("number", "choice", "text")
VERDICTS: Final = ("ok", "finding", "na")

#: A finding is "a significant hazard", which is what the service plan's level 3 means.
DEFAULT_TICKET_LEVEL: Final = 3
DEFAULT_TICKET_SERVICE: Final = "hardware"
DEFAULT_DAY_OF_MONTH: Final = 15
TEXT_MAX: Final = 2000
NOTE_MAX: Final = 2000

#: A choice item without its own choices: ok / fault / not applicable.
DEFAULT_CHOICES: Final = ("ok", "fault", "na")
DEFAULT_CHOICE_LABELS: Final = {"ok": N_("OK"), "fault": N_("Fault"), "na": N_("Not applicable")}
DEFAULT_FINDINGS: Final = ("fault",)
#: The choice that means "not applicable" (verdict na), and what a number item accepts for it.
NA: Final = "na"
_NA_WORDS: Final = frozenset({"na", "n/a", "n.a.", "-", "—", "not applicable", "不适用", "无"})

_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*)$")


class TemplateError(ValueError):
    """A template (or a site's range override) that cannot be used; the message says where."""


class BadValue(ValueError):
    """A typed value that cannot be stored: wrong type, unknown choice, physically impossible."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------- numbers and ranges


def number_text(value: float) -> str:
    """A number as people write it: 31, 31.5, -2 (no trailing zeros, no exponent)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def with_unit(value: float, unit: str | None) -> str:
    """A measured value with its unit: "31 °C", "45 %RH"."""
    text = number_text(value)
    return f"{text} {unit}" if unit else text


def range_text(low: float | None, high: float | None, unit: str | None) -> str:
    """An acceptable range: "18–27 °C", "≤ 80 %", "≥ 25 %RH", "" when open on both sides."""
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{number_text(low)}–{number_text(high)}{suffix}"
    if high is not None:
        return f"≤ {number_text(high)}{suffix}"
    if low is not None:
        return f"≥ {number_text(low)}{suffix}"
    return ""


# ---------------------------------------------------------------- the template model


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the checklist; `label` and choice labels are English msgids."""

    key: str
    section: str
    label: str
    type: str
    required: bool = False
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    limits: tuple[float, float] | None = None
    allow_na: bool = False
    choices: tuple[str, ...] = ()
    choice_labels: Mapping[str, str] = field(default_factory=dict)
    findings: tuple[str, ...] = ()
    ticket_level: int = DEFAULT_TICKET_LEVEL
    ticket_service: str = DEFAULT_TICKET_SERVICE
    #: How to measure or judge it (the template's "title": a tooltip), an English msgid or "".
    hint: str = ""

    def label_text(self) -> str:
        """The label in the current language."""
        return _(self.label)

    def hint_text(self) -> str:
        """How to measure or judge the item, in the current language ("" when none)."""
        return _(self.hint) if self.hint else ""

    def choice_text(self, choice: str) -> str:
        """A choice's label in the current language (the key itself when it has none)."""
        label = self.choice_labels.get(choice)
        return _(label) if label else choice

    def range_text(self) -> str:
        """The acceptable range in force, "" for items without one."""
        if self.type != "number":
            return ""
        return range_text(self.min, self.max, self.unit)

    def value_text(self, value: str | None) -> str:
        """A stored value as shown: "31 °C", "Fault", the text itself; "" when empty."""
        if value is None or value == "":
            return ""
        if value == NA and self.type == "number":
            return _("Not applicable")
        if self.type == "number":
            try:
                return with_unit(float(value), self.unit)
            except ValueError:
                return value
        if self.type == "choice":
            return self.choice_text(value)
        return value

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "required": self.required,
        }
        if self.hint:
            data["title"] = self.hint
        if self.type == "number":
            data.update(unit=self.unit, min=self.min, max=self.max, allow_na=self.allow_na)
            if self.limits is not None:
                data["limits"] = list(self.limits)
        if self.type == "choice":
            data.update(
                choices=list(self.choices),
                choices_labels=dict(self.choice_labels),
                findings=list(self.findings),
            )
        data.update(ticket_level=self.ticket_level, ticket_service=self.ticket_service)
        return data


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]

    def title_text(self) -> str:
        return _(self.title)


@dataclass(frozen=True, slots=True)
class Template:
    """A checklist: sections of items, as shipped or as a site made its own."""

    key: str
    title: str
    kind: str
    version: int
    sections: tuple[Section, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, key: str) -> Item:
        """The item with that key; BadValue naming a few known keys otherwise."""
        for item in self.items:
            if item.key == key:
                return item
        raise BadValue(
            _("Unknown item {key!r}: this checklist has {keys}").format(
                key=key, keys=", ".join(i.key for i in self.items)
            )
        )

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def title_text(self) -> str:
        return _(self.title)

    def with_ranges(self, overrides: Mapping[str, Mapping[str, Any]]) -> Template:
        """The template with a site's own ranges in force (validated like the template)."""
        if not overrides:
            return self
        known = {item.key: item for item in self.items}
        changed: dict[str, Item] = {}
        for key, bounds in overrides.items():
            item = known.get(key)
            if item is None:
                raise TemplateError(_("Range for unknown item {key!r}").format(key=key))
            if item.type != "number":
                raise TemplateError(
                    _("{key} is not a number item, so it has no range").format(key=key)
                )
            if not isinstance(bounds, Mapping) or set(bounds) - {"min", "max"}:
                raise TemplateError(
                    _("The range of {key} must be an object with min and/or max").format(key=key)
                )
            low = _optional_number(bounds.get("min", item.min), f"{key}.min")
            high = _optional_number(bounds.get("max", item.max), f"{key}.max")
            changed[key] = _checked_range(replace(item, min=low, max=high))
        sections = tuple(
            replace(s, items=tuple(changed.get(i.key, i) for i in s.items)) for s in self.sections
        )
        return replace(self, sections=sections)

    def to_json(self) -> dict[str, Any]:
        """The whole template as data (what an inspection keeps as the copy it used)."""
        return {
            "key": self.key,
            "version": self.version,
            "kind": self.kind,
            "title": self.title,
            "sections": [
                {
                    "key": s.key,
                    "section_title": s.title,
                    "items": [self._item_json(i) for i in s.items],
                }
                for s in self.sections
            ],
        }

    @staticmethod
    def _item_json(item: Item) -> dict[str, Any]:
        return item.to_json()

    @classmethod
    def from_json(cls, data: Any) -> Template:
        """Read and validate a template; TemplateError says what is wrong and where."""
        if not isinstance(data, Mapping):
            raise TemplateError(_("A template must be a JSON object"))
        key = _text(data.get("key"), "key")
        kind = data.get("kind", "monthly")
        if kind not in KINDS:
            raise TemplateError(
                _("Template kind must be one of {kinds}, not {value!r}").format(
                    kinds=", ".join(KINDS), value=kind
                )
            )
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int):
            raise TemplateError(_("Template version must be a whole number"))
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            raise TemplateError(_("A template needs a non-empty list of sections"))
        seen: set[str] = set()
        sections = []
        for s_index, raw in enumerate(raw_sections):
            where = f"sections[{s_index}]"
            if not isinstance(raw, Mapping):
                raise TemplateError(_("{where} must be an object").format(where=where))
            s_key = _text(raw.get("key"), f"{where}.key")
            title = _text(raw.get("section_title", raw.get("title")), f"{where}.section_title")
            raw_items = raw.get("items")
            if not isinstance(raw_items, list) or not raw_items:
                raise TemplateError(
                    _("{where} needs a non-empty list of items").format(where=where)
                )
            items = []
            for i_index, raw_item in enumerate(raw_items):
                item = _item_from_json(raw_item, s_key, f"{where}.items[{i_index}]")
                if item.key in seen:
                    raise TemplateError(_("Item {key} appears twice").format(key=item.key))
                seen.add(item.key)
                items.append(item)
            sections.append(Section(s_key, title, tuple(items)))
        title = _text(data.get("title"), "title")
        return cls(key, title, kind, version, tuple(sections))


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(_("{where} must be a non-empty text").format(where=where))
    return value.strip()


def _optional_number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TemplateError(_("{where} must be a number or null").format(where=where))
    return float(value)


def _checked_range(item: Item) -> Item:
    """Refuse a range upside down or outside the physical limits."""
    if item.min is not None and item.max is not None and item.min > item.max:
        raise TemplateError(
            _("{key}: the minimum {low} is above the maximum {high}").format(
                key=item.key, low=number_text(item.min), high=number_text(item.max)
            )
        )
    if item.limits is not None:
        low, high = item.limits
        for bound in (item.min, item.max):
            if bound is not None and not low <= bound <= high:
                raise TemplateError(
                    _("{key}: {value} is outside the physical limits {limits}").format(
                        key=item.key,
                        value=number_text(bound),
                        limits=range_text(low, high, item.unit),
                    )
                )
    return item


def _item_from_json(raw: Any, section: str, where: str) -> Item:
    if not isinstance(raw, Mapping):
        raise TemplateError(_("{where} must be an object").format(where=where))
    key = _text(raw.get("key"), f"{where}.key")
    label = _text(raw.get("label"), f"{where}.label")
    kind = raw.get("type")
    if kind not in ITEM_TYPES:
        raise TemplateError(
            _("{where}.type must be one of {types}").format(
                where=where, types=", ".join(ITEM_TYPES)
            )
        )
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise TemplateError(_("{where}.required must be true or false").format(where=where))
    level = raw.get("ticket_level", DEFAULT_TICKET_LEVEL)
    if level not in LEVELS or isinstance(level, bool):
        raise TemplateError(_("{where}.ticket_level must be 1, 2, 3 or 4").format(where=where))
    service = raw.get("ticket_service", DEFAULT_TICKET_SERVICE)
    if service not in SERVICES:
        raise TemplateError(
            _("{where}.ticket_service must be one of {services}").format(
                where=where, services=", ".join(SERVICES)
            )
        )
    hint = raw.get("title", "")
    if not isinstance(hint, str):
        raise TemplateError(_("{where}.title must be a text").format(where=where))
    item = Item(
        key,
        section,
        label,
        kind,
        required,
        ticket_level=level,
        ticket_service=service,
        hint=hint.strip(),
    )
    if kind == "number":
        unit = raw.get("unit")
        if unit is not None and not isinstance(unit, str):
            raise TemplateError(_("{where}.unit must be a text").format(where=where))
        limits = raw.get("limits")
        pair: tuple[float, float] | None = None
        if limits is not None:
            if not isinstance(limits, list) or len(limits) != 2:
                raise TemplateError(
                    _("{where}.limits must be [lowest, highest]").format(where=where)
                )
            lo = _optional_number(limits[0], f"{where}.limits")
            hi = _optional_number(limits[1], f"{where}.limits")
            if lo is None or hi is None or lo >= hi:
                raise TemplateError(
                    _("{where}.limits must be [lowest, highest]").format(where=where)
                )
            pair = (lo, hi)
        allow_na = raw.get("allow_na", False)
        if not isinstance(allow_na, bool):
            raise TemplateError(_("{where}.allow_na must be true or false").format(where=where))
        item = replace(
            item,
            unit=unit or None,
            min=_optional_number(raw.get("min"), f"{where}.min"),
            max=_optional_number(raw.get("max"), f"{where}.max"),
            limits=pair,
            allow_na=allow_na,
        )
        return _checked_range(item)
    if kind == "choice":
        choices = raw.get("choices", list(DEFAULT_CHOICES))
        if (
            not isinstance(choices, list)
            or len(choices) < 2
            or not all(isinstance(c, str) and c.strip() == c and c for c in choices)
            or len(set(choices)) != len(choices)
        ):
            raise TemplateError(
                _("{where}.choices must be a list of at least two distinct keys").format(
                    where=where
                )
            )
        default_labels = {
            c: DEFAULT_CHOICE_LABELS[c] for c in choices if c in DEFAULT_CHOICE_LABELS
        }
        labels = raw.get("choices_labels", default_labels)
        if (
            not isinstance(labels, Mapping)
            or set(labels) - set(choices)
            or not all(isinstance(v, str) for v in labels.values())
        ):
            raise TemplateError(
                _("{where}.choices_labels must map choices to labels").format(where=where)
            )
        default_findings = [c for c in DEFAULT_FINDINGS if c in choices]
        findings = raw.get("findings", default_findings)
        if not isinstance(findings, list) or set(findings) - set(choices):
            raise TemplateError(
                _("{where}.findings must list some of the choices").format(where=where)
            )
        return replace(
            item, choices=tuple(choices), choice_labels=dict(labels), findings=tuple(findings)
        )
    return item


# ---------------------------------------------------------------- checking a value


@dataclass(frozen=True, slots=True)
class Checked:
    """A value that can be stored, in its canonical form, with its verdict and the reason."""

    value: str
    verdict: str
    reason: str
    number: float | None = None


def _normal(text: str) -> str:
    """Full-width digits and signs made plain (a Chinese input method's "３１．５"), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def check(item: Item, text: str) -> Checked:
    """Check a typed value against its item: the canonical value, its verdict and why.

    Wrong type, an unknown choice or a physically impossible number raise BadValue (bad input,
    nothing stored); a number outside the acceptable range is a finding, accepted.
    """
    raw = _normal(text)
    if not raw:
        raise BadValue(_("{label}: no value given").format(label=item.label_text()))
    if item.type == "number":
        return _check_number(item, raw, text)
    if item.type == "choice":
        return _check_choice(item, raw, text)
    if len(raw) > TEXT_MAX:
        raise BadValue(_("The text is longer than {n} characters").format(n=TEXT_MAX))
    return Checked(raw, "ok", "")


def _check_number(item: Item, raw: str, typed: str) -> Checked:
    if item.allow_na and raw.lower() in _NA_WORDS:
        return Checked(NA, "na", _("not applicable"))
    match = _NUMBER.match(
        raw.replace(",", ".", 1) if raw.count(",") == 1 and "." not in raw else raw
    )
    if match is None or not _unit_matches(match.group(2), item.unit):
        hint = _(" (or na)") if item.allow_na else ""
        raise BadValue(_("{value!r} is not a number{hint}").format(value=typed.strip(), hint=hint))
    number = float(match.group(1))
    if not math.isfinite(number):
        raise BadValue(_("{value!r} is not a number").format(value=typed.strip()))
    if item.limits is not None and not item.limits[0] <= number <= item.limits[1]:
        raise BadValue(
            _("{value} is outside any physical range ({low} to {high})").format(
                value=with_unit(number, item.unit),
                low=with_unit(item.limits[0], item.unit),
                high=with_unit(item.limits[1], item.unit),
            )
        )
    value = number_text(number)
    low, high = item.min, item.max
    if low is not None and high is not None and not low <= number <= high:
        return Checked(
            value, "finding", _("outside {range}").format(range=item.range_text()), number
        )
    if high is not None and number > high:
        return Checked(
            value, "finding", _("above {limit}").format(limit=with_unit(high, item.unit)), number
        )
    if low is not None and number < low:
        return Checked(
            value, "finding", _("below {limit}").format(limit=with_unit(low, item.unit)), number
        )
    return Checked(value, "ok", "", number)


def _unit_matches(suffix: str, unit: str | None) -> bool:
    """A number may be typed with its unit: "31", "31°C", "31 C", "45%", "45 %RH"."""
    if not suffix:
        return True
    if not unit:
        return False
    typed = suffix.replace(" ", "").lower()
    wanted = unit.replace(" ", "").lower()
    return typed in {wanted, wanted.lstrip("°"), wanted[:1]} or (
        wanted.startswith("%") and typed == "%"
    )


def _check_choice(item: Item, raw: str, typed: str) -> Checked:
    wanted = raw.casefold()
    found: str | None = None
    for choice in item.choices:
        names = {choice.casefold(), item.choice_text(choice).casefold()}
        label = item.choice_labels.get(choice)
        if label:
            names.add(label.casefold())
        if choice == NA:
            names |= _NA_WORDS
        if wanted in names:
            found = choice
            break
    if found is None:
        raise BadValue(
            _("{value!r} is not one of: {choices}").format(
                value=typed.strip(),
                choices=", ".join(f"{c} ({item.choice_text(c)})" for c in item.choices),
            )
        )
    if found in item.findings:
        return Checked(found, "finding", item.choice_text(found))
    if found == NA:
        return Checked(found, "na", "")
    return Checked(found, "ok", "")


def verdict_of(item: Item, value: str | None) -> Checked | None:
    """The verdict of a stored value under the template it was stored with (None when empty)."""
    if value is None or value == "":
        return None
    try:
        return check(item, value)
    except BadValue as error:
        # A value stored under an older, looser copy: show it, count it as a finding to look at.
        return Checked(value, "finding", error.reason)


def missing_required(template: Template, values: Mapping[str, str | None]) -> list[str]:
    """The keys of required items that have no value yet, in checklist order."""
    return [i.key for i in template.items if i.required and not values.get(i.key)]


@dataclass(frozen=True, slots=True)
class Finding:
    """A failed item: what was measured, the range in force, and the ticket it should open."""

    item: Item
    value: str
    reason: str

    def value_text(self) -> str:
        return self.item.value_text(self.value)

    def ticket_title(self) -> str:
        """The ticket's title with the value, e.g. "Inspection finding: … 31 °C (18–27 °C)"."""
        if self.item.type == "number" and self.item.range_text():
            return _("Inspection finding: {label} {value} ({range})").format(
                label=self.item.label_text(), value=self.value_text(), range=self.item.range_text()
            )
        return _("Inspection finding: {label}: {value}").format(
            label=self.item.label_text(), value=self.value_text()
        )


def findings(template: Template, values: Mapping[str, str | None]) -> list[Finding]:
    """Every failed item in checklist order: out of range, a fault, a failed restore test."""
    found = []
    for item in template.items:
        checked = verdict_of(item, values.get(item.key))
        if checked is not None and checked.verdict == "finding":
            found.append(Finding(item, checked.value, checked.reason))
    return found


# ---------------------------------------------------------------- the monthly schedule

Period = tuple[int, int]
IsWorkingDay = Callable[[date], bool]
#: How far ahead "the next working day" is looked for before the day itself is taken.
_SEARCH_DAYS: Final = 366


def check_day_of_month(day: Any) -> int:
    """A site's inspection day: 1 to 31 (a month without that day uses its last day)."""
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
        raise BadValue(
            _("The inspection day must be a day of the month from 1 to 31, not {value!r}").format(
                value=day
            )
        )
    return day


def next_period(period: Period) -> Period:
    year, month = period
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_period(period: Period) -> Period:
    year, month = period
    return (year - 1, 12) if month == 1 else (year, month - 1)


def period_of(day: date) -> Period:
    return (day.year, day.month)


def _month_end(period: Period) -> date:
    year, month = period
    return date(year, month, _calendar.monthrange(year, month)[1])


def scheduled_day(period: Period, day_of_month: int, is_working_day: IsWorkingDay) -> date:
    """The month's inspection day: the site's day (or the month's last), or the next working day."""
    year, month = period
    wanted = date(year, month, min(day_of_month, _calendar.monthrange(year, month)[1]))
    for offset in range(_SEARCH_DAYS):
        candidate = wanted + timedelta(days=offset)
        if is_working_day(candidate):
            return candidate
    return wanted


def _live(period: Period, today: date, day_of_month: int, is_working_day: IsWorkingDay) -> bool:
    """A month's inspection is owed from its first day to the end of the month it falls in."""
    first = date(period[0], period[1], 1)
    due = scheduled_day(period, day_of_month, is_working_day)
    return first <= today <= _month_end(period_of(due))


@dataclass(frozen=True, slots=True)
class ScheduleStatus:
    """Where a site stands on a day: the month owed (if any), the next due day, overdue or not."""

    period: Period
    next_due: date
    due_now: bool
    overdue: bool


def schedule_status(
    today: date,
    day_of_month: int,
    done: Iterable[Period],
    is_working_day: IsWorkingDay,
) -> ScheduleStatus:
    """Due from the month's start, overdue after its day until that month's is submitted."""
    done_set = set(done)
    current = period_of(today)
    for period in (previous_period(current), current):
        if period not in done_set and _live(period, today, day_of_month, is_working_day):
            due = scheduled_day(period, day_of_month, is_working_day)
            return ScheduleStatus(period, due, True, today > due)
    upcoming = next_period(current)
    return ScheduleStatus(
        upcoming, scheduled_day(upcoming, day_of_month, is_working_day), False, False
    )


def period_for_start(
    today: date,
    day_of_month: int,
    done: Iterable[Period],
    is_working_day: IsWorkingDay,
) -> Period:
    """The month a monthly inspection started today counts for: the owed month, else this month."""
    status = schedule_status(today, day_of_month, done, is_working_day)
    return status.period if status.due_now else period_of(today)


def period_text(period: Period) -> str:
    return f"{period[0]:04d}-{period[1]:02d}"


def parse_period(text: str) -> Period:
    year, month = text.split("-")
    return (int(year), int(month))
